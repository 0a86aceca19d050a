"""Check a corpus folder against the annotation guide; every problem is 'FILE:LINE: message'."""

from __future__ import annotations

from pathlib import Path

import yaml

from .brat import AnnLine, parse_ann, read_text
from .corpus import SPLIT_FILE, SPLITS, document_paths
from .schema import ENTITY_LABELS, RELATION_TYPES, Entity, Relation

POSSESSIVES = ("'s", "’s")


def check_entity(e: Entity, text: str) -> list[str]:
    """Problems with one entity mention against its document text."""
    if e.label not in ENTITY_LABELS:
        return [f"unknown entity label {e.label!r} (expected one of {', '.join(ENTITY_LABELS)})"]
    if not 0 <= e.start < e.end <= len(text):
        return [f"offsets {e.start}-{e.end} out of range (expected 0 <= START < END <= {len(text)})"]
    covered = text[e.start : e.end]
    if covered != e.text:
        return [f"covered text {e.text!r} differs from the text at {e.start}-{e.end}, {covered!r}"]
    problems = []
    if covered != covered.strip():
        problems.append(f"span {covered!r} has surrounding whitespace (expected it trimmed)")
    if (e.start > 0 and text[e.start - 1].isalnum() and covered[0].isalnum()) or (
        e.end < len(text) and text[e.end].isalnum() and covered[-1].isalnum()
    ):
        context = text[max(0, e.start - 10) : e.end + 10].replace("\n", " ")
        problems.append(f"span {covered!r} cuts a word in {context!r} (expected whole words)")
    if covered.lower().startswith("the "):
        problems.append(f"span {covered!r} includes a leading 'the' (expected it outside the span)")
    if covered.endswith(POSSESSIVES):
        problems.append(f"span {covered!r} includes a trailing possessive (expected it outside the span)")
    return problems


def check_relation(r: Relation, entities: dict[str, Entity]) -> list[str]:
    rtype = RELATION_TYPES.get(r.label)
    if rtype is None:
        return [f"unknown relation label {r.label!r} (expected one of {', '.join(RELATION_TYPES)})"]
    missing = [a for a in (r.head, r.tail) if a not in entities]
    if missing:
        return [f"relation {r.id} points at missing entity {', '.join(missing)} (expected a T id defined in this file)"]
    if r.head == r.tail:
        return [f"relation {r.id} links {r.head} to itself (expected two different mentions)"]
    head, tail = entities[r.head], entities[r.tail]
    if not rtype.allows(head.label, tail.label):
        return [
            f"{r.label} cannot link {head.label} {head.text!r} to {tail.label} {tail.text!r} "
            f"(expected head in {sorted(rtype.heads)}, tail in {sorted(rtype.tails)})"
        ]
    return []


def relation_key(r: Relation) -> tuple[str, frozenset[str] | tuple[str, str]]:
    """Identity of a relation: argument order matters except for symmetric labels."""
    symmetric = r.label in RELATION_TYPES and RELATION_TYPES[r.label].symmetric
    return r.label, frozenset((r.head, r.tail)) if symmetric else (r.head, r.tail)


def check_ann(ann_lines: list[AnnLine], text: str) -> list[tuple[int, str]]:
    """(line number, problem) pairs for one parsed .ann file."""
    problems: list[tuple[int, str]] = []
    ids: dict[str, int] = {}
    spans: dict[tuple[int, int, str], int] = {}
    relations: dict[tuple, int] = {}
    for line in ann_lines:
        item = line.item
        if item.id in ids:
            problems.append((line.lineno, f"duplicate id {item.id} (first defined on line {ids[item.id]})"))
        ids.setdefault(item.id, line.lineno)
    entities = {l.item.id: l.item for l in ann_lines if isinstance(l.item, Entity)}
    for line in ann_lines:
        item = line.item
        if isinstance(item, Entity):
            problems += [(line.lineno, p) for p in check_entity(item, text)]
            key = (item.start, item.end, item.label)
            if key in spans:
                problems.append((line.lineno, f"duplicate entity {item.label} {item.text!r} (same span as line {spans[key]})"))
            spans.setdefault(key, line.lineno)
        else:
            found = check_relation(item, entities)
            problems += [(line.lineno, p) for p in found]
            key = relation_key(item)
            if not found and key in relations:
                problems.append((line.lineno, f"duplicate relation {item.label} {item.head} {item.tail} (same as line {relations[key]})"))
            relations.setdefault(key, line.lineno)
    return problems


def check_split(corpus_dir: Path, doc_ids: set[str]) -> list[str]:
    path = corpus_dir / SPLIT_FILE
    if not path.exists():
        return [f"{path}:1: missing (expected a YAML file mapping {', '.join(SPLITS)} to document ids)"]
    raw = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(raw) or {}
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", 0) + 1
        return [f"{path}:{line}: not valid YAML ({e.__class__.__name__})"]
    if not isinstance(data, dict):
        return [f"{path}:1: expected a mapping of split name to a list of document ids"]
    lines = raw.splitlines()

    def line_of(token: str) -> int:
        return next((i for i, l in enumerate(lines, 1) if token in l), 1)

    problems = []
    seen: dict[str, str] = {}
    for split, ids in data.items():
        if split not in SPLITS:
            problems.append(f"{path}:{line_of(str(split))}: unknown split {split!r} (expected one of {', '.join(SPLITS)})")
            continue
        for doc_id in ids or []:
            if doc_id in seen:
                problems.append(f"{path}:{line_of(doc_id)}: {doc_id} is in both {seen[doc_id]} and {split} (expected one split per document)")
            elif doc_id not in doc_ids:
                problems.append(f"{path}:{line_of(doc_id)}: {doc_id} has no {doc_id}.txt in {corpus_dir} (expected an existing document)")
            seen.setdefault(doc_id, split)
    for doc_id in sorted(doc_ids - seen.keys()):
        problems.append(f"{path}:1: {doc_id} is in no split (expected it under one of {', '.join(SPLITS)})")
    return problems


def _decoded(path: Path) -> str:
    try:
        return read_text(path)
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}:1: not valid UTF-8 at byte {e.start} (expected UTF-8 text; re-save the file as UTF-8)") from e


def validate_corpus(corpus_dir: Path) -> list[str]:
    """Every problem in the corpus folder as 'FILE:LINE: what is wrong (what was expected)'."""
    problems: list[str] = []
    txts = {p.stem: p for p in document_paths(corpus_dir)}
    anns = {p.stem: p for p in sorted(corpus_dir.glob("*.ann"))}
    for stem in sorted(anns.keys() - txts.keys()):
        problems.append(f"{anns[stem]}:1: no {stem}.txt beside it (expected a .txt for every .ann)")
    for stem, txt in txts.items():
        if stem not in anns:
            problems.append(f"{txt}:1: no {stem}.ann beside it (expected a .ann for every .txt)")
            continue
        try:
            text = _decoded(txt)
            lines = parse_ann(_decoded(anns[stem]), anns[stem])
        except ValueError as e:
            problems.append(str(e))
            continue
        problems += [f"{anns[stem]}:{lineno}: {msg}" for lineno, msg in check_ann(lines, text)]
    return problems + check_split(corpus_dir, set(txts))
