"""The `guide_entities` component: keeps the guide's seven entity types in doc.ents and
trims what the guide leaves outside a span (a leading "the", a trailing possessive)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .schema import ENTITY_LABELS


def trim_span(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    if start < end and doc[start].lower_ == "the":
        start += 1
    if start < end and doc[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return Span(doc, start, end, label=span.label_) if start < end else None


GUIDE_ENTITIES = "guide_entities"


def add_guide_entities(nlp: Language) -> None:
    """Put the filter right after the NER, unless the pipeline already has it."""
    if GUIDE_ENTITIES not in nlp.pipe_names:
        nlp.add_pipe(GUIDE_ENTITIES, after="ner")


@Language.component("guide_entities", requires=["doc.ents"], assigns=["doc.ents"])
def guide_entities(doc: Doc) -> Doc:
    kept = (trim_span(s) for s in doc.ents if s.label_ in ENTITY_LABELS)
    doc.ents = [s for s in kept if s is not None]
    return doc
