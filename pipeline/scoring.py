"""Scores as the annotation guide's section 4 defines them: spans trimmed before
comparing, strict or relaxed (overlapping) spans, met-with in either order, each gold
item matched at most once (a maximum matching, so the count does not depend on order)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from .schema import RELATION_LABELS, RELATION_TYPES

Span = tuple[int, int]
_EDGE = " \t\r\n\"'“”‘’.,;:!?()[]"


@dataclass(frozen=True)
class Rel:
    doc_id: str
    label: str
    head: Span
    tail: Span


@dataclass(frozen=True)
class Ent:
    doc_id: str
    label: str
    span: Span


def trim(text: str, span: Span) -> Span:
    """Drop a leading "the ", a trailing 's/’s, and surrounding whitespace, quotes and
    punctuation (repeatedly, so '“the Kremlin’s”' trims to 'Kremlin')."""
    start, end = span
    while True:
        before = (start, end)
        while start < end and text[start] in _EDGE:
            start += 1
        while start < end and text[end - 1] in _EDGE:
            end -= 1
        if text[start:end].lower().startswith("the "):
            start += 4
        if text[start:end].endswith(("'s", "’s")):
            end -= 2
        if (start, end) == before:
            return start, end


def _same(a: Span, b: Span, relaxed: bool) -> bool:
    return a[0] < b[1] and b[0] < a[1] if relaxed else a == b


def _relation_fits(p: Rel, g: Rel, relaxed: bool) -> bool:
    if _same(p.head, g.head, relaxed) and _same(p.tail, g.tail, relaxed):
        return True
    return RELATION_TYPES[g.label].symmetric and _same(p.head, g.tail, relaxed) and _same(p.tail, g.head, relaxed)


def _max_matching(pred: list, gold: list, fits) -> list[tuple[int, int]]:
    """Pairs (pred index, gold index) of a maximum one-to-one matching under `fits`."""
    if not pred or not gold:
        return []
    adjacency = numpy.array([[fits(p, g) for g in gold] for p in pred], dtype=bool)
    match = maximum_bipartite_matching(csr_matrix(adjacency), perm_type="column")
    return [(i, int(j)) for i, j in enumerate(match) if j >= 0]


def trim_relations(rels: list[Rel], texts: dict[str, str]) -> list[Rel]:
    return [Rel(r.doc_id, r.label, trim(texts[r.doc_id], r.head), trim(texts[r.doc_id], r.tail)) for r in rels]


def match_relations(gold: list[Rel], pred: list[Rel], texts: dict[str, str], relaxed: bool = False) -> list[tuple[int, int]]:
    """Matched (pred index, gold index) pairs; labels and documents must agree."""
    gold_t, pred_t = trim_relations(gold, texts), trim_relations(pred, texts)
    groups: dict[tuple[str, str], tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for i, p in enumerate(pred_t):
        groups[(p.doc_id, p.label)][0].append(i)
    for j, g in enumerate(gold_t):
        groups[(g.doc_id, g.label)][1].append(j)
    pairs = []
    for p_idx, g_idx in groups.values():
        found = _max_matching([pred_t[i] for i in p_idx], [gold_t[j] for j in g_idx],
                              lambda p, g: _relation_fits(p, g, relaxed))
        pairs += [(p_idx[a], g_idx[b]) for a, b in found]
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}


def _table(labels, gold_labels: list[str], pred_labels: list[str], tp_labels: list[str]) -> dict:
    table = {l: prf(tp_labels.count(l), pred_labels.count(l), gold_labels.count(l)) for l in labels}
    table["micro"] = prf(len(tp_labels), len(pred_labels), len(gold_labels))
    table["macro"] = {k: round(sum(table[l][k] for l in labels) / len(labels), 4) for k in ("precision", "recall", "f1")}
    return table


def relation_scores(gold: list[Rel], pred: list[Rel], texts: dict[str, str], relaxed: bool = False) -> dict:
    """Per-label precision/recall/F1 with counts, plus micro and macro averages."""
    matched = match_relations(gold, pred, texts, relaxed)
    return _table(RELATION_LABELS, [g.label for g in gold], [p.label for p in pred], [pred[i].label for i, _ in matched])


def match_entities(gold: list[Ent], pred: list[Ent], texts: dict[str, str]) -> list[tuple[int, int]]:
    """Strict matches (same label, same trimmed span)."""
    index = {(g.doc_id, g.label, trim(texts[g.doc_id], g.span)): j for j, g in enumerate(gold)}
    pairs = []
    for i, p in enumerate(pred):
        j = index.pop((p.doc_id, p.label, trim(texts[p.doc_id], p.span)), None)
        if j is not None:
            pairs.append((i, j))
    return pairs


def entity_scores(gold: list[Ent], pred: list[Ent], texts: dict[str, str], labels) -> dict:
    matched = match_entities(gold, pred, texts)
    return _table(labels, [g.label for g in gold], [p.label for p in pred], [pred[i].label for i, _ in matched])
