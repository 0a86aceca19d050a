from hypothesis import given, strategies as st

from pipeline.scoring import Ent, Rel, entity_scores, relation_scores, trim

TEXT = "The Kremlin’s envoy met Haftar in Benghazi; the U.N.-backed government in Tripoli."
TEXTS = {"d": TEXT}


def at(s: str) -> tuple[int, int]:
    return TEXT.index(s), TEXT.index(s) + len(s)


K = at("The Kremlin’s")  # trims to Kremlin
KREMLIN, HAFTAR, BENGHAZI, UN, TRIPOLI = at("Kremlin"), at("Haftar"), at("Benghazi"), at("U.N."), at("Tripoli")


def test_trim_drops_the_possessive_quotes_and_punctuation():
    assert trim(TEXT, K) == KREMLIN
    assert trim("“the Pentagon’s”", (0, 16)) == (5, 13)


def test_hand_computed_scores():
    gold = [
        Rel("d", "met-with", KREMLIN, HAFTAR),
        Rel("d", "backed-by", TRIPOLI, UN),
        Rel("d", "deployed-to", KREMLIN, BENGHAZI),
    ]
    pred = [
        Rel("d", "met-with", HAFTAR, K),            # reversed and untrimmed: still right (symmetric)
        Rel("d", "met-with", KREMLIN, HAFTAR),      # the same gold cannot be matched twice
        Rel("d", "backed-by", UN, TRIPOLI),         # wrong direction
        Rel("d", "deployed-to", (4, 9), BENGHAZI),  # overlaps the head: relaxed only
    ]
    strict = relation_scores(gold, pred, TEXTS)
    assert strict["met-with"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "tp": 1, "fp": 1, "fn": 0}
    assert strict["backed-by"]["tp"] == 0 and strict["deployed-to"]["tp"] == 0
    assert strict["micro"]["precision"] == 0.25 and strict["micro"]["recall"] == round(1 / 3, 4)
    assert strict["macro"]["f1"] == round(0.6667 / 3, 4)
    relaxed = relation_scores(gold, pred, TEXTS, relaxed=True)
    assert relaxed["deployed-to"]["tp"] == 1 and relaxed["backed-by"]["tp"] == 0
    assert relaxed["micro"]["tp"] == 2


def test_entity_scores_per_label():
    gold = [Ent("d", "ORG", KREMLIN), Ent("d", "PERSON", HAFTAR), Ent("d", "GPE", BENGHAZI)]
    pred = [Ent("d", "ORG", K), Ent("d", "GPE", HAFTAR), Ent("d", "GPE", BENGHAZI)]
    scores = entity_scores(gold, pred, TEXTS, ["ORG", "PERSON", "GPE"])
    assert scores["ORG"]["f1"] == 1.0 and scores["PERSON"]["recall"] == 0.0
    assert scores["GPE"]["precision"] == 0.5 and scores["micro"]["tp"] == 2


spans = st.tuples(st.integers(0, 70), st.integers(1, 12)).map(lambda t: (t[0], t[0] + t[1]))
rels = st.builds(Rel, st.just("d"), st.sampled_from(["met-with", "deployed-to", "backed-by"]), spans, spans)


@given(gold=st.lists(rels, max_size=8), pred=st.lists(rels, max_size=8))
def test_scores_lie_in_unit_interval_and_perfect_prediction_scores_one(gold, pred):
    for relaxed in (False, True):
        table = relation_scores(gold, pred, TEXTS, relaxed)
        assert all(0 <= table[k][m] <= 1 for k in table for m in ("precision", "recall", "f1"))
    unique = list(dict.fromkeys(gold))
    if unique:
        assert relation_scores(unique, unique, TEXTS)["micro"]["recall"] >= 0.99 or len(unique) != len(set(
            (r.label, r.head, r.tail) for r in unique))
