"""Calibration of the relation model's scores: a score of 0.8 should be right about 80%
of the time. Items are candidate pairs whose entity types a label allows, each with the
model's score for that label and whether the gold holds the relation."""

from __future__ import annotations

import numpy

from .pair_scores import ScoredPairs
from .schema import RELATION_LABELS


def calibration_items(scored: list[ScoredPairs]) -> dict[str, tuple[numpy.ndarray, numpy.ndarray]]:
    """label -> (scores, truth) over every pair the label's types allow, plus "overall" (all pooled)."""
    items = {}
    for k, label in enumerate(RELATION_LABELS):
        rows = [(s.scores[:, k][s.mask[:, k] > 0], s.truth[:, k][s.mask[:, k] > 0]) for s in scored]
        items[label] = tuple(numpy.concatenate([r[i] for r in rows] or [numpy.zeros(0)]) for i in (0, 1))
    items["overall"] = tuple(numpy.concatenate([items[label][i] for label in RELATION_LABELS]) for i in (0, 1))
    return items


def reliability(scores: numpy.ndarray, truth: numpy.ndarray, bins: int) -> list[dict]:
    """One row per equal-width score bin ([0, 1/bins), ..., [1 - 1/bins, 1]): items, their
    mean score and the fraction that is gold (None for an empty bin)."""
    index = numpy.minimum((scores * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        inside = index == b
        n = int(inside.sum())
        rows.append({"low": round(b / bins, 4), "high": round((b + 1) / bins, 4), "items": n,
                     "mean_score": float(scores[inside].mean()) if n else None,
                     "fraction_gold": float(truth[inside].mean()) if n else None})
    return rows


def expected_calibration_error(scores: numpy.ndarray, truth: numpy.ndarray, bins: int) -> float:
    """Σ over bins of (items in bin / items) × |fraction gold − mean score|."""
    rows = [r for r in reliability(scores, truth, bins) if r["items"]]
    total = sum(r["items"] for r in rows)
    return sum(r["items"] / total * abs(r["fraction_gold"] - r["mean_score"]) for r in rows) if total else 0.0


def calibration_metrics(scored: list[ScoredPairs], bins: int) -> dict:
    """{label: {"ece", "items"}} for each label and "overall"."""
    return {label: {"ece": round(expected_calibration_error(s, t, bins), 4), "items": len(s)}
            for label, (s, t) in calibration_items(scored).items()}
