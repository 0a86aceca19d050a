"""Candidate entity pairs for relation classification: ordered (head, tail) pairs of
mentions in the same or adjacent sentences whose types some relation label allows."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from .schema import RELATION_LABELS, RELATION_TYPES


def allowed_labels(head_label: str, tail_label: str) -> list[str]:
    return [l for l in RELATION_LABELS if RELATION_TYPES[l].allows(head_label, tail_label)]


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token (a Doc without sentence marks is one sentence)."""
    if not doc.has_annotation("SENT_START"):
        return [0] * len(doc)
    index, n = [], -1
    for tok in doc:
        n += bool(tok.is_sent_start) or n < 0
        index.append(n)
    return index


def candidate_pairs(doc: Doc, max_sentence_gap: int = 1) -> list[tuple[int, int]]:
    """Ordered pairs (i, j) of indices into doc.ents: both directions are candidates, since
    direction is part of what the classifier decides. Self-pairs and pairs of two
    mentions with the same text are left out: no relation links a name to itself."""
    ents: list[Span] = list(doc.ents)
    sents = sentence_index(doc)
    pairs = []
    for i, head in enumerate(ents):
        for j, tail in enumerate(ents):
            if (
                i != j
                and abs(sents[head.start] - sents[tail.start]) <= max_sentence_gap
                and head.text.lower() != tail.text.lower()
                and allowed_labels(head.label_, tail.label_)
            ):
                pairs.append((i, j))
    return pairs
