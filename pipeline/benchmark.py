"""Throughput of extraction with the trained pipeline against the base spaCy pipeline
alone, on the same files, in words per second."""

from __future__ import annotations

import time
from pathlib import Path

import spacy

from .extract import extract_records


def _timed(run) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def first_files(files: list[Path], max_words: int) -> list[Path]:
    """The leading files that together reach max_words (all of them when max_words is 0)."""
    taken, words = [], 0
    for f in files:
        if max_words and words >= max_words:
            break
        taken.append(f)
        words += len(f.read_text(encoding="utf-8").split())
    return taken


def time_pipelines(model: Path, base_model: str, files: list[Path]) -> dict:
    words = sum(len(f.read_text(encoding="utf-8").split()) for f in files)
    base, full = spacy.load(base_model), spacy.load(model)
    # Warm-up: the first call initialises lazily loaded parts of each pipeline.
    list(base.pipe(["Warm up."])), list(extract_records(full, files[:1]))
    base_s = _timed(lambda: list(base.pipe((f.read_text(encoding="utf-8") for f in files), batch_size=4)))
    full_s = _timed(lambda: list(extract_records(full, files)))
    return {"words": words, "files": len(files), "pipeline_words_per_s": round(words / full_s, 1),
            "base_words_per_s": round(words / base_s, 1), "ratio": round(base_s / full_s, 3)}
