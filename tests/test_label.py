import pytest

from pipeline.label import SpecError, spec_to_annotations

TEXT = "General Michael Langley met with Haftar in Benghazi. Saddam Haftar’s forces moved to Sirte."


def test_offsets_come_from_strings_longest_first():
    spec = "E | PERSON | Haftar\nE | PERSON | Saddam Haftar\nE | PERSON | Michael Langley\nE | GPE | Benghazi\n"
    spec += "R | met-with | Michael Langley | Haftar | Michael Langley met with Haftar\n"
    ents, rels = spec_to_annotations(TEXT, spec)
    assert [(e.text, TEXT[e.start:e.end]) for e in ents] == [(e.text, e.text) for e in ents]
    assert [e.text for e in ents] == ["Michael Langley", "Haftar", "Benghazi", "Saddam Haftar"]
    assert rels[0].head == "T1" and rels[0].tail == "T2"


def test_exclusion_and_anchored_label():
    spec = "E | PERSON | Haftar\nX | Haftar | Saddam Haftar’s\nE | GPE | Sirte | moved to Sirte\n"
    ents, _ = spec_to_annotations(TEXT, spec)
    assert [(e.label, e.text) for e in ents] == [("PERSON", "Haftar"), ("GPE", "Sirte")]


@pytest.mark.parametrize("spec, message", [
    ("E | PERSON | Khalifa\n", "does not occur"),
    ("E | PERSON | Haftar\nR | met-with | Haftar | Langley | nowhere in text\n", "not found"),
    ("E | PERSON\n", "cannot parse"),
    ("E | PERSON | Haftar\nE | PERSON | Michael Langley\nR | met-with | Michael Langley | Haftar | Haftar\n", "found 2 times"),
])
def test_spec_errors_name_the_line(spec, message):
    with pytest.raises(SpecError, match=message) as err:
        spec_to_annotations(TEXT, spec, "doc.spec")
    assert str(err.value).startswith("doc.spec:")
