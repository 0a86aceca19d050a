import numpy
from hypothesis import given, settings, strategies as st

from pipeline.pair_scores import ScoredPairs, decode_scored
from pipeline.pr_curve import GRID, curve_csv, operating_points, precision_recall_curve
from pipeline.schema import RELATION_LABELS
from pipeline.scoring import Ent, Rel, relation_scores

TEXT = "Russia sent troops to Mali and Niger. Macron met Tinubu and Putin."
TEXTS = {"d": TEXT}


def ent(label: str, name: str) -> Ent:
    return Ent("d", label, (TEXT.index(name), TEXT.index(name) + len(name)))


ENTS = (ent("GPE", "Russia"), ent("GPE", "Mali"), ent("GPE", "Niger"),
        ent("PERSON", "Macron"), ent("PERSON", "Tinubu"), ent("PERSON", "Putin"))
PAIRS = tuple((i, j) for i in range(len(ENTS)) for j in range(len(ENTS)) if i != j)
GOLD = [Rel("d", "deployed-to", ENTS[0].span, ENTS[1].span), Rel("d", "deployed-to", ENTS[0].span, ENTS[2].span),
        Rel("d", "met-with", ENTS[3].span, ENTS[4].span)]
THRESHOLDS = {"met-with": 0.45, "deployed-to": 0.35, "backed-by": 0.5}


def scored_with(scores: numpy.ndarray) -> list[ScoredPairs]:
    zeros = numpy.zeros_like(scores)
    return [ScoredPairs("d", ENTS, PAIRS, scores, zeros, zeros)]


score_matrices = st.lists(st.floats(0, 1), min_size=len(PAIRS) * 3, max_size=len(PAIRS) * 3).map(
    lambda xs: numpy.array(xs).reshape(len(PAIRS), 3))


@settings(max_examples=40, deadline=None)
@given(score_matrices)
def test_recall_never_rises_with_the_threshold(scores):
    for label in RELATION_LABELS:
        rows = precision_recall_curve(scored_with(scores), GOLD, TEXTS, THRESHOLDS, label)
        recalls = [r["recall"] for r in rows]
        assert recalls == sorted(recalls, reverse=True)
        assert all(0 <= r["precision"] <= 1 for r in rows)
        assert [r["threshold"] for r in rows] == sorted(r["threshold"] for r in rows)


@settings(max_examples=20, deadline=None)
@given(score_matrices)
def test_the_point_at_the_pipeline_thresholds_is_what_the_scorer_gives(scores):
    scored = scored_with(scores)
    table = relation_scores(GOLD, decode_scored(scored, THRESHOLDS), TEXTS)
    for label, point in operating_points(scored, GOLD, TEXTS, THRESHOLDS).items():
        assert point == {"threshold": THRESHOLDS[label], **{k: table[label][k] for k in ("precision", "recall", "f1")}}


def test_a_clean_model_traces_the_expected_curve_and_csv():
    scores = numpy.zeros((len(PAIRS), 3))
    scores[PAIRS.index((0, 1)), 1] = 0.9   # right
    scores[PAIRS.index((0, 2)), 1] = 0.3   # right, but below 0.3 only
    scores[PAIRS.index((3, 5)), 1] = 0.95  # PERSON -> PERSON: deployed-to does not allow it, never predicted
    scores[PAIRS.index((2, 1)), 1] = 0.5   # wrong
    rows = precision_recall_curve(scored_with(scores), GOLD, TEXTS, THRESHOLDS, "deployed-to")
    by_t = {r["threshold"]: (r["precision"], r["recall"]) for r in rows}
    assert by_t[0.3] == (round(2 / 3, 4), 1.0) and by_t[0.5] == (0.5, 0.5) and by_t[0.9] == (1.0, 0.5)
    assert max(by_t) == 0.9  # above the top score nothing is predicted: no row
    assert len(GRID) == 49 and GRID[0] == 0.02 and GRID[-1] == 0.98
    assert curve_csv(rows[:1]).splitlines() == ["threshold,precision,recall", "0.02,0.6667,1.0"]
