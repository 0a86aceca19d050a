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


Counts = dict[tuple[str, str], tuple[int, int, int]]  # (doc_id, label) -> (tp, fp, fn)


def count_by_doc(gold: list, pred: list, matched: list[tuple[int, int]]) -> Counts:
    """tp, fp and fn per (document, label) of Rels or Ents. Matching never crosses a
    document, so these add up over documents: bootstrap.py resamples documents by
    weighting them instead of matching again."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    hit_pred, hit_gold = {i for i, _ in matched}, {j for _, j in matched}
    for i, p in enumerate(pred):
        counts[(p.doc_id, p.label)][0 if i in hit_pred else 1] += 1
    for j, g in enumerate(gold):
        if j not in hit_gold:
            counts[(g.doc_id, g.label)][2] += 1
    return {key: tuple(c) for key, c in counts.items()}


def table_from_counts(counts: Counts, labels) -> dict:
    """Per-label precision/recall/F1 with counts, micro over every count, macro over `labels`."""
    totals = {label: [0, 0, 0] for label in labels}
    everything = [0, 0, 0]
    for (_, label), c in counts.items():
        for k in range(3):
            everything[k] += c[k]
            if label in totals:
                totals[label][k] += c[k]
    table = {label: prf(tp, tp + fp, tp + fn) for label, (tp, fp, fn) in totals.items()}
    tp, fp, fn = everything
    table["micro"] = prf(tp, tp + fp, tp + fn)
    table["macro"] = {k: round(sum(table[l][k] for l in labels) / len(labels), 4) for k in ("precision", "recall", "f1")}
    return table


def unmatched(gold: list[Rel], pred: list[Rel], texts: dict[str, str]) -> tuple[list[Rel], list[Rel]]:
    """False positives and false negatives under strict matching."""
    matched = match_relations(gold, pred, texts)
    hit_pred, hit_gold = {i for i, _ in matched}, {j for _, j in matched}
    return [r for i, r in enumerate(pred) if i not in hit_pred], [r for j, r in enumerate(gold) if j not in hit_gold]


def relation_counts(gold: list[Rel], pred: list[Rel], texts: dict[str, str], relaxed: bool = False) -> Counts:
    return count_by_doc(gold, pred, match_relations(gold, pred, texts, relaxed))


def relation_scores(gold: list[Rel], pred: list[Rel], texts: dict[str, str], relaxed: bool = False) -> dict:
    """Per-label precision/recall/F1 with counts, plus micro and macro averages."""
    return table_from_counts(relation_counts(gold, pred, texts, relaxed), RELATION_LABELS)


def match_entities(gold: list[Ent], pred: list[Ent], texts: dict[str, str]) -> list[tuple[int, int]]:
    """Strict matches (same label, same trimmed span)."""
    index = {(g.doc_id, g.label, trim(texts[g.doc_id], g.span)): j for j, g in enumerate(gold)}
    pairs = []
    for i, p in enumerate(pred):
        j = index.pop((p.doc_id, p.label, trim(texts[p.doc_id], p.span)), None)
        if j is not None:
            pairs.append((i, j))
    return pairs


def entity_counts(gold: list[Ent], pred: list[Ent], texts: dict[str, str]) -> Counts:
    return count_by_doc(gold, pred, match_entities(gold, pred, texts))


def entity_scores(gold: list[Ent], pred: list[Ent], texts: dict[str, str], labels) -> dict:
    return table_from_counts(entity_counts(gold, pred, texts), labels)
