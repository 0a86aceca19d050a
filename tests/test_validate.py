from pathlib import Path

import pytest

from pipeline.validate import validate_corpus


def test_tiny_corpus_is_valid(tiny_corpus):
    assert validate_corpus(tiny_corpus) == []


def _replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + line + "\n", encoding="utf-8")


def _add_span(corpus: Path, covered: str, label: str) -> None:
    start = (corpus / "sahel.txt").read_text(encoding="utf-8").index(covered)
    _append(corpus / "sahel.ann", f"T99\t{label} {start} {start + len(covered)}\t{covered}")


# Each case breaks one thing in sahel.ann (or the corpus) and names what the message must say.
CASES = {
    "offsets out of range": (lambda c: _append(c / "sahel.ann", "T99\tGPE 5000 5004\tMali"), "out of range"),
    "covered text differs": (lambda c: _replace_in(c / "sahel.ann", "\tRussia\n", "\tRussland\n"), "differs from the text"),
    "unknown entity label": (lambda c: _replace_in(c / "sahel.ann", "\tGPE ", "\tCOUNTRY "), "unknown entity label 'COUNTRY'"),
    "unknown relation label": (lambda c: _replace_in(c / "sahel.ann", "met-with Arg1", "met Arg1"), "unknown relation label 'met'"),
    "argument type not allowed": (lambda c: _append(c / "sahel.ann", "R9\tdeployed-to Arg1:T4 Arg2:T1"), "deployed-to cannot link PERSON"),
    "missing entity": (lambda c: _append(c / "sahel.ann", "R9\tbacked-by Arg1:T1 Arg2:T77"), "missing entity T77"),
    "duplicate id": (lambda c: _append(c / "sahel.ann", "T1\tGPE 211 217\tRussia"), "duplicate id T1"),
    "duplicate relation": (lambda c: _append(c / "sahel.ann", "R9\tbacked-by Arg1:T9 Arg2:T10"), "duplicate relation"),
    "span cuts a word": (lambda c: _append(c / "sahel.ann", "T99\tGPE 2 7\tRussi"), "cuts a word"),
    "leading the": (lambda c: _add_span(c, "The junta in Bamako", "ORG"), "leading 'the'"),
    "unparseable line": (lambda c: _append(c / "sahel.ann", "E1 something"), "cannot parse"),
    "text not UTF-8": (lambda c: (c / "sahel.txt").write_bytes("Caf\xe9".encode("latin-1")), "not valid UTF-8"),
    "txt without ann": (lambda c: (c / "sahel.ann").unlink(), "no sahel.ann beside it"),
    "ann without txt": (lambda c: (c / "sahel.txt").rename(c / "sahel.text"), "no sahel.txt beside it"),
    "document in no split": (lambda c: _replace_in(c / "split.yaml", "- sahel\n", ""), "sahel is in no split"),
    "document in two splits": (lambda c: _replace_in(c / "split.yaml", "test: []", "test:\n- sahel"), "in both train and test"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_each_kind_of_problem_is_reported_with_file_and_line(tiny_corpus, case):
    breaker, expected = CASES[case]
    breaker(tiny_corpus)
    problems = validate_corpus(tiny_corpus)
    assert any(expected in p for p in problems), problems
    # FILE:LINE: message
    assert all(p.split(":")[1].isdigit() for p in problems), problems


def test_trailing_possessive_is_reported(tiny_corpus):
    text = (tiny_corpus / "sahel.txt").read_text(encoding="utf-8")
    start = text.index("Goita declined")
    (tiny_corpus / "sahel.txt").write_text(text.replace("Goita declined", "Goita's wish", 1), encoding="utf-8")
    _append(tiny_corpus / "sahel.ann", f"T99\tPERSON {start} {start + 7}\tGoita's")
    problems = validate_corpus(tiny_corpus)
    assert any("trailing possessive" in p and "sahel.ann:" in p for p in problems), problems


def test_the_project_corpus_is_valid():
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    assert validate_corpus(corpus) == []
