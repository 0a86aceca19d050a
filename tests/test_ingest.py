from conftest import SEED

from pipeline.brat import read_document
from pipeline.ingest import ingest_documents
from pipeline.spacy_doc import doc_entities


def test_seed_brief_round_trips_every_gold_offset(base_nlp):
    gold = read_document(SEED)
    docs, report = ingest_documents(base_nlp, [gold])
    doc = docs[0]
    assert doc.text == gold.text
    assert report["unaligned_entities"] == []
    assert [(e.label, e.start, e.end, e.text) for e in doc_entities(doc)] == [
        (e.label, e.start, e.end, e.text) for e in sorted(gold.entities, key=lambda e: e.start)
    ]
    by_id = {e.id: e for e in gold.entities}
    assert doc._.relations == [
        {"label": r.label, "head": [by_id[r.head].start, by_id[r.head].end], "tail": [by_id[r.tail].start, by_id[r.tail].end]}
        for r in gold.relations
    ]


def test_token_inside_a_gold_span_is_split_not_dropped(base_nlp):
    from pipeline.schema import Document, Entity

    text = "The U.N.-backed government held."
    start = text.index("U.N.")
    gold = Document("x", text, [Entity("T1", "ORG", start, start + 4, "U.N.")])
    docs, report = ingest_documents(base_nlp, [gold])
    assert [(e.text, e.label_) for e in docs[0].ents] == [("U.N.", "ORG")]
    assert report["unaligned_entities"] == []


def test_docbin_keeps_relations(tmp_path, base_nlp, tiny_documents):
    from pipeline.ingest import load_docs, save_docs

    docs, _ = ingest_documents(base_nlp, tiny_documents)
    save_docs(docs, tmp_path / "train.spacy")
    loaded = load_docs(base_nlp, tmp_path / "train.spacy")
    assert [d._.relations for d in loaded] == [d._.relations for d in docs]
    assert [d.user_data["doc_id"] for d in loaded] == ["sahel", "redsea"]


def test_training_pieces_keep_every_relation_within_adjacent_sentences(base_nlp):
    from pipeline.spacy_doc import sentence_chunks

    doc = ingest_documents(base_nlp, [read_document(SEED)])[0][0]
    pieces = sentence_chunks(doc, 4)
    assert len(pieces) > 3 and all(len(list(p.sents)) <= 4 for p in pieces)
    found = set()
    for piece in pieces:
        lo = doc.text.index(piece.text)
        assert {(e.start_char + lo, e.end_char + lo, e.label_) for e in piece.ents} <= {
            (e.start_char, e.end_char, e.label_) for e in doc.ents}
        found |= {(r["label"], r["head"][0] + lo, r["tail"][0] + lo) for r in piece._.relations}
    sentence_of = {t.idx: i for i, s in enumerate(doc.sents) for t in s}
    near = {(r["label"], r["head"][0], r["tail"][0]) for r in doc._.relations
            if abs(sentence_of[r["head"][0]] - sentence_of[r["tail"][0]]) <= 1}
    assert near <= found
    assert sentence_chunks(doc, 0) == [doc]
