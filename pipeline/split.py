"""Assign documents to train/dev/test by a hash of their id, so a document's split never
moves when others are added; documents already in split.yaml keep their split."""

from __future__ import annotations

import hashlib

from .corpus import SPLITS

SHARES = {"train": 0.70, "dev": 0.15, "test": 0.15}


def hashed_split(doc_id: str, salt: str = "") -> str:
    x = int(hashlib.sha256(f"{salt}{doc_id}".encode()).hexdigest()[:8], 16) / 16**8
    if x < SHARES["train"]:
        return "train"
    return "dev" if x < SHARES["train"] + SHARES["dev"] else "test"


def assign(doc_ids: list[str], current: dict[str, list[str]], salt: str = "") -> dict[str, list[str]]:
    placed = {d for ids in current.values() for d in ids}
    out = {s: list(current.get(s, [])) for s in SPLITS}
    for doc_id in sorted(set(doc_ids) - placed):
        out[hashed_split(doc_id, salt)].append(doc_id)
    return {s: sorted(ids) for s, ids in out.items()}
