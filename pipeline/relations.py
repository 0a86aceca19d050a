"""Conversions between spaCy Docs and the plain records that scoring and output use."""

from __future__ import annotations

from spacy.tokens import Doc

from .scoring import Ent, Rel


def doc_id(doc: Doc) -> str:
    return doc.user_data.get("doc_id", "")


def to_rels(doc_key: str, records: list[dict]) -> list[Rel]:
    return [Rel(doc_key, r["label"], tuple(r["head"]), tuple(r["tail"])) for r in records]


def rels_of(doc: Doc) -> list[Rel]:
    return to_rels(doc_id(doc), doc._.relations or [])


def ents_of(doc: Doc) -> list[Ent]:
    return [Ent(doc_id(doc), e.label_, (e.start_char, e.end_char)) for e in doc.ents]


def sentence_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character span of the sentence(s) that hold [start, end)."""
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    last = doc.char_span(end - 1, end, alignment_mode="expand")
    if first is None or last is None:
        return start, end
    return first.sent.start_char, last.sent.end_char
