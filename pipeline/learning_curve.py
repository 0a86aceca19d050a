"""The learning curve: the relation extractor trained on growing shares of the train
documents (same settings, same dev selection), each scored given-entity on held-out docs."""

from __future__ import annotations

import random
from typing import Callable

from spacy.tokens import Doc

from .relations import rels_of
from .schema import RELATION_LABELS
from .scoring import relation_scores
from .train import TrainSettings, build_pipeline, given_entity_relations, train_relations


def train_subset(docs: list[Doc], fraction: float, seed: int) -> list[Doc]:
    """The first share of the documents in a seeded shuffle, so a larger share holds every
    document of a smaller one."""
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    return [docs[i] for i in order[: max(1, round(fraction * len(docs)))]]


def learning_curve(
    s: TrainSettings, train_docs: list[Doc], dev_docs: list[Doc], test_docs: list[Doc], fractions: list[float],
    progress: Callable[[dict], None] = lambda row: None, on_epoch: Callable[[dict], None] = lambda row: None,
) -> list[dict]:
    """One row per fraction: train documents used, then strict F1 per label and micro."""
    gold = [r for d in test_docs for r in rels_of(d)]
    texts = {d.user_data["doc_id"]: d.text for d in test_docs}
    rows = []
    for fraction in sorted(fractions):
        subset = train_subset(train_docs, fraction, s.seed)
        nlp = build_pipeline(s)
        train_relations(nlp, subset, dev_docs, s, progress=on_epoch)
        scores = relation_scores(gold, given_entity_relations(nlp, test_docs), texts)
        rows.append({"fraction": fraction, "documents": len(subset),
                     **{label: scores[label]["f1"] for label in (*RELATION_LABELS, "micro")}})
        progress(rows[-1])
    return rows
