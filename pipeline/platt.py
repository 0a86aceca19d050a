"""Platt scaling of the relation scores: per label, a logistic map a * logit(p) + b fit on
dev, so that a score of 0.8 is right about 80% of the time. The network's own sigmoid
is trained with a loss weighted by many easy negatives and comes out over-confident."""

from __future__ import annotations

import numpy
from sklearn.linear_model import LogisticRegression

EPS = 1e-6


def _logit(p: numpy.ndarray) -> numpy.ndarray:
    p = numpy.clip(p, EPS, 1 - EPS)
    return numpy.log(p / (1 - p))


def fit_platt(scores: numpy.ndarray, truth: numpy.ndarray) -> tuple[float, float]:
    """(a, b) for one label; the identity (1, 0) when the items hold one class only."""
    if len(set(truth.tolist())) < 2:
        return 1.0, 0.0
    model = LogisticRegression(C=1e4).fit(_logit(scores)[:, None], truth)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def apply_platt(scores: numpy.ndarray, maps: list[tuple[float, float]] | None) -> numpy.ndarray:
    """Scores (n × labels) through each label's map; unchanged when there are no maps."""
    if not maps or not len(scores):
        return scores
    a, b = numpy.array(maps, dtype="float32").T
    return (1 / (1 + numpy.exp(-(a * _logit(scores) + b)))).astype("float32")
