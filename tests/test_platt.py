import numpy

from pipeline.calibration import expected_calibration_error
from pipeline.platt import apply_platt, fit_platt


def test_platt_map_fit_on_over_confident_scores_lowers_calibration_error():
    rng = numpy.random.default_rng(0)
    scores = rng.random(4000)
    truth = (rng.random(4000) < scores**3).astype(float)  # a score of 0.8 is right about half the time
    a, b = fit_platt(scores, truth)
    calibrated = apply_platt(scores[:, None], [(a, b)])[:, 0]
    assert expected_calibration_error(calibrated, truth, 10) < expected_calibration_error(scores, truth, 10) / 3
    assert numpy.all(numpy.diff(calibrated[numpy.argsort(scores)]) >= 0), "the map keeps the ranking"


def test_without_both_classes_or_without_maps_scores_stay_as_they_are():
    scores = numpy.array([[0.2, 0.9], [0.7, 0.1]], dtype="float32")
    assert fit_platt(scores[:, 0], numpy.zeros(2)) == (1.0, 0.0)
    assert apply_platt(scores, None) is scores
    assert numpy.allclose(apply_platt(scores, [(1.0, 0.0), (1.0, 0.0)]), scores, atol=1e-5)
