"""Run the trained pipeline over new articles: one record per document with entities,
relations (head and tail as entity ids) and character offsets into the decoded text."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from .relations import sentence_span


class InputError(ValueError):
    pass


def input_files(inputs: Iterable[Path]) -> list[Path]:
    """The .txt files named, and those directly inside the folders named, in order."""
    files: list[Path] = []
    for path in inputs:
        if path.is_dir():
            found = sorted(path.glob("*.txt"))
            if not found:
                raise InputError(f"{path}: folder holds no .txt files (expected articles as NAME.txt)")
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return files


def doc_record(doc: Doc, source: str, sha256: str) -> dict:
    ids = {(e.start_char, e.end_char): f"T{i}" for i, e in enumerate(doc.ents, 1)}
    relations = []
    for r in doc._.relations or []:
        head, tail = tuple(r["head"]), tuple(r["tail"])
        start, end = sentence_span(doc, min(head[0], tail[0]), max(head[1], tail[1]))
        relations.append({"label": r["label"], "head": ids[head], "tail": ids[tail],
                          "score": r["score"], "sentence": [start, end]})
    return {
        "doc_id": Path(source).stem,
        "source": source,
        "sha256": sha256,
        "entities": [{"id": ids[(e.start_char, e.end_char)], "label": e.label_, "start": e.start_char,
                      "end": e.end_char, "text": e.text} for e in doc.ents],
        "relations": relations,
    }


def error_record(path: Path, data: bytes, message: str) -> dict:
    return {"doc_id": path.stem, "source": str(path), "sha256": hashlib.sha256(data).hexdigest(),
            "entities": [], "relations": [], "error": message}


def extract_records(nlp: Language, files: list[Path], batch_size: int = 4) -> Iterator[dict]:
    """One record per file, in order. A file that is not UTF-8 gets a record with an
    "error" and no entities; the batch goes on."""
    nlp.max_length = max(nlp.max_length, 5_000_000)
    pending: list[tuple[str, tuple[Path, bytes]]] = []

    def flush() -> Iterator[dict]:
        for doc, (path, data) in nlp.pipe(pending, as_tuples=True, batch_size=batch_size):
            yield doc_record(doc, str(path), hashlib.sha256(doc.text.encode("utf-8")).hexdigest())
        pending.clear()

    for path in files:
        data = path.read_bytes()
        try:
            # Decoded as the gold files are: newlines kept exactly, so offsets match the file.
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            yield from flush()
            yield error_record(path, data, f"not valid UTF-8 at byte {e.start}; re-save the file as UTF-8")
            continue
        pending.append((text, (path, data)))
        if len(pending) >= batch_size:
            yield from flush()
    yield from flush()
