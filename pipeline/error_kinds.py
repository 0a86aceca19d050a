"""The model's errors sorted into kinds, so a report says what to fix rather than only how
many. Each false positive and each false negative (strict) is one error, of the first kind
in KINDS that applies; a boundary error takes a false positive and the false negative it
overlaps together, as one error."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .hard_negatives import HardSentences, in_hard_sentence
from .schema import RELATION_LABELS, RELATION_TYPES
from .scoring import Ent, Rel, match_relations, trim_relations, unmatched
from .sentences import Sentences, same_sentence

BOUNDARY = "wrong entity boundary"
MISSED_ENTITY = "missed entity"
DIRECTION = "wrong direction"
LABEL = "wrong label"
HARD_NEGATIVE = "hard negative taken as positive"
CROSS_SENTENCE = "missed cross-sentence"
OTHER_FP = "other false positive"
OTHER_FN = "other false negative"
KINDS = (BOUNDARY, MISSED_ENTITY, DIRECTION, LABEL, HARD_NEGATIVE, CROSS_SENTENCE, OTHER_FP, OTHER_FN)
FALSE_NEGATIVE_KINDS = frozenset({MISSED_ENTITY, CROSS_SENTENCE, OTHER_FN})


@dataclass(frozen=True)
class ErrorCase:
    kind: str
    rel: Rel  # the false positive, or the false negative for the false-negative kinds
    gold: Rel | None = None  # a boundary error's gold relation (the false negative)
    detail: str = ""  # what the kind refers to, in words, for the report


def _overlaps(span, ents: list[Ent]) -> bool:
    return any(e.span[0] < span[1] and span[0] < e.span[1] for e in ents)


def _quote(texts: dict[str, str], rel: Rel, span) -> str:
    return f"“{texts[rel.doc_id][span[0]:span[1]]}”"


def classify_errors(gold: list[Rel], pred: list[Rel], texts: dict[str, str], sentences: Sentences,
                    pred_ents: list[Ent] | None = None, hard: HardSentences | None = None) -> list[ErrorCase]:
    """Every error of `pred` against `gold`, in KINDS order. `pred_ents` (the pipeline's own
    entities; None in the given-entity setting) enables "missed entity"; `hard` (the
    hard-negative sentences) enables "hard negative taken as positive"."""
    fps, fns = unmatched(gold, pred, texts)
    # A maximum matching, so each false positive takes at most one false negative with it.
    boundary = match_relations(fns, fps, texts, relaxed=True)  # (fp index, fn index)
    cases = [ErrorCase(BOUNDARY, fps[i], fns[j],
                       f"gold head {_quote(texts, fns[j], fns[j].head)}, tail {_quote(texts, fns[j], fns[j].tail)}")
             for i, j in boundary]
    taken_fp, taken_fn = {i for i, _ in boundary}, {j for _, j in boundary}

    trimmed = trim_relations(gold, texts)
    gold_keys = {(g.doc_id, g.label, g.head, g.tail) for g in trimmed}
    labels_of_pair = defaultdict(set)  # (doc, {head, tail}) -> gold labels
    for g in trimmed:
        labels_of_pair[(g.doc_id, frozenset((g.head, g.tail)))].add(g.label)
    ents_by_doc = defaultdict(list)
    for e in pred_ents or []:
        ents_by_doc[e.doc_id].append(e)

    def false_positive(p: Rel, t: Rel) -> ErrorCase:  # t: p with trimmed spans, as gold is compared
        if not RELATION_TYPES[p.label].symmetric and (t.doc_id, t.label, t.tail, t.head) in gold_keys:
            return ErrorCase(DIRECTION, p, detail="gold has head and tail the other way round")
        other = labels_of_pair[(t.doc_id, frozenset((t.head, t.tail)))] - {t.label}
        if other:
            return ErrorCase(LABEL, p, detail=f"gold label {' and '.join(sorted(other))}")
        if hard and in_hard_sentence(p, hard):
            return ErrorCase(HARD_NEGATIVE, p)
        return ErrorCase(OTHER_FP, p)

    def false_negative(g: Rel) -> ErrorCase:
        if pred_ents is not None:
            missing = [_quote(texts, g, s) for s in (g.head, g.tail) if not _overlaps(s, ents_by_doc[g.doc_id])]
            if missing:
                return ErrorCase(MISSED_ENTITY, g, detail=f"no predicted entity at {' and '.join(missing)}")
        return ErrorCase(OTHER_FN if same_sentence(g, sentences) else CROSS_SENTENCE, g)

    fp_trimmed = trim_relations(fps, texts)
    cases += [false_positive(p, t) for i, (p, t) in enumerate(zip(fps, fp_trimmed)) if i not in taken_fp]
    cases += [false_negative(g) for j, g in enumerate(fns) if j not in taken_fn]
    return sorted(cases, key=lambda c: KINDS.index(c.kind))


def count_kinds(cases: list[ErrorCase], kinds=KINDS) -> dict[str, dict[str, int]]:
    """{kind: {label: n, ..., "total": n}} for each of `kinds`, zeros included."""
    table = {kind: {label: 0 for label in (*RELATION_LABELS, "total")} for kind in kinds}
    for c in cases:
        table[c.kind][c.rel.label] += 1
        table[c.kind]["total"] += 1
    return table
