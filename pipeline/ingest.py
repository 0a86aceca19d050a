"""Gold documents to spaCy Docs (a DocBin per split), parsed by the base pipeline,
with gold entities as doc.ents and gold relations as doc._.relations."""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from .spacy_doc import document_to_doc
from .schema import Document


def ingest_documents(nlp: Language, documents: list[Document]) -> tuple[list[Doc], dict]:
    """Docs plus a report: tokens split to fit gold spans, and every span that still does not fit."""
    docs, split_tokens, unaligned = [], 0, []
    for document in documents:
        conv = document_to_doc(nlp, document, disable=("ner",))
        docs.append(conv.doc)
        split_tokens += conv.split_tokens
        unaligned += [f"{document.doc_id}:{e.id} {e.label} {e.text!r} {e.start}-{e.end}" for e in conv.unaligned]
    report = {
        "documents": len(docs),
        "entities": sum(len(d.ents) for d in docs),
        "relations": sum(len(d._.relations) for d in docs),
        "tokens_split_to_fit_gold": split_tokens,
        "unaligned_entities": unaligned,
    }
    return docs, report


def save_docs(docs: list[Doc], path: Path) -> None:
    from .files import atomic_path

    doc_bin = DocBin(store_user_data=True, docs=docs)
    with atomic_path(path) as tmp:
        doc_bin.to_disk(tmp)


def load_docs(nlp: Language, path: Path) -> list[Doc]:
    docs = list(DocBin().from_disk(path).get_docs(nlp.vocab))
    for doc in docs:  # msgpack gives tuples back; keep the JSON-shaped lists
        doc._.relations = [{**r, "head": list(r["head"]), "tail": list(r["tail"])} for r in doc._.relations or []]
    return docs
