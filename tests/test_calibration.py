import numpy
import pytest

from pipeline.calibration import calibration_metrics, expected_calibration_error, reliability
from pipeline.pair_scores import ScoredPairs


def test_hand_computed_expected_calibration_error():
    # Two bins of width 0.5. Low bin: scores 0.1, 0.2, 0.3, one gold of three -> |1/3 - 0.2|.
    # High bin: 0.8 and 1.0 (the top edge belongs to the last bin), both gold -> |1 - 0.9|.
    scores = numpy.array([0.1, 0.2, 0.3, 0.8, 1.0])
    truth = numpy.array([0, 1, 0, 1, 1])
    expected = 3 / 5 * abs(1 / 3 - 0.2) + 2 / 5 * abs(1 - 0.9)
    assert expected_calibration_error(scores, truth, bins=2) == pytest.approx(expected)  # 0.12
    rows = reliability(scores, truth, bins=2)
    assert [r["items"] for r in rows] == [3, 2]
    assert rows[1]["mean_score"] == pytest.approx(0.9) and rows[1]["fraction_gold"] == 1.0


def test_perfectly_calibrated_scores_have_no_error_and_empty_bins_are_skipped():
    scores, truth = numpy.array([0.0, 0.0, 1.0]), numpy.array([0, 0, 1])
    assert expected_calibration_error(scores, truth, bins=10) == 0.0
    assert reliability(scores, truth, bins=10)[5] == {"low": 0.5, "high": 0.6, "items": 0, "mean_score": None, "fraction_gold": None}


def test_items_are_the_pairs_a_label_allows():
    # Two pairs; met-with allowed for both, deployed-to for the second only, backed-by for none.
    scored = ScoredPairs("d", (), ((0, 1), (1, 0)),
                         scores=numpy.array([[0.9, 0.2, 0.7], [0.1, 0.6, 0.7]]),
                         truth=numpy.array([[1, 0, 0], [0, 1, 0]]),
                         mask=numpy.array([[1, 0, 0], [1, 1, 0]]))
    metrics = calibration_metrics([scored], bins=10)
    assert {k: v["items"] for k, v in metrics.items()} == {"met-with": 2, "deployed-to": 1, "backed-by": 0, "overall": 3}
    assert metrics["met-with"]["ece"] == pytest.approx(0.1)  # (|1 - 0.9| + |0 - 0.1|) / 2
    assert metrics["deployed-to"]["ece"] == pytest.approx(0.4)
    assert metrics["backed-by"]["ece"] == 0.0
