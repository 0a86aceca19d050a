"""Hard negatives: hand-picked sentences that look like a relation but are not one by the
guide ("declined to meet", "a planned meeting ... was cancelled"). The file is YAML,

    doc_id:                      # the stem of a .txt beside the file (corpus/NAME.txt)
      - quote: exact text inside one sentence
        label: met-with          # the label the sentence tempts a model to predict
        case: cancelled-meeting  # a short name grouping similar traps

and the sentences holding each quote are where a prediction of that label is suspect."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .brat import read_text
from .scoring import Rel, Span, match_relations
from .schema import RELATION_LABELS
from .sentences import Sentences, inside

HardSentences = dict[tuple[str, str], frozenset[Span]]  # (doc_id, label) -> sentence spans


class HardNegativeError(ValueError):
    pass


@dataclass(frozen=True)
class HardNegative:
    doc_id: str
    quote: str
    label: str
    case: str
    spans: tuple[Span, ...]  # every occurrence of the quote in the document's text


def _where(text: str, quote: str) -> tuple[Span, ...]:
    spans, start = [], text.find(quote)
    while quote and start >= 0:
        spans.append((start, start + len(quote)))
        start = text.find(quote, start + 1)
    return tuple(spans)


def parse_hard_negatives(data: object, texts: dict[str, str], path: Path) -> list[HardNegative]:
    """Validate the parsed YAML of `path` against the documents' `texts` (doc_id -> text;
    a doc missing from it is unknown). Raises HardNegativeError naming file, doc and value."""
    if not isinstance(data, dict):
        raise HardNegativeError(f"{path}: expected a mapping of doc id to a list of {{quote, label, case}} entries")
    out = []
    for doc, entries in data.items():
        where = f"{path}: doc {doc}"
        txt = path.with_name(f"{doc}.txt")
        if doc not in texts:
            raise HardNegativeError(f"{where}: no such document (expected {txt} to exist; doc ids are .txt file stems)")
        if not isinstance(entries, list):
            raise HardNegativeError(f"{where}: expected a list of {{quote, label, case}} entries")
        for entry in entries:
            if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("quote", "label", "case")):
                raise HardNegativeError(f"{where}: entry {entry!r} needs quote, label and case, each a string")
            if entry["label"] not in RELATION_LABELS:
                raise HardNegativeError(f"{where}: label {entry['label']!r} is not a relation label "
                                        f"(expected one of {', '.join(RELATION_LABELS)})")
            spans = _where(texts[doc], entry["quote"])
            if not spans:
                raise HardNegativeError(f'{where}: quote "{entry["quote"]}" not found in the text '
                                        f"(expected an exact substring of {txt})")
            out.append(HardNegative(doc, entry["quote"], entry["label"], entry["case"], spans))
    return out


def load_hard_negatives(path: Path) -> list[HardNegative]:
    """Read `path` and the texts it names (NAME.txt beside it), then validate."""
    try:
        data = yaml.safe_load(read_text(path))
    except yaml.YAMLError as e:
        raise HardNegativeError(f"{path}: not valid YAML ({e.__class__.__name__})") from e
    docs = data if isinstance(data, dict) else {}
    texts = {doc: read_text(path.with_name(f"{doc}.txt")) for doc in docs if path.with_name(f"{doc}.txt").is_file()}
    return parse_hard_negatives(data, texts, path)


def hard_sentences(negatives: list[HardNegative], sentences: Sentences, case: str | None = None) -> HardSentences:
    """(doc_id, label) -> the sentences that overlap a quote of that label (of one case, if
    given). Documents without sentences here (not in the evaluated split) are left out."""
    out: dict[tuple[str, str], set[Span]] = {}
    for n in negatives:
        if n.doc_id in sentences and case in (None, n.case):
            hits = {s for s in sentences[n.doc_id] for a, b in n.spans if s[0] < b and a < s[1]}
            out.setdefault((n.doc_id, n.label), set()).update(hits)
    return {key: frozenset(spans) for key, spans in out.items()}


def in_hard_sentence(rel: Rel, hard: HardSentences) -> bool:
    return inside(rel, hard.get((rel.doc_id, rel.label), frozenset()))


def _counts(rels: list[Rel], correct: list[bool]) -> dict:
    n, right = len(rels), sum(correct)
    return {"predicted": n, "correct": right, "precision": round(right / n, 4) if n else None}


def hard_negative_scores(gold: list[Rel], pred: list[Rel], texts: dict[str, str],
                         negatives: list[HardNegative], sentences: Sentences) -> dict:
    """Predictions of an entry's label with head and tail in one of its hard-negative
    sentences: how many, how many right (strict match to gold), precision (None when
    there are none); per label, overall, and per case."""
    hit = {i for i, _ in match_relations(gold, pred, texts)}
    correct = [i in hit for i in range(len(pred))]

    def score(hard: HardSentences, labels) -> dict:
        chosen = [i for i, r in enumerate(pred) if r.label in labels and in_hard_sentence(r, hard)]
        return _counts([pred[i] for i in chosen], [correct[i] for i in chosen])

    hard = hard_sentences(negatives, sentences)
    table = {label: score(hard, (label,)) for label in RELATION_LABELS}
    table["overall"] = score(hard, RELATION_LABELS)
    table["cases"] = {case: score(hard_sentences(negatives, sentences, case), RELATION_LABELS)
                      for case in sorted({n.case for n in negatives if n.doc_id in sentences})}
    return table
