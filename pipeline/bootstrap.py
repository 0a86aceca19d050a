"""Bootstrap confidence intervals over documents: resample the test documents with
replacement and recompute F1, so an interval shows how far a score could move on another
test set of the same size. Documents, not relations, are resampled because relations in
one brief are not independent (same actors, same writer)."""

from __future__ import annotations

import numpy

from .scoring import Counts

LOW, HIGH = 2.5, 97.5  # percentiles of a 95% interval


def resample_weights(n_docs: int, samples: int, seed: int) -> numpy.ndarray:
    """(samples × n_docs): how often each document is drawn in each bootstrap sample.
    A sample's scores are then a weighted sum of per-document counts, so no sample needs
    matching again, and every score is computed on the same samples (paired)."""
    rng = numpy.random.default_rng(seed)
    return rng.multinomial(n_docs, numpy.full(n_docs, 1.0 / n_docs), size=samples)


def sample_f1(counts: numpy.ndarray) -> numpy.ndarray:
    """F1 from (..., 3) arrays of tp, fp, fn; NaN where there is nothing to score."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    total = 2 * tp + fp + fn
    return numpy.divide(2 * tp, total, out=numpy.full(total.shape, numpy.nan), where=total > 0)


def interval(values: numpy.ndarray, point: float) -> list[float]:
    """The 95% percentile interval of the defined values (the point itself if none is)."""
    defined = values[~numpy.isnan(values)]
    if not defined.size:
        return [point, point]
    low, high = numpy.percentile(defined, [LOW, HIGH])
    return [round(float(low), 4), round(float(high), 4)]


def with_intervals(table: dict, counts: Counts, labels, doc_ids: list[str], weights: numpy.ndarray) -> dict:
    """A copy of `table` (scoring.table_from_counts over `counts`) with "f1_ci": [low, high]
    in every row. A sample that draws nothing to score for a label leaves its F1 undefined
    and out of the interval; macro F1 is recomputed per sample, an undefined label counting
    0 as in the point score."""
    index = {doc: k for k, doc in enumerate(doc_ids)}
    per_doc: dict[str, numpy.ndarray] = {label: numpy.zeros((len(doc_ids), 3)) for label in labels}
    for (doc, label), c in counts.items():
        per_doc.setdefault(label, numpy.zeros((len(doc_ids), 3)))[index[doc]] += c
    sampled = {label: weights @ c for label, c in per_doc.items()}  # label -> (samples × 3)
    f1 = {label: sample_f1(c) for label, c in sampled.items()}
    out = {row: dict(scores) for row, scores in table.items()}
    for label in labels:
        out[label]["f1_ci"] = interval(f1[label], table[label]["f1"])
    out["micro"]["f1_ci"] = interval(sample_f1(sum(sampled.values())), table["micro"]["f1"])
    stacked = numpy.stack([f1[label] for label in labels])
    macro = numpy.where(numpy.isnan(stacked).all(axis=0), numpy.nan, numpy.nan_to_num(stacked).mean(axis=0))
    out["macro"]["f1_ci"] = interval(macro, table["macro"]["f1"])
    return out
