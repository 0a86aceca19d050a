"""Precision and recall of one relation label as its threshold moves (model, given-entity,
strict), computed as the pipeline decides: raw pair scores through decode, then the
guide's scorer. The other labels keep their thresholds; they do not change this label's
scores, since matching is per label."""

from __future__ import annotations

from .pair_scores import ScoredPairs, decode_scored
from .scoring import Rel, relation_scores

GRID = tuple(round(0.02 * k, 2) for k in range(1, 50))  # 0.02, 0.04, ..., 0.98


def label_scores(scored: list[ScoredPairs], gold: list[Rel], texts: dict[str, str],
                 thresholds: dict[str, float], label: str, threshold: float) -> dict:
    """Strict precision/recall/F1 row of `label` with its threshold set to `threshold`."""
    pred = [r for r in decode_scored(scored, {**thresholds, label: threshold}) if r.label == label]
    return relation_scores([g for g in gold if g.label == label], pred, texts)[label]


def precision_recall_curve(scored: list[ScoredPairs], gold: list[Rel], texts: dict[str, str],
                           thresholds: dict[str, float], label: str, grid=GRID) -> list[dict]:
    """One row per threshold of `grid`: {"threshold", "precision", "recall"}. Thresholds at
    which nothing is predicted are left out: precision is undefined there, and a 0 would
    draw a false drop to the origin."""
    rows = []
    for t in grid:
        row = label_scores(scored, gold, texts, thresholds, label, t)
        if row["tp"] + row["fp"]:
            rows.append({"threshold": t, "precision": row["precision"], "recall": row["recall"]})
    return rows


def operating_points(scored: list[ScoredPairs], gold: list[Rel], texts: dict[str, str],
                     thresholds: dict[str, float]) -> dict[str, dict]:
    """Per label, the point on its curve at the pipeline's own (dev-tuned) threshold."""
    return {label: {"threshold": t, **{k: label_scores(scored, gold, texts, thresholds, label, t)[k]
                                       for k in ("precision", "recall", "f1")}}
            for label, t in thresholds.items()}


def curve_csv(rows: list[dict]) -> str:
    """The rows as CSV with a threshold,precision,recall header (a DVC plots file)."""
    return "threshold,precision,recall\n" + "".join(f"{r['threshold']},{r['precision']},{r['recall']}\n" for r in rows)
