from hypothesis import given, settings, strategies as st
from spacy.tokens import Doc, Span

from pipeline.candidates import allowed_labels, candidate_pairs
from pipeline.schema import ENTITY_LABELS, RELATION_TYPES


def test_type_constraints_and_directions(base_nlp):
    doc = base_nlp("Russian troops deployed to Mali. Putin met Goita.")
    doc.ents = [Span(doc, 0, 1, "NORP"), Span(doc, 4, 5, "GPE"), Span(doc, 6, 7, "PERSON"), Span(doc, 8, 9, "PERSON")]
    pairs = {(doc.ents[i].text, doc.ents[j].text) for i, j in candidate_pairs(doc)}
    assert ("Russian", "Mali") in pairs          # deployed-to: force -> place
    assert ("Putin", "Goita") in pairs and ("Goita", "Putin") in pairs
    assert ("Russian", "Putin") in pairs         # backed-by allows NORP with PERSON
    assert ("Putin", "Mali") in pairs            # met-with allows PERSON with GPE
    assert allowed_labels("PERSON", "FAC") == []
    assert allowed_labels("PRODUCT", "FAC") == ["deployed-to"]
    assert allowed_labels("FAC", "PRODUCT") == []


@settings(max_examples=60, deadline=None)
@given(
    labels=st.lists(st.sampled_from(ENTITY_LABELS), min_size=0, max_size=8),
    sentence_breaks=st.sets(st.integers(min_value=1, max_value=15)),
    gap=st.integers(min_value=0, max_value=2),
)
def test_filters_only_remove_pairs_and_never_pair_a_mention_with_itself(base_nlp, labels, sentence_breaks, gap):
    words = [f"Name{i}" for i in range(len(labels))] + ["x"] * (16 - len(labels))
    doc = Doc(base_nlp.vocab, words=words, sent_starts=[i == 0 or i in sentence_breaks for i in range(16)])
    doc.ents = [Span(doc, i, i + 1, label) for i, label in enumerate(labels)]
    pairs = candidate_pairs(doc, gap)
    everything = {(i, j) for i in range(len(labels)) for j in range(len(labels))}
    assert set(pairs) <= everything
    assert len(pairs) == len(set(pairs))
    assert all(i != j for i, j in pairs)
    for i, j in pairs:
        assert any(RELATION_TYPES[l].allows(labels[i], labels[j]) for l in RELATION_TYPES)
    assert set(candidate_pairs(doc, gap)) <= set(candidate_pairs(doc, gap + 1))
