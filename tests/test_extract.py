import json

import pytest
import spacy

from pipeline.extract import InputError, extract_records, input_files

ARTICLE = "The Iran-backed Houthis met with Hans Grundberg in Muscat. Africa Corps troops were deployed to Mali.\n"


@pytest.fixture(scope="module")
def nlp(trained):
    return spacy.load(trained[0])


def _check(record: dict, text: str) -> None:
    ids = {e["id"] for e in record["entities"]}
    for e in record["entities"]:
        assert text[e["start"]:e["end"]] == e["text"]
    for r in record["relations"]:
        assert r["head"] in ids and r["tail"] in ids and 0 <= r["score"] <= 1
        assert 0 <= r["sentence"][0] < r["sentence"][1] <= len(text)
    json.dumps(record)


def test_records_for_normal_empty_blank_bad_and_large_files(tmp_path, nlp):
    files = {
        "normal.txt": ARTICLE.encode(),
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n",
        "latin1.txt": "Caf\xe9 in Bamako".encode("latin-1"),
        # 1 MB: the article repeated, separated by long runs of blank lines, so that it
        # crosses spaCy's default 1,000,000-character limit without minutes of parsing.
        "large.txt": ((ARTICLE + "\n" * 20_000) * 60).encode(),
        "after.txt": ARTICLE.encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    assert len(files["large.txt"]) > 1_000_000
    paths = [tmp_path / n for n in files]
    records = {r["doc_id"]: r for r in extract_records(nlp, paths)}
    assert list(records) == [p.stem for p in paths]  # one record per file, in order, the batch went on
    assert "UTF-8" in records["latin1"]["error"] and records["latin1"]["entities"] == []
    for name in ("empty", "blank"):
        assert records[name]["entities"] == [] and records[name]["relations"] == []
    for name in ("normal", "large", "after"):
        text = files[f"{name}.txt"].decode()
        _check(records[name], text)
        assert any(e["text"] == "Houthis" for e in records[name]["entities"])
    assert max(e["end"] for e in records["large"]["entities"]) > 1_000_000
    import hashlib

    assert records["normal"]["sha256"] == hashlib.sha256(files["normal.txt"]).hexdigest()


def test_input_files_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        input_files([tmp_path / "missing"])
    (tmp_path / "empty_dir").mkdir()
    with pytest.raises(InputError, match="no .txt files"):
        input_files([tmp_path / "empty_dir"])


def test_benchmark_times_only_the_leading_files_that_reach_max_words(tmp_path):
    from pipeline.benchmark import first_files

    files = []
    for name, words in [("a", 600), ("b", 600), ("c", 600)]:
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text("word " * words, encoding="utf-8")
    assert first_files(files, 1000) == files[:2]
    assert first_files(files, 600) == files[:1]
    assert first_files(files, 0) == files
