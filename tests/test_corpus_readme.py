from conftest import REPO, SPACY_MODEL

from pipeline.corpus import load_split, read_split
from pipeline.describe import render_readme, split_stats
from pipeline.ingest import ingest_documents


def test_corpus_readme_matches_the_corpus(base_nlp):
    corpus = REPO / "corpus"
    stats = {s: split_stats(ingest_documents(base_nlp, load_split(corpus, s))[0]) for s in read_split(corpus)}
    assert (corpus / "README.md").read_text(encoding="utf-8") == render_readme(stats), (
        "corpus/README.md is stale: run python -m pipeline describe corpus --out corpus/README.md")
