"""Candidate entity pairs for relation classification: ordered (head, tail) pairs of
mentions in the same or adjacent sentences whose types some relation label allows."""

from __future__ import annotations

from spacy.tokens import Doc

from .schema import RELATION_LABELS, RELATION_TYPES


def allowed_labels(head_label: str, tail_label: str) -> list[str]:
    return [l for l in RELATION_LABELS if RELATION_TYPES[l].allows(head_label, tail_label)]


def sentence_index(doc: Doc) -> list[int]:
    """Sentence number of every token (a Doc without sentence marks is one sentence)."""
    if not doc.has_annotation("SENT_START"):
        return [0] * len(doc)
    index = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        index[sent.start : sent.end] = [n] * len(sent)
    return index


def candidate_pairs(doc: Doc, max_sentence_gap: int = 1) -> list[tuple[int, int]]:
    """Ordered pairs (i, j) of indices into doc.ents: both directions are candidates, since
    direction is part of what the classifier decides. Self-pairs and pairs of two
    mentions with the same text are left out: no relation links a name to itself."""
    sents = sentence_index(doc)
    # Training asks for every document's pairs several times an epoch, so what the double
    # loop compares is computed once per mention and once per pair of types.
    mentions = [(sents[e.start], e.text.lower(), e.label_) for e in doc.ents]
    types = {m[2] for m in mentions}
    typed = {(h, t) for h in types for t in types if allowed_labels(h, t)}
    return [
        (i, j)
        for i, (head_sent, head_text, head_label) in enumerate(mentions)
        for j, (tail_sent, tail_text, tail_label) in enumerate(mentions)
        if i != j
        and abs(head_sent - tail_sent) <= max_sentence_gap
        and head_text != tail_text
        and (head_label, tail_label) in typed
    ]
