"""The relation classifier's thinc model: pooled MiniLM vectors for each candidate pair,
then a small feed-forward network with one sigmoid output per relation label.

Pair encoding, for a candidate (head, tail) with token vectors from the transformer:
    [head mean, tail mean, head * tail, mean of the tokens between them,
     mean of WINDOW tokens before the first, mean of WINDOW tokens after the second,
     one-hot head type, one-hot tail type, head-first flag, same-sentence flag,
     log token distance]
"""

from __future__ import annotations

import numpy
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, Relu, Sigmoid, chain
from thinc.types import Floats2d

from .candidates import candidate_pairs, sentence_index
from .schema import ENTITY_LABELS

WINDOW = 4
N_EXTRA = 2 * len(ENTITY_LABELS) + 3


def token_vectors(doc: Doc) -> numpy.ndarray:
    """One vector per token: the mean of its wordpieces' last hidden states (zeros if none)."""
    trf = doc._.trf_data
    hidden = trf.tensors[0].reshape(-1, trf.width)
    lengths = trf.align.lengths
    rows = hidden[trf.align.dataXd.ravel()]
    sums = numpy.zeros((len(doc), trf.width), dtype="float32")
    owner = numpy.repeat(numpy.arange(len(doc)), lengths)
    numpy.add.at(sums, owner, rows)
    return sums / numpy.maximum(lengths, 1)[:, None]


def pair_matrix(doc: Doc, pairs: list[tuple[int, int]]) -> numpy.ndarray:
    """The encoding above for each pair, as rows of a float32 matrix."""
    vectors = token_vectors(doc)
    width = vectors.shape[1]
    if not pairs:
        return numpy.zeros((0, 6 * width + N_EXTRA), dtype="float32")
    prefix = numpy.vstack([numpy.zeros((1, width), "float32"), numpy.cumsum(vectors, axis=0)])
    ents = list(doc.ents)
    bounds = numpy.array([[e.start, e.end] for e in ents])
    labels = numpy.array([ENTITY_LABELS.index(e.label_) for e in ents])
    sents = numpy.array(sentence_index(doc))[bounds[:, 0]]
    i, j = numpy.array(pairs).T
    h, t = bounds[i], bounds[j]

    def mean(a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
        b = numpy.maximum(a, b)
        n = numpy.maximum(b - a, 1)[:, None]
        return (prefix[b] - prefix[a]) / n

    first_start = numpy.minimum(h[:, 0], t[:, 0])
    first_end = numpy.where(h[:, 0] <= t[:, 0], h[:, 1], t[:, 1])
    second_start = numpy.where(h[:, 0] <= t[:, 0], t[:, 0], h[:, 0])
    second_end = numpy.maximum(h[:, 1], t[:, 1])
    head_vec, tail_vec = mean(h[:, 0], h[:, 1]), mean(t[:, 0], t[:, 1])
    types = numpy.zeros((len(pairs), 2 * len(ENTITY_LABELS)), "float32")
    rows = numpy.arange(len(pairs))
    types[rows, labels[i]] = 1
    types[rows, len(ENTITY_LABELS) + labels[j]] = 1
    flags = numpy.stack(
        [
            (h[:, 0] < t[:, 0]).astype("float32"),
            (sents[i] == sents[j]).astype("float32"),
            numpy.log1p(numpy.maximum(second_start - first_end, 0)).astype("float32") / 4,
        ],
        axis=1,
    )
    return numpy.hstack(
        [
            head_vec,
            tail_vec,
            head_vec * tail_vec,
            mean(first_end, second_start),
            mean(numpy.maximum(first_start - WINDOW, 0), first_start),
            mean(second_end, numpy.minimum(second_end + WINDOW, len(doc))),
            types,
            flags,
        ]
    ).astype("float32")


def pair_features(max_sentence_gap: int) -> Model[list[Doc], Floats2d]:
    """Docs (with transformer output and entities) to one row per candidate pair, all docs
    stacked in order. The encoder is frozen here, so no gradient flows back into it."""

    # While training, the same docs come back every epoch and the encoder does not change,
    # so their matrices are kept (with the doc itself, so an id is never reused).
    cache: dict[int, tuple[Doc, numpy.ndarray]] = {}

    def encode(doc: Doc, is_train: bool) -> numpy.ndarray:
        if is_train and id(doc) in cache and cache[id(doc)][0] is doc:
            return cache[id(doc)][1]
        matrix = pair_matrix(doc, candidate_pairs(doc, max_sentence_gap))
        if is_train:
            cache[id(doc)] = (doc, matrix)
        return matrix

    def forward(model: Model, docs: list[Doc], is_train: bool):
        matrices = [encode(doc, is_train) for doc in docs]
        out = numpy.vstack(matrices) if matrices else numpy.zeros((0, 0), "float32")
        return model.ops.asarray2f(out), lambda d_out: []

    return Model("pair_features", forward, attrs={"max_sentence_gap": max_sentence_gap})


@registry.architectures("pipeline.RelationClassifier.v1")
def relation_classifier(hidden_width: int, dropout: float, max_sentence_gap: int) -> Model[list[Doc], Floats2d]:
    return chain(
        pair_features(max_sentence_gap),
        Relu(nO=hidden_width, dropout=dropout, normalize=True),
        Sigmoid(),
    )
