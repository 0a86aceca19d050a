from pathlib import Path

import pytest

from conftest import TINY
from pipeline.hard_negatives import HardNegative, HardNegativeError, hard_negative_scores, load_hard_negatives
from pipeline.scoring import Rel

TEXT = "Goita met Yevkurov in Bamako. Goita declined to meet ECOWAS envoys. Russia backs Bamako."
TEXTS = {"sahel": TEXT}
SENTENCES = {"sahel": [(0, 29), (30, 67), (68, 88)]}


def at(name: str, start: int = 0) -> tuple[int, int]:
    i = TEXT.index(name, start)
    return i, i + len(name)


def test_the_fixture_loads_with_every_occurrence_located():
    negatives = load_hard_negatives(TINY / "hard_negatives.yaml")
    assert [(n.doc_id, n.label, n.case) for n in negatives] == [
        ("redsea", "met-with", "cancelled-meeting"), ("sahel", "met-with", "refused-meeting"), ("sahel", "deployed-to", "withdrawal")]
    text = (TINY / "sahel.txt").read_text(encoding="utf-8")
    start, end = negatives[1].spans[0]
    assert text[start:end] == "Goita declined to meet ECOWAS envoys"


@pytest.mark.parametrize("entry, message", [
    ("sahel:\n  - {quote: Goita agreed to meet, label: met-with, case: x}",
     'doc sahel: quote "Goita agreed to meet" not found in the text (expected an exact substring of {dir}/sahel.txt)'),
    ("atlantis:\n  - {quote: anything, label: met-with, case: x}", "doc atlantis: no such document (expected {dir}/atlantis.txt"),
    ("sahel:\n  - {quote: Goita, label: met_with, case: x}", "doc sahel: label 'met_with' is not a relation label (expected one of met-with, deployed-to, backed-by)"),
    ("sahel:\n  - {quote: Goita, label: met-with}", "doc sahel: entry {{'quote': 'Goita', 'label': 'met-with'}} needs quote, label and case"),
    ("- just a list", "expected a mapping of doc id"),
])
def test_bad_entries_name_the_file_the_doc_and_the_value(tiny_corpus: Path, entry, message):
    path = tiny_corpus / "hard_negatives.yaml"
    path.write_text(entry + "\n", encoding="utf-8")
    with pytest.raises(HardNegativeError) as e:
        load_hard_negatives(path)
    assert str(e.value).startswith(f"{path}: ")
    assert message.format(dir=tiny_corpus) in str(e.value)


def test_precision_counts_only_predictions_of_the_entry_label_inside_its_sentences():
    negatives = [HardNegative("sahel", "declined to meet", "met-with", "refused-meeting", (at("declined to meet"),))]
    goita2, ecowas, yevkurov = at("Goita", 30), at("ECOWAS"), at("Yevkurov")
    gold = [Rel("sahel", "met-with", at("Goita"), yevkurov),
            Rel("sahel", "met-with", goita2, at("envoys"))]  # made up: a true relation in the same sentence
    pred = [Rel("sahel", "met-with", goita2, ecowas),          # the trap: counted, wrong
            Rel("sahel", "met-with", goita2, at("envoys")),    # counted, right
            Rel("sahel", "backed-by", goita2, ecowas),         # another label: not counted
            Rel("sahel", "met-with", at("Goita"), yevkurov),   # another sentence: not counted
            Rel("sahel", "met-with", goita2, yevkurov)]        # one end outside: not counted
    table = hard_negative_scores(gold, pred, TEXTS, negatives, SENTENCES)
    assert table["met-with"] == {"predicted": 2, "correct": 1, "precision": 0.5}
    assert table["backed-by"] == {"predicted": 0, "correct": 0, "precision": None}
    assert table["overall"] == table["met-with"]
    assert table["cases"] == {"refused-meeting": {"predicted": 2, "correct": 1, "precision": 0.5}}
