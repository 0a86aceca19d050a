"""Documents to spaCy Docs and back: tokens split so every gold span aligns, relations
kept on the Doc as character offsets (so they survive DocBin and map straight to output)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from .schema import Document, Entity, Relation

# Each relation is {"label", "head": [start, end], "tail": [start, end]} in character
# offsets, plus "score" when predicted; plain data so DocBin can store it in user_data.
if not Doc.has_extension("relations"):
    Doc.set_extension("relations", default=None)


@dataclass(frozen=True)
class Conversion:
    doc: Doc
    split_tokens: int  # tokens the tokenizer produced that were split at a gold boundary
    unaligned: list[Entity]  # gold spans that still match no token boundaries


def tokenize_at(nlp: Language, text: str, boundaries: set[int]) -> tuple[Doc, int]:
    """Tokenize text, then split any token that a boundary offset falls inside."""
    doc = nlp.make_doc(text)
    words, spaces, splits = [], [], 0
    for tok in doc:
        cuts = sorted(b - tok.idx for b in boundaries if tok.idx < b < tok.idx + len(tok.text))
        pieces = [tok.text[a:b] for a, b in zip([0, *cuts], [*cuts, len(tok.text)])]
        splits += len(pieces) > 1
        words += pieces
        spaces += [False] * (len(pieces) - 1) + [bool(tok.whitespace_)]
    if not splits:
        return doc, 0
    return Doc(nlp.vocab, words=words, spaces=spaces), splits


def run_after_tokenizer(nlp: Language, doc: Doc, disable: tuple[str, ...] = ()) -> Doc:
    for name, proc in nlp.pipeline:
        if name not in disable:
            doc = proc(doc)
    return doc


def document_to_doc(nlp: Language, document: Document, disable: tuple[str, ...] = ()) -> Conversion:
    """Parse a gold document with nlp (minus `disable`), then set the gold entities and relations."""
    boundaries = {o for e in document.entities for o in (e.start, e.end)}
    doc, splits = tokenize_at(nlp, document.text, boundaries)
    doc = run_after_tokenizer(nlp, doc, disable)
    spans, unaligned = [], []
    for e in document.entities:
        span = doc.char_span(e.start, e.end, label=e.label)
        (spans if span is not None else unaligned).append(span if span is not None else e)
    doc.ents = sorted(spans, key=lambda s: s.start)
    by_id = {e.id: e for e in document.entities}
    doc._.relations = [relation_record(r, by_id) for r in document.relations]
    doc.user_data["doc_id"] = document.doc_id
    return Conversion(doc, splits, unaligned)


def relation_record(r: Relation, entities: dict[str, Entity]) -> dict:
    head, tail = entities[r.head], entities[r.tail]
    return {"label": r.label, "head": [head.start, head.end], "tail": [tail.start, tail.end]}


def doc_entities(doc: Doc) -> list[Entity]:
    return [Entity(f"T{i}", s.label_, s.start_char, s.end_char, s.text) for i, s in enumerate(doc.ents, 1)]


def doc_relations(doc: Doc) -> list[dict]:
    return list(doc._.relations or [])


def span_key(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char


def sentence_chunks(doc: Doc, size: int) -> list[Doc]:
    """The doc cut into pieces of `size` sentences that overlap by one sentence, so every
    pair of adjacent sentences is whole in some piece; each piece keeps the gold entities
    and the relations inside it. size 0, or a doc that short, gives the doc itself."""
    sents = list(doc.sents)
    if size < 2 or len(sents) <= size:
        return [doc]
    pieces = []
    for first in range(0, len(sents) - 1, size - 1):
        span = doc[sents[first].start : sents[min(first + size, len(sents)) - 1].end]
        piece = span.as_doc()
        lo, hi = span.start_char, span.end_char
        piece._.relations = [
            {**r, "head": [r["head"][0] - lo, r["head"][1] - lo], "tail": [r["tail"][0] - lo, r["tail"][1] - lo]}
            for r in doc._.relations or []
            if lo <= min(r["head"][0], r["tail"][0]) and max(r["head"][1], r["tail"][1]) <= hi
        ]
        piece.user_data["doc_id"] = f"{doc.user_data.get('doc_id', '')}#{first}"
        pieces.append(piece)
        if first + size >= len(sents):
            break
    return pieces
