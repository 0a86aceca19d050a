"""The corpus folder: brat pairs side by side, and the document-level split in split.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml

from .brat import read_document
from .schema import Document

SPLIT_FILE = "split.yaml"
SPLITS = ("train", "dev", "test")


def document_paths(corpus_dir: Path) -> list[Path]:
    """The .txt files directly in the corpus folder (subfolders such as incoming/ are not gold)."""
    return sorted(corpus_dir.glob("*.txt"))


def read_split(corpus_dir: Path) -> dict[str, list[str]]:
    """split.yaml as {split: [doc_id, ...]}; missing splits are empty lists."""
    path = corpus_dir / SPLIT_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}:1: expected a mapping of split name to a list of document ids")
    return {name: list(data.get(name) or []) for name in SPLITS} | {
        k: list(v or []) for k, v in data.items() if k not in SPLITS
    }


def load_split(corpus_dir: Path, split: str) -> list[Document]:
    ids = read_split(corpus_dir)[split]
    return [read_document(corpus_dir / f"{doc_id}.txt") for doc_id in ids]
