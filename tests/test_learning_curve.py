from conftest import tiny_settings
from pipeline.learning_curve import learning_curve, train_subset


def test_larger_shares_hold_every_document_of_smaller_ones():
    docs = list(range(45))
    quarter, half, full = (train_subset(docs, f, seed=0) for f in (0.25, 0.5, 1.0))
    assert (len(quarter), len(half), len(full)) == (11, 22, 45)
    assert set(quarter) <= set(half) <= set(full) == set(docs)
    assert train_subset(docs, 0.01, seed=0), "a share never rounds down to no documents"


def test_one_row_per_share_with_scores_per_label(base_nlp, tiny_documents):
    from pipeline.ingest import ingest_documents

    docs, _ = ingest_documents(base_nlp, tiny_documents)
    rows = learning_curve(tiny_settings(epochs=2), docs, docs, docs, [1.0, 0.5])
    assert [(r["fraction"], r["documents"]) for r in rows] == [(0.5, 1), (1.0, 2)]
    assert all(0.0 <= r[k] <= 1.0 for r in rows for k in ("met-with", "deployed-to", "backed-by", "micro"))
