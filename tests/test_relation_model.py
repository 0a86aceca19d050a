import numpy

from pipeline.relation_model import N_EXTRA, PairLayout, pair_rows, pair_rows_backward


def test_pair_encoding_gradient_matches_finite_differences():
    """Fine-tuning the encoder relies on this hand-written backward pass."""
    rng = numpy.random.default_rng(0)
    vectors = rng.normal(size=(12, 5)).astype("float32")
    starts = numpy.array([[1, 4, 3, 0, 6], [4, 1, 2, 0, 5], [2, 2, 3, 0, 3]])
    ends = numpy.array([[3, 6, 4, 1, 9], [6, 2, 4, 1, 9], [3, 3, 3, 2, 7]])  # includes an empty range
    layout = PairLayout(starts, ends, numpy.zeros((3, N_EXTRA), "float32"))
    d_rows = rng.normal(size=pair_rows(vectors, layout).shape).astype("float32")
    analytic = pair_rows_backward(vectors, layout, d_rows)
    numeric = numpy.zeros_like(vectors, dtype="float64")
    eps = 1e-2
    for index in numpy.ndindex(*vectors.shape):
        up, down = vectors.copy(), vectors.copy()
        up[index] += eps
        down[index] -= eps
        loss = lambda v: float((pair_rows(v, layout).astype("float64") * d_rows).sum())
        numeric[index] = (loss(up) - loss(down)) / (2 * eps)
    assert numpy.allclose(analytic, numeric, atol=1e-3), numpy.abs(analytic - numeric).max()


def test_no_pairs_give_no_rows_and_no_gradient():
    empty = PairLayout(numpy.zeros((0, 5), "int64"), numpy.zeros((0, 5), "int64"), numpy.zeros((0, N_EXTRA), "float32"))
    vectors = numpy.ones((4, 3), "float32")
    assert pair_rows(vectors, empty).shape == (0, 6 * 3 + N_EXTRA)
    assert not pair_rows_backward(vectors, empty, numpy.zeros((0, 6 * 3 + N_EXTRA), "float32")).any()
