"""Throughput of the trained pipeline against the base spaCy pipeline, on the same texts."""

from __future__ import annotations

import time
from pathlib import Path

import spacy


def words_per_second(nlp, texts: list[str]) -> float:
    list(nlp.pipe(texts[:1]))  # warm-up: first call loads lazily initialised parts
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=4):
        pass
    return sum(len(t.split()) for t in texts) / (time.perf_counter() - start)


def time_pipelines(model: Path, base_model: str, texts: list[str]) -> dict:
    base = words_per_second(spacy.load(base_model), texts)
    full = words_per_second(spacy.load(model), texts)
    return {"words": sum(len(t.split()) for t in texts), "pipeline_words_per_s": round(full, 1),
            "base_words_per_s": round(base, 1), "ratio": round(full / base, 3)}
