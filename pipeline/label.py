"""Turn a labeling spec (exact strings, never offsets) into brat standoff.

A spec names mentions and relations by the strings that cover them, and offsets are
computed here, so no one counts characters by hand. Fields are separated by " | ":

    E | PERSON | Khalifa Haftar            every whole-word occurrence is a PERSON mention
    E | LOC | Africa | in Africa by        only the occurrence of "Africa" inside this anchor
    X | Haftar | the Haftar family         the occurrence inside the anchor is not a mention
    R | met-with | Michael Langley | Haftar | Michael Langley, met with Haftar

An anchor is an exact substring that occurs once in the text. Global E entries are
applied longest first and never overlap a mention already placed, so "Haftar" inside
"Saddam Haftar" stays part of the longer name. A relation's head and tail are the
mentions with exactly those texts inside its anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .schema import Entity, Relation

SEP = " | "


class SpecError(ValueError):
    pass


@dataclass(frozen=True)
class _Line:
    lineno: int
    kind: str
    fields: tuple[str, ...]


def _parse_spec(spec: str, where: str) -> list[_Line]:
    arity = {"E": (2, 3), "X": (2,), "R": (4,)}
    lines = []
    for lineno, raw in enumerate(spec.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        kind, *fields = [f.strip() for f in raw.split(SEP)]
        if kind not in arity or len(fields) not in arity[kind] or not all(fields):
            raise SpecError(
                f"{where}:{lineno}: cannot parse {raw[:70]!r} (expected 'E | LABEL | text', "
                "'E | LABEL | text | anchor', 'X | text | anchor' or "
                "'R | LABEL | head | tail | anchor', fields separated by ' | ')"
            )
        lines.append(_Line(lineno, kind, tuple(fields)))
    return lines


def _occurrences(text: str, needle: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    pattern = re.compile(r"(?<!\w)" + re.escape(needle) + r"(?!\w)")
    hi = len(text) if hi is None else hi
    return [(m.start(), m.end()) for m in pattern.finditer(text, lo, hi)]


def _anchor(text: str, anchor: str, where: str) -> tuple[int, int]:
    count = text.count(anchor)
    if count != 1:
        found = "not found" if count == 0 else f"found {count} times"
        raise SpecError(f"{where}: anchor {anchor!r} {found} in the text (it must occur exactly once)")
    start = text.index(anchor)
    return start, start + len(anchor)


def _one_in(text: str, needle: str, span: tuple[int, int], where: str) -> tuple[int, int]:
    hits = _occurrences(text, needle, *span)
    if len(hits) != 1:
        raise SpecError(
            f"{where}: {needle!r} occurs {len(hits)} times as a whole word inside its anchor "
            "(expected once; change the anchor)"
        )
    return hits[0]


def _overlaps(span: tuple[int, int], spans) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def spec_to_annotations(text: str, spec: str, where: str = "<spec>") -> tuple[list[Entity], list[Relation]]:
    """Resolve a spec against the document text into entities and relations with offsets."""
    lines = _parse_spec(spec, where)
    placed: dict[tuple[int, int], str] = {}
    blocked: set[tuple[int, int]] = set()
    for line in lines:
        at = f"{where}:{line.lineno}"
        if line.kind == "E" and len(line.fields) == 3:
            label, needle, anchor = line.fields
            placed[_one_in(text, needle, _anchor(text, anchor, at), at)] = label
        elif line.kind == "X":
            needle, anchor = line.fields
            blocked.add(_one_in(text, needle, _anchor(text, anchor, at), at))
    globals_ = [l for l in lines if l.kind == "E" and len(l.fields) == 2]
    for line in sorted(globals_, key=lambda l: -len(l.fields[1])):
        label, needle = line.fields
        hits = _occurrences(text, needle)
        if not hits:
            raise SpecError(f"{where}:{line.lineno}: {needle!r} does not occur in the text as a whole word")
        for span in hits:
            if span not in blocked and not _overlaps(span, placed):
                placed[span] = label

    entities = [
        Entity(f"T{i}", placed[span], span[0], span[1], text[span[0] : span[1]])
        for i, span in enumerate(sorted(placed), start=1)
    ]
    by_span = {(e.start, e.end): e for e in entities}

    def mention(needle: str, anchor_span: tuple[int, int], at: str) -> Entity:
        hits = [by_span[s] for s in _occurrences(text, needle, *anchor_span) if s in by_span]
        if len(hits) != 1:
            raise SpecError(
                f"{at}: {len(hits)} mentions with text {needle!r} inside the anchor "
                "(expected exactly one labeled mention; check the E lines or the anchor)"
            )
        return hits[0]

    relations: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()
    for line in (l for l in lines if l.kind == "R"):
        at = f"{where}:{line.lineno}"
        label, head, tail, anchor = line.fields
        span = _anchor(text, anchor, at)
        h, t = mention(head, span, at), mention(tail, span, at)
        key = (label, h.id, t.id)
        if key in seen:
            raise SpecError(f"{at}: duplicate relation {label}({head}, {tail}) on the same mentions")
        seen.add(key)
        relations.append(Relation(f"R{len(relations) + 1}", label, h.id, t.id))
    return entities, relations


def label_file(spec_path: Path, txt_path: Path) -> tuple[list[Entity], list[Relation]]:
    from .brat import read_text

    return spec_to_annotations(read_text(txt_path), read_text(spec_path), str(spec_path))
