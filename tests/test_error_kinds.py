import re

from pipeline.error_kinds import (BOUNDARY, CROSS_SENTENCE, DIRECTION, HARD_NEGATIVE, LABEL, MISSED_ENTITY, OTHER_FN,
                                  OTHER_FP, classify_errors, count_kinds)
from pipeline.hard_negatives import HardNegative, hard_sentences
from pipeline.scoring import Ent, Rel

TEXT = ("U.S. Marines were deployed to Finnmark. Russia backs Haftar. Sweden backs Ukraine. Stubb met Trump. "
        "Putin declined to meet Zelensky. Macron arrived in Berlin. There he met Scholz. Erdogan met Aliyev and Biden met Xi.")
TEXTS = {"d": TEXT}
SENTENCES = {"d": [m.span() for m in re.finditer(r"[^ .][^.]*\.", TEXT)]}
NAMES = ("U.S. Marines", "Marines", "Finnmark", "Russia", "Haftar", "Sweden", "Ukraine", "Stubb", "Trump", "Putin",
         "Zelensky", "Macron", "Berlin", "Scholz", "Erdogan", "Aliyev", "Biden", "Xi")
S = {name: (TEXT.index(name), TEXT.index(name) + len(name)) for name in NAMES}


def rel(label: str, head: str, tail: str) -> Rel:
    return Rel("d", label, S[head], S[tail])


GOLD = [rel("deployed-to", "U.S. Marines", "Finnmark"), rel("backed-by", "Haftar", "Russia"),
        rel("backed-by", "Ukraine", "Sweden"), rel("met-with", "Stubb", "Trump"), rel("met-with", "Macron", "Scholz"),
        rel("met-with", "Biden", "Xi")]
PRED = [rel("deployed-to", "Marines", "Finnmark"),                                     # boundary, with its gold
        rel("backed-by", "Haftar", "Russia"), rel("backed-by", "Russia", "Haftar"),     # right; reversed
        rel("backed-by", "Ukraine", "Sweden"), rel("deployed-to", "Sweden", "Ukraine"),  # right; other label
        rel("met-with", "Putin", "Zelensky"),                                          # in a hard-negative sentence
        rel("met-with", "Erdogan", "Aliyev")]                                          # plainly wrong
PRED_ENTS = [Ent("d", "GPE", S[n]) for n in NAMES if n not in ("U.S. Marines", "Trump")]
HARD = hard_sentences([HardNegative("d", "declined to meet", "met-with", "refused", (S["Putin"],))], SENTENCES)


def kinds(cases) -> list[tuple[str, str, str]]:
    return [(c.kind, TEXT[slice(*c.rel.head)], TEXT[slice(*c.rel.tail)]) for c in cases]


def test_each_error_gets_the_first_kind_that_applies():
    cases = classify_errors(GOLD, PRED, TEXTS, SENTENCES, PRED_ENTS, HARD)
    assert kinds(cases) == [
        (BOUNDARY, "Marines", "Finnmark"),
        (MISSED_ENTITY, "Stubb", "Trump"),
        (DIRECTION, "Russia", "Haftar"),
        (LABEL, "Sweden", "Ukraine"),
        (HARD_NEGATIVE, "Putin", "Zelensky"),
        (CROSS_SENTENCE, "Macron", "Scholz"),
        (OTHER_FP, "Erdogan", "Aliyev"),
        (OTHER_FN, "Biden", "Xi"),
    ]
    boundary = cases[0]
    assert boundary.gold == GOLD[0] and "“U.S. Marines”" in boundary.detail
    assert cases[1].detail == "no predicted entity at “Trump”"
    assert cases[3].detail == "gold label backed-by"


def test_a_boundary_error_counts_once_and_every_other_error_once():
    cases = classify_errors(GOLD, PRED, TEXTS, SENTENCES, PRED_ENTS, HARD)
    false_positives, false_negatives = 5, 4  # each side of the boundary pair included
    assert len(cases) == false_positives + false_negatives - 1
    counts = count_kinds(cases)
    assert counts[BOUNDARY] == {"met-with": 0, "deployed-to": 1, "backed-by": 0, "total": 1}
    assert sum(row["total"] for row in counts.values()) == len(cases)


def test_without_predicted_entities_or_hard_negatives_those_kinds_do_not_apply():
    cases = classify_errors(GOLD, PRED, TEXTS, SENTENCES)
    found = dict(((h, t), k) for k, h, t in kinds(cases))
    assert found[("Stubb", "Trump")] == OTHER_FN
    assert found[("Putin", "Zelensky")] == OTHER_FP
    assert MISSED_ENTITY not in {c.kind for c in cases} and HARD_NEGATIVE not in {c.kind for c in cases}


def test_met_with_has_no_direction_to_get_wrong():
    gold, pred = [rel("met-with", "Stubb", "Trump")], [rel("met-with", "Trump", "Stubb")]
    assert classify_errors(gold, pred, TEXTS, SENTENCES) == []
