"""The `relation_extractor` spaCy component: scores candidate entity pairs with the
relation classifier and writes the relations it finds to doc._.relations."""

from __future__ import annotations

from typing import Callable, Iterable

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import Example
from spacy.vocab import Vocab
from thinc.api import Config, Model
from thinc.types import Floats2d

from . import relation_model  # noqa: F401  (registers the architecture)
from . import spacy_doc  # noqa: F401  (registers doc._.relations)
from .candidates import candidate_pairs
from .platt import apply_platt
from .schema import RELATION_LABELS, RELATION_TYPES

DEFAULT_MODEL = Config().from_str(
    """
[model]
@architectures = "pipeline.RelationClassifier.v1"
hidden_width = 256
dropout = 0.2
max_sentence_gap = 1
"""
)["model"]


@Language.factory(
    "relation_extractor",
    default_config={"model": DEFAULT_MODEL, "threshold": 0.5, "negative_rate": 1.0, "positive_weight": 1.0, "seed": 0},
    requires=["doc.ents", "doc.sents", "doc._.trf_data"],
    assigns=["doc._.relations"],
)
def make_relation_extractor(
    nlp: Language, name: str, model: Model, threshold: float, negative_rate: float, positive_weight: float, seed: int
) -> "RelationExtractor":
    return RelationExtractor(nlp.vocab, model, name, threshold=threshold, negative_rate=negative_rate,
                             positive_weight=positive_weight, seed=seed)


def decode(doc: Doc, pairs: list[tuple[int, int]], scores: numpy.ndarray, thresholds: dict[str, float]) -> list[dict]:
    """Relations whose score reaches the label's threshold, for the types the label allows.
    met-with is symmetric: both directions collapse into one relation, earlier mention first."""
    ents = list(doc.ents)
    best: dict[tuple, float] = {}
    for (i, j), row in zip(pairs, scores):
        head, tail = ents[i], ents[j]
        for k, label in enumerate(RELATION_LABELS):
            rtype = RELATION_TYPES[label]
            if row[k] < thresholds[label] or not rtype.allows(head.label_, tail.label_):
                continue
            h, t = (head.start_char, head.end_char), (tail.start_char, tail.end_char)
            if rtype.symmetric and t < h:
                h, t = t, h
            key = (label, h, t)
            best[key] = max(best.get(key, 0.0), float(row[k]))
    return [
        {"label": label, "head": list(h), "tail": list(t), "score": round(score, 4)}
        for (label, h, t), score in sorted(best.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0]))
    ]


def gold_matrix(doc: Doc, reference: Doc, pairs: list[tuple[int, int]]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Truth (1 where the gold holds the relation) and mask (1 where the label's types fit)."""
    gold = set()
    for r in reference._.relations or []:
        h, t = tuple(r["head"]), tuple(r["tail"])
        gold.add((r["label"], h, t))
        if RELATION_TYPES[r["label"]].symmetric:
            gold.add((r["label"], t, h))
    ents = list(doc.ents)
    truth = numpy.zeros((len(pairs), len(RELATION_LABELS)), "float32")
    mask = numpy.zeros_like(truth)
    for row, (i, j) in enumerate(pairs):
        h, t = (ents[i].start_char, ents[i].end_char), (ents[j].start_char, ents[j].end_char)
        for k, label in enumerate(RELATION_LABELS):
            mask[row, k] = RELATION_TYPES[label].allows(ents[i].label_, ents[j].label_)
            truth[row, k] = (label, h, t) in gold
    return truth, mask


class RelationExtractor(TrainablePipe):
    """Predicts met-with, deployed-to and backed-by between entity pairs of a Doc.

    Needs doc.ents, sentence boundaries and doc._.trf_data (the transformer component runs
    before it); sets doc._.relations to a list of {"label", "head", "tail", "score"} with
    head and tail as [start_char, end_char]."""

    def __init__(self, vocab: Vocab, model: Model, name: str = "relation_extractor", *,
                 threshold: float = 0.5, negative_rate: float = 1.0, positive_weight: float = 1.0, seed: int = 0):
        self.vocab, self.model, self.name = vocab, model, name
        self.cfg = {"thresholds": {label: threshold for label in RELATION_LABELS},
                    "negative_rate": negative_rate, "positive_weight": positive_weight, "seed": seed}
        self._rng = numpy.random.default_rng(seed)

    @property
    def labels(self) -> tuple[str, ...]:
        return RELATION_LABELS

    @property
    def max_sentence_gap(self) -> int:
        return self.model.layers[0].attrs["max_sentence_gap"]

    def pairs(self, doc: Doc) -> list[tuple[int, int]]:
        return candidate_pairs(doc, self.max_sentence_gap)

    def predict(self, docs: Iterable[Doc]) -> Floats2d:
        """Calibrated scores (Platt maps fit on dev, in cfg) for every candidate pair."""
        docs = list(docs)
        if not any(self.pairs(doc) for doc in docs):
            return numpy.zeros((0, len(RELATION_LABELS)), "float32")
        return apply_platt(self.model.ops.to_numpy(self.model.predict(docs)), self.cfg.get("platt"))

    def set_annotations(self, docs: Iterable[Doc], scores: Floats2d) -> None:
        offset = 0
        for doc in docs:
            pairs = self.pairs(doc)
            doc._.relations = decode(doc, pairs, scores[offset : offset + len(pairs)], self.cfg["thresholds"])
            offset += len(pairs)

    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd=None, losses=None) -> dict:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = [eg for eg in examples if self.pairs(eg.predicted)]
        if not examples:
            return losses
        scores, backprop = self.model.begin_update([eg.predicted for eg in examples])
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: Floats2d) -> tuple[float, Floats2d]:
        """Binary cross-entropy over the labels each pair's types allow, each gold relation
        weighted positive_weight times a negative. A share of the all-negative pairs
        (1 - negative_rate) is left out of each update, at random."""
        truths, masks = [], []
        for eg in examples:
            truth, mask = gold_matrix(eg.predicted, eg.reference, self.pairs(eg.predicted))
            truths.append(truth), masks.append(mask)
        truth, mask = numpy.vstack(truths), numpy.vstack(masks)
        negative = truth.sum(axis=1) == 0
        keep = ~negative | (self._rng.random(len(truth)) < self.cfg["negative_rate"])
        mask = mask * keep[:, None] * (1 + (self.cfg.get("positive_weight", 1.0) - 1) * truth)
        p = numpy.clip(self.model.ops.to_numpy(scores), 1e-6, 1 - 1e-6)
        loss = -(mask * (truth * numpy.log(p) + (1 - truth) * numpy.log(1 - p))).sum()
        n = max(mask.sum(), 1.0)
        # d loss / d p; the Sigmoid layer multiplies by p(1-p), giving (p - y) on the logits.
        d_p = mask * (p - truth) / (p * (1 - p)) / n
        return float(loss / n), self.model.ops.asarray2f(d_p.astype("float32"))

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Language | None = None) -> None:
        examples = [eg for eg in get_examples() if self.pairs(eg.predicted)]
        if not examples:
            raise ValueError(
                f"{self.name}: no training document has a pair of entities that a relation label "
                "allows, so there is nothing to learn from (check that the training split has labeled entities)"
            )
        docs = [eg.predicted for eg in examples[:4]]
        truth = numpy.vstack([gold_matrix(eg.predicted, eg.reference, self.pairs(eg.predicted))[0] for eg in examples[:4]])
        if not any((eg.reference._.relations or []) for eg in examples):
            raise ValueError(f"{self.name}: the training documents hold no relations (expected labeled relations to learn from)")
        self.model.initialize(X=docs, Y=self.model.ops.asarray2f(truth))
