import pytest
import spacy
from spacy.training import Example

from conftest import tiny_settings
from pipeline.relations import rels_of
from pipeline.scoring import relation_scores


def _given_entity_predictions(nlp, docs):
    from pipeline.train import encode

    return list(nlp.get_pipe("relation_extractor").pipe(encode(nlp, [d.copy() for d in docs])))


@pytest.fixture(scope="session")
def tiny_docs(base_nlp, tiny_documents):
    from pipeline.ingest import ingest_documents

    return ingest_documents(base_nlp, tiny_documents)[0]


def test_tiny_training_overfits_its_fixture(trained, tiny_docs):
    path, log = trained
    assert log["epochs"][-1]["loss"] < log["epochs"][0]["loss"]
    nlp = spacy.load(path)
    gold = [r for d in tiny_docs for r in rels_of(d)]
    pred = [r for d in _given_entity_predictions(nlp, tiny_docs) for r in rels_of(d)]
    scores = relation_scores(gold, pred, {d.user_data["doc_id"]: d.text for d in tiny_docs})
    assert scores["micro"]["f1"] >= 0.9, scores["micro"]


def test_saved_pipeline_loads_and_predicts_identically(trained, tmp_path):
    path, _ = trained
    nlp = spacy.load(path)
    text = "The Iran-backed Houthis met with Hans Grundberg in Muscat. Africa Corps troops were deployed to Mali."
    first = nlp(text)
    nlp.to_disk(tmp_path / "again")
    second = spacy.load(tmp_path / "again")(text)
    assert [(e.text, e.label_) for e in first.ents] == [(e.text, e.label_) for e in second.ents]
    assert first._.relations == second._.relations
    assert nlp.pipe_names[-2:] == ["transformer", "relation_extractor"]


@pytest.mark.parametrize("text", ["", "   \n", "no names at all here.", "Only Mali is named."])
def test_empty_and_entity_less_documents(trained, text):
    nlp = spacy.load(trained[0])
    doc = nlp(text)
    assert doc._.relations == []


def test_training_without_relations_fails_with_a_clear_message(base_nlp, tiny_documents):
    from pipeline.ingest import ingest_documents
    from pipeline.train import build_pipeline

    docs, _ = ingest_documents(base_nlp, tiny_documents)
    for d in docs:
        d._.relations = []
    nlp = build_pipeline(tiny_settings())
    with pytest.raises(ValueError, match="no relations"):
        nlp.get_pipe("relation_extractor").initialize(lambda: [Example(d, d) for d in docs], nlp=nlp)


def test_frozen_layers_keep_the_embeddings_and_lowest_blocks_unchanged(base_nlp, tiny_docs):
    from pipeline.train import build_pipeline, encoder_shim, train_relations

    s = tiny_settings(epochs=1, frozen_layers=2)  # the embeddings and block 0
    nlp = build_pipeline(s)
    hf_model = encoder_shim(nlp)._model
    before = {name: w.detach().clone() for name, w in hf_model.named_parameters()}
    train_relations(nlp, [d.copy() for d in tiny_docs], [d.copy() for d in tiny_docs], s)
    after = dict(encoder_shim(nlp)._model.named_parameters())
    unchanged = {name for name in before if before[name].equal(after[name])}
    assert {n for n in before if n.startswith(("embeddings.", "encoder.layer.0."))} <= unchanged
    assert not any(n.startswith("encoder.layer.5.") for n in unchanged)


def test_positive_weight_scales_the_gradient_of_gold_relations(tiny_docs):
    import numpy

    from pipeline.relation_component import gold_matrix
    from pipeline.train import build_pipeline, encode

    gradients = {}
    for weight in (1.0, 3.0):
        nlp = build_pipeline(tiny_settings(positive_weight=weight))
        rel = nlp.get_pipe("relation_extractor")
        doc = encode(nlp, [tiny_docs[0].copy()])[0]
        truth, mask = gold_matrix(doc, doc, rel.pairs(doc))
        _, d_scores = rel.get_loss([Example(doc, doc)], numpy.full(truth.shape, 0.5, "float32"))
        gradients[weight] = (numpy.abs(d_scores[truth == 1]).mean(), numpy.abs(d_scores[(truth == 0) & (mask == 1)]).mean())
    ratio = {w: pos / neg for w, (pos, neg) in gradients.items()}
    assert ratio[3.0] == pytest.approx(3 * ratio[1.0])


def test_averaged_weights_swap_in_the_moving_averages_and_restore_the_last_weights(tiny_docs):
    from thinc.api import Adam

    from pipeline.train import averaged_weights, build_pipeline, encode, encoder_shim

    nlp = build_pipeline(tiny_settings())
    trf, rel = nlp.get_pipe("transformer"), nlp.get_pipe("relation_extractor")
    examples = [Example(d, d) for d in encode(nlp, [tiny_docs[0].copy()])]
    rel.initialize(lambda: examples, nlp=nlp)
    optimizer, encoder_optimizer = Adam(0.01), Adam(1e-3)
    for _ in range(3):
        trf.update(examples), rel.update(examples)
        trf.finish_update(encoder_optimizer), rel.finish_update(optimizer)
    shim = encoder_shim(nlp)
    weights = dict(shim._model.named_parameters())
    name = "encoder.layer.5.output.dense.weight"
    last = weights[name].detach().clone()
    head = rel.model.layers[-1]
    head_last = head.get_param("W").copy()
    with averaged_weights(nlp, optimizer, encoder_optimizer, True):
        assert weights[name].detach().numpy() == pytest.approx(encoder_optimizer.averages[(shim.id, name)])
        assert head.get_param("W") == pytest.approx(optimizer.averages[(head.id, "W")])
        assert not weights[name].equal(last)
    assert weights[name].equal(last) and (head.get_param("W") == head_last).all()
