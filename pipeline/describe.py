"""Corpus statistics per split, rendered as the corpus README (regenerated, never typed)."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from .candidates import sentence_index
from .schema import ENTITY_LABELS, RELATION_LABELS


def split_stats(docs: list[Doc]) -> dict:
    """Documents, words, mentions by label, relations by label, share across sentences."""
    ents, rels, cross = Counter(), Counter(), 0
    for doc in docs:
        ents.update(e.label_ for e in doc.ents)
        sents = sentence_index(doc)
        for r in doc._.relations or []:
            rels[r["label"]] += 1
            h = doc.char_span(*r["head"])
            t = doc.char_span(*r["tail"])
            cross += h is not None and t is not None and sents[h.start] != sents[t.start]
    total = sum(rels.values())
    return {
        "documents": len(docs),
        "words": sum(len(doc.text.split()) for doc in docs),
        "entities": {label: ents[label] for label in ENTITY_LABELS},
        "relations": {label: rels[label] for label in RELATION_LABELS},
        "cross_sentence_share": round(cross / total, 3) if total else 0.0,
    }


def render_readme(stats: dict[str, dict]) -> str:
    splits = list(stats)
    head = "| | " + " | ".join(splits) + " |\n|---" + "|---" * len(splits) + "|\n"

    def row(name: str, get) -> str:
        return f"| {name} | " + " | ".join(str(get(stats[s])) for s in splits) + " |\n"

    body = row("documents", lambda s: s["documents"]) + row("words", lambda s: s["words"])
    body += "".join(row(f"entities: {l}", lambda s, l=l: s["entities"][l]) for l in ENTITY_LABELS)
    body += "".join(row(f"relations: {l}", lambda s, l=l: s["relations"][l]) for l in RELATION_LABELS)
    body += row("cross-sentence relations", lambda s: f"{s['cross_sentence_share']:.1%}")
    return (
        "# Gold corpus\n\n"
        "Defence and geopolitics briefs labeled in brat standoff (`NAME.txt` + `NAME.ann`) per\n"
        "`docs/annotation-guide.md`. `split.yaml` assigns each document to train, dev or test;\n"
        "`incoming/` holds unlabeled articles for `extract`; `specs/` holds the labeling specs the\n"
        "`.ann` files were generated from (`python -m pipeline label`). `pending/` holds labeled,\n"
        "reviewed briefs not yet in any split (with their specs): move them up and list them in\n"
        "`split.yaml` to use them.\n\n"
        "This file is generated: `python -m pipeline describe corpus --out corpus/README.md`.\n"
        "Sentences are split by the base spaCy pipeline.\n\n" + head + body
    )
