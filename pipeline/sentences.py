"""Where relations lie relative to sentences, given each document's sentence spans as
plain (start_char, end_char) pairs in text order (Predictions.sentences)."""

from __future__ import annotations

from bisect import bisect_right

from .scoring import Rel, Span

Sentences = dict[str, list[Span]]  # doc_id -> sentence spans, in order


def sentence_of(spans: list[Span], offset: int) -> int:
    """Index of the sentence that holds character `offset` (the last one starting at or before it)."""
    return max(bisect_right([start for start, _ in spans], offset) - 1, 0)


def same_sentence(rel: Rel, sentences: Sentences) -> bool:
    spans = sentences[rel.doc_id]
    return sentence_of(spans, rel.head[0]) == sentence_of(spans, rel.tail[0])


def by_distance(rels: list[Rel], sentences: Sentences) -> dict[str, list[Rel]]:
    """{"same_sentence": [...], "cross_sentence": [...]}, in the order given."""
    same = [same_sentence(r, sentences) for r in rels]
    return {"same_sentence": [r for r, s in zip(rels, same) if s],
            "cross_sentence": [r for r, s in zip(rels, same) if not s]}


def inside(rel: Rel, spans: set[Span] | frozenset[Span]) -> bool:
    """Whether head and tail each lie within one of `spans` (sentences of rel's document)."""
    return all(any(s <= start and end <= e for s, e in spans) for start, end in (rel.head, rel.tail))
