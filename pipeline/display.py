"""Readable renderings of labeled documents, for people checking labels."""

from __future__ import annotations

from .schema import Document


def render_document(doc: Document) -> str:
    """The text with each mention as [text](LABEL Tn), then one line per relation."""
    out, cursor = [], 0
    for e in sorted(doc.entities, key=lambda e: e.start):
        out += [doc.text[cursor : e.start], f"[{e.text}]({e.label} {e.id})"]
        cursor = e.end
    out.append(doc.text[cursor:])
    lines = ["".join(out).rstrip(), ""]
    for r in doc.relations:
        lines.append(f"{r.id} {r.label}({doc.entity(r.head).text} {r.head}, {doc.entity(r.tail).text} {r.tail})")
    return "\n".join(lines)
