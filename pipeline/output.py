"""Tabular views of extraction records."""

from __future__ import annotations

import pandas

COLUMNS = ["doc_id", "label", "head", "head_label", "head_start", "head_end", "tail", "tail_label",
           "tail_start", "tail_end", "score", "sentence_start", "sentence_end"]


def relations_table(records: list[dict]) -> pandas.DataFrame:
    """One row per relation, with both arguments' text, label and offsets."""
    rows = []
    for rec in records:
        ents = {e["id"]: e for e in rec["entities"]}
        for r in rec["relations"]:
            h, t = ents[r["head"]], ents[r["tail"]]
            rows.append([rec["doc_id"], r["label"], h["text"], h["label"], h["start"], h["end"], t["text"],
                         t["label"], t["start"], t["end"], r["score"], *r["sentence"]])
    return pandas.DataFrame(rows, columns=COLUMNS)
