import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True)


@pytest.mark.parametrize("args, message", [
    (["validate", "no/such/corpus"], "no such corpus folder"),
    (["extract", "no/such/file.txt", "--out", "x.jsonl"], "no such file or folder"),
    (["extract", "tests", "--out", "x.jsonl"], "holds no .txt files"),
    (["validate", "corpus", "--colour"], "No such option"),
    (["train", "a.spacy", "b.spacy", "m", "b.skops"], "no such DocBin"),
    (["train-ner", "README.md", "README.md", "m", "--params", "no/params.yaml"], "no such params file"),
])
def test_bad_input_gives_a_one_line_error_and_nonzero_exit(args, message):
    result = run(*args)
    assert result.returncode != 0
    assert message in result.stderr
    if "option" not in message:
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_validate_reports_problems_with_file_and_line(tiny_corpus):
    (tiny_corpus / "sahel.ann").write_text("T1\tGPE 0 3\tXYZ\n", encoding="utf-8")
    result = run("validate", str(tiny_corpus))
    assert result.returncode == 1
    assert f"{tiny_corpus}/sahel.ann:1: covered text 'XYZ' differs" in result.stderr


def test_evaluate_stops_on_a_bad_hard_negative_quote_before_loading_any_model(tiny_corpus):
    path = tiny_corpus / "hard_negatives.yaml"
    path.write_text("sahel:\n  - {quote: not in the text, label: met-with, case: x}\n", encoding="utf-8")
    result = run("evaluate", str(tiny_corpus), str(tiny_corpus), str(tiny_corpus), "--hard-negatives", str(path))
    assert result.returncode == 1
    assert result.stderr.strip() == (f'error: {path}: doc sahel: quote "not in the text" not found in the text '
                                     f"(expected an exact substring of {tiny_corpus}/sahel.txt)")
