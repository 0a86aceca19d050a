import numpy
import pytest

from pipeline.bootstrap import resample_weights, with_intervals
from pipeline.scoring import table_from_counts

LABELS = ("a", "b")


def scored(counts: dict, weights) -> dict:
    docs = sorted({doc for doc, _ in counts})
    return with_intervals(table_from_counts(counts, LABELS), counts, LABELS, docs, weights)


def test_known_tiny_case_with_given_resamples():
    # Doc x: one right prediction; doc y: one wrong one. The four resamples draw x twice,
    # x and y (twice) and y twice: F1 1, 2/3, 2/3, 0.
    counts = {("x", "a"): (1, 0, 0), ("y", "a"): (0, 1, 0)}
    weights = numpy.array([[2, 0], [1, 1], [1, 1], [0, 2]])
    table = scored(counts, weights)
    expected = numpy.percentile([1, 2 / 3, 2 / 3, 0], [2.5, 97.5]).round(4).tolist()
    assert table["a"]["f1_ci"] == table["micro"]["f1_ci"] == expected == [0.05, 0.975]
    assert table["a"]["f1"] == 0.6667  # the point score is untouched
    # Label b has nothing in any sample: its interval is its point score; macro counts it as 0.
    assert table["b"]["f1_ci"] == [0.0, 0.0]
    assert table["macro"]["f1_ci"] == [0.025, 0.4875]


def test_interval_contains_the_point_and_narrows_with_more_documents():
    rng = numpy.random.default_rng(1)
    few = {(f"d{i}", "a"): tuple(int(v) for v in rng.integers(0, 6, 3)) for i in range(6)}
    many = {(f"{doc}-{k}", label): c for (doc, label), c in few.items() for k in range(10)}  # same mix, 10 times the documents
    small, large = (scored(c, resample_weights(len({d for d, _ in c}), 2000, 0)) for c in (few, many))
    assert small["a"]["f1"] == large["a"]["f1"]
    for table in (small, large):
        low, high = table["a"]["f1_ci"]
        assert low <= table["a"]["f1"] <= high
    assert numpy.diff(large["a"]["f1_ci"]) < numpy.diff(small["a"]["f1_ci"]) / 2


def test_interval_collapses_when_one_document_holds_everything():
    counts = {("only", "a"): (3, 1, 2), ("only", "b"): (1, 1, 0)}
    table = scored({**counts, ("empty", "a"): (0, 0, 0)}, resample_weights(2, 500, 0))
    for row in ("a", "b", "micro", "macro"):
        assert table[row]["f1_ci"] == pytest.approx([table[row]["f1"]] * 2, abs=1e-4)


def test_resamples_are_seeded_and_draw_as_many_documents_as_there_are():
    first, again = resample_weights(5, 100, seed=3), resample_weights(5, 100, seed=3)
    assert (first == again).all() and (first.sum(axis=1) == 5).all()
    assert not (first == resample_weights(5, 100, seed=4)).all()
