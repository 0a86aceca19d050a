import pytest

from conftest import SPACY_MODEL
from pipeline.schema import ENTITY_LABELS


def _settings(**overrides):
    from pipeline.train_ner import NerSettings

    values = dict(ruler_min_count=0, ruler_min_share=0.9, epochs=12, patience=12, batch_size=2,
                  dropout=0.0, learn_rate=0.002, seed=0)
    return NerSettings(**{**values, **overrides})


@pytest.fixture(scope="module")
def tiny_docs(base_nlp, tiny_documents):
    from pipeline.ingest import ingest_documents

    return ingest_documents(base_nlp, tiny_documents)[0]


def test_rehearsal_keeps_gold_entities_and_adds_only_other_labels(tiny_docs):
    from pipeline.language import load_base
    from pipeline.train_ner import rehearsal_examples

    examples = rehearsal_examples(load_base(SPACY_MODEL), tiny_docs)
    kept = []
    for gold, eg in zip(tiny_docs, examples):
        ents = {(e.start_char, e.end_char, e.label_) for e in eg.reference.ents}
        gold_ents = {(e.start_char, e.end_char, e.label_) for e in gold.ents}
        assert gold_ents <= ents
        extra = ents - gold_ents
        assert all(label not in ENTITY_LABELS for _, _, label in extra)
        assert not any(s < ge and gs < e for s, e, _ in extra for gs, ge, _ in gold_ents)
        kept += [eg.reference.text[s:e] for s, e, _ in extra]
    assert "March" in kept  # the shipped NER's DATE in the Sahel fixture


def test_fine_tuned_ner_learns_the_guides_entities_and_keeps_other_labels(tiny_docs):
    from pipeline.language import load_base
    from pipeline.train_ner import add_entity_steps, entity_f1, train_ner

    nlp = load_base(SPACY_MODEL)
    add_entity_steps(nlp, tiny_docs, _settings())
    before = entity_f1(nlp, tiny_docs)
    log = train_ner(nlp, tiny_docs, tiny_docs, _settings())
    assert before < 0.9 <= log["dev_entity_f1"] == entity_f1(nlp, tiny_docs)
    # rehearsal: labels outside the guide still come out of the NER itself
    with nlp.select_pipes(enable=["ner"]):
        doc = nlp("On 3 March 2024, about 2,000 soldiers arrived.")
    assert {"DATE", "CARDINAL"} & {e.label_ for e in doc.ents}


def test_entity_ruler_names_come_from_the_train_documents(tiny_docs):
    from pipeline.language import load_base
    from pipeline.train_ner import add_entity_steps

    nlp = load_base(SPACY_MODEL)
    add_entity_steps(nlp, tiny_docs, _settings(ruler_min_count=1, epochs=0))
    assert nlp.pipe_names[0] == "domain_names" and "guide_entities" in nlp.pipe_names
    name = next(e for d in tiny_docs for e in d.ents if len(e.text) > 3)
    doc = nlp(f"Officials said {name.text} was mentioned again.")
    assert (name.text, name.label_) in {(e.text, e.label_) for e in doc.ents}
