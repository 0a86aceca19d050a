"""The relation model's raw scores for every candidate pair of a document, kept as plain
data so that threshold sweeps and calibration can be computed without spaCy or the model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy
from spacy.tokens import Doc

from .relation_component import decode, gold_matrix
from .relations import doc_id, to_rels
from .scoring import Ent, Rel


@dataclass(frozen=True)
class ScoredPairs:
    """One document: its entities (doc.ents order), candidate pairs (indices into them), and
    (n_pairs × 3) arrays in RELATION_LABELS order: the model's scores, the gold truth, and
    the mask of labels whose types the pair allows (relation_component.gold_matrix)."""

    doc_id: str
    ents: tuple[Ent, ...]
    pairs: tuple[tuple[int, int], ...]
    scores: numpy.ndarray
    truth: numpy.ndarray
    mask: numpy.ndarray


def score_pairs(rel_pipe, doc: Doc) -> ScoredPairs | None:
    """The raw scores of `rel_pipe` (the relation_extractor) on a gold doc that already
    carries entities and transformer output; None when the doc has no candidate pair."""
    pairs = rel_pipe.pairs(doc)
    if not pairs:
        return None
    truth, mask = gold_matrix(doc, doc, pairs)
    scores = rel_pipe.model.ops.to_numpy(rel_pipe.predict([doc]))
    ents = tuple(Ent(doc_id(doc), e.label_, (e.start_char, e.end_char)) for e in doc.ents)
    return ScoredPairs(doc_id(doc), ents, tuple(pairs), numpy.asarray(scores), truth, mask)


class _Mention(NamedTuple):
    label_: str
    start_char: int
    end_char: int


class _EntsOnly(NamedTuple):
    ents: list[_Mention]


def decode_scored(scored: list[ScoredPairs], thresholds: dict[str, float]) -> list[Rel]:
    """The relations the pipeline would output at `thresholds`. decode reads nothing of the
    Doc but its entities' labels and offsets, so a stand-in lets this reuse decode itself
    (type constraints, met-with collapsed to one direction) rather than a copy of it."""
    rels = []
    for s in scored:
        doc = _EntsOnly([_Mention(e.label, *e.span) for e in s.ents])
        rels += to_rels(s.doc_id, decode(doc, list(s.pairs), s.scores, thresholds))
    return rels
