"""The relation classifier's thinc model: pooled MiniLM token vectors for each candidate
pair, then a small feed-forward network with one sigmoid output per relation label.

Pair encoding, for a candidate (head, tail), from the token vectors of its document:
    [head mean, tail mean, head * tail, mean of the tokens between them,
     mean of WINDOW tokens before the first, mean of WINDOW tokens after the second,
     one-hot head type, one-hot tail type, head-first flag, same-sentence flag,
     log token distance]

Two architectures share this encoding: RelationClassifier reads the transformer's output
from the Docs (the encoder stays frozen); TunedRelationClassifier takes token vectors from
a TransformerListener and passes gradients back, so the encoder is fine-tuned with it.
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass

import numpy
import scipy.sparse
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, NumpyOps, Relu, Sigmoid, chain, get_current_ops, use_ops
from thinc.types import Floats2d

from .candidates import candidate_pairs, sentence_index
from .schema import ENTITY_LABELS

WINDOW = 4
N_EXTRA = 2 * len(ENTITY_LABELS) + 3
N_MEANS = 5  # head, tail, between, before, after


@dataclass(frozen=True)
class PairLayout:
    """Token ranges [start, end) of the five pooled spans of every pair, and the
    features that do not depend on the vectors."""

    starts: numpy.ndarray  # (n_pairs, N_MEANS)
    ends: numpy.ndarray  # (n_pairs, N_MEANS)
    extra: numpy.ndarray  # (n_pairs, N_EXTRA)

    def __len__(self) -> int:
        return len(self.starts)


def pair_layout(doc: Doc, pairs: list[tuple[int, int]]) -> PairLayout:
    if not pairs:
        empty = numpy.zeros((0, N_MEANS), "int64")
        return PairLayout(empty, empty, numpy.zeros((0, N_EXTRA), "float32"))
    ents = list(doc.ents)
    bounds = numpy.array([[e.start, e.end] for e in ents])
    labels = numpy.array([ENTITY_LABELS.index(e.label_) for e in ents])
    sents = numpy.array(sentence_index(doc))[bounds[:, 0]]
    i, j = numpy.array(pairs).T
    h, t = bounds[i], bounds[j]
    head_first = h[:, 0] <= t[:, 0]
    first_start = numpy.minimum(h[:, 0], t[:, 0])
    first_end = numpy.where(head_first, h[:, 1], t[:, 1])
    second_start = numpy.where(head_first, t[:, 0], h[:, 0])
    second_end = numpy.maximum(h[:, 1], t[:, 1])
    starts = numpy.stack([h[:, 0], t[:, 0], first_end, numpy.maximum(first_start - WINDOW, 0), second_end], axis=1)
    ends = numpy.stack([h[:, 1], t[:, 1], second_start, first_start, numpy.minimum(second_end + WINDOW, len(doc))], axis=1)
    types = numpy.zeros((len(pairs), 2 * len(ENTITY_LABELS)), "float32")
    rows = numpy.arange(len(pairs))
    types[rows, labels[i]] = 1
    types[rows, len(ENTITY_LABELS) + labels[j]] = 1
    flags = numpy.stack([
        head_first.astype("float32"),
        (sents[i] == sents[j]).astype("float32"),
        numpy.log1p(numpy.maximum(second_start - first_end, 0)).astype("float32") / 4,
    ], axis=1)
    return PairLayout(starts, numpy.maximum(starts, ends), numpy.hstack([types, flags]))


def pair_rows(vectors: numpy.ndarray, layout: PairLayout) -> numpy.ndarray:
    """The encoding of every pair in the layout, from one document's token vectors."""
    width = vectors.shape[1]
    if not len(layout):
        return numpy.zeros((0, 6 * width + N_EXTRA), "float32")
    head, tail, between, before, after = range_means(vectors, layout)
    return numpy.hstack([head, tail, head * tail, between, before, after, layout.extra])


def range_means(vectors: numpy.ndarray, layout: PairLayout) -> list[numpy.ndarray]:
    """Mean vector over each of the N_MEANS token ranges, one (n_pairs, width) array each."""
    width = vectors.shape[1]
    prefix = numpy.vstack([numpy.zeros((1, width), "float32"), numpy.cumsum(vectors, axis=0, dtype="float32")])
    counts = numpy.maximum(layout.ends - layout.starts, 1).astype("float32")
    return [(prefix[layout.ends[:, k]] - prefix[layout.starts[:, k]]) / counts[:, k, None] for k in range(N_MEANS)]


def pair_rows_backward(vectors: numpy.ndarray, layout: PairLayout, d_rows: numpy.ndarray) -> numpy.ndarray:
    """Gradient of pair_rows with respect to the token vectors."""
    n_tokens, width = vectors.shape
    if not len(layout):
        return numpy.zeros_like(vectors)
    head, tail = range_means(vectors, layout)[:2]
    d = [d_rows[:, k * width : (k + 1) * width] for k in range(6)]
    d_means = [d[0] + d[2] * tail, d[1] + d[2] * head, d[3], d[4], d[5]]
    # A mean over [a, b) spreads its gradient evenly on those tokens: add g/n at a and
    # subtract it at b (one sparse product for all pairs), then a running sum over tokens
    # gives each token its share.
    n = len(layout) * N_MEANS
    weights = (1.0 / numpy.maximum(layout.ends - layout.starts, 1).T.ravel()).astype("float32")
    scatter = scipy.sparse.csr_matrix(
        (numpy.concatenate([weights, -weights]),
         (numpy.concatenate([layout.starts.T.ravel(), layout.ends.T.ravel()]), numpy.tile(numpy.arange(n), 2))),
        shape=(n_tokens + 1, n),
    )
    diff = scatter @ numpy.vstack(d_means)
    return numpy.cumsum(diff, axis=0)[:n_tokens].astype("float32")


def token_vectors(doc: Doc) -> numpy.ndarray:
    """One vector per token: the mean of its wordpieces' last hidden states (zeros if none)."""
    trf = doc._.trf_data
    hidden = trf.tensors[0].reshape(-1, trf.width)
    lengths = trf.align.lengths
    owner = scipy.sparse.csr_matrix(
        (numpy.ones(int(lengths.sum()), "float32"), (numpy.repeat(numpy.arange(len(doc)), lengths), trf.align.dataXd.ravel())),
        shape=(len(doc), hidden.shape[0]),
    )
    return numpy.asarray(owner @ hidden) / numpy.maximum(lengths, 1)[:, None]


def frozen_pair_features(max_sentence_gap: int) -> Model[list[Doc], Floats2d]:
    """Pair rows from the transformer output already on the Docs; no gradient to the encoder."""
    # While training, the same docs come back every epoch and the encoder does not change,
    # so their rows are kept (with the doc itself, so an id is never reused).
    cache: dict[int, tuple[Doc, numpy.ndarray]] = {}

    def rows_of(doc: Doc, is_train: bool) -> numpy.ndarray:
        if is_train and id(doc) in cache and cache[id(doc)][0] is doc:
            return cache[id(doc)][1]
        rows = pair_rows(token_vectors(doc), pair_layout(doc, candidate_pairs(doc, max_sentence_gap)))
        if is_train:
            cache[id(doc)] = (doc, rows)
        return rows

    def forward(model: Model, docs: list[Doc], is_train: bool):
        out = numpy.vstack([rows for rows in (rows_of(doc, is_train) for doc in docs) if len(rows)])
        return model.ops.asarray2f(out), lambda d_out: []

    return Model("frozen_pair_features", forward, attrs={"max_sentence_gap": max_sentence_gap})


def tuned_pair_features(tok2vec: Model, max_sentence_gap: int) -> Model[list[Doc], Floats2d]:
    """Pair rows from token vectors of `tok2vec` (a TransformerListener), with backprop."""

    def forward(model: Model, docs: list[Doc], is_train: bool):
        vectors, backprop_tokens = model.layers[0](docs, is_train)
        vectors = [model.ops.to_numpy(v) for v in vectors]
        layouts = [pair_layout(doc, candidate_pairs(doc, max_sentence_gap)) for doc in docs]
        # Docs without pairs add no rows (their token vectors may not even have a width).
        out = numpy.vstack([pair_rows(v, l) for v, l in zip(vectors, layouts) if len(l)])

        def backprop(d_out: Floats2d) -> list:
            d_out = model.ops.to_numpy(d_out)
            d_vectors, offset = [], 0
            for v, layout in zip(vectors, layouts):
                d_vectors.append(model.ops.asarray2f(pair_rows_backward(v, layout, d_out[offset : offset + len(layout)])))
                offset += len(layout)
            backprop_tokens(d_vectors)
            return []

        return model.ops.asarray2f(out), backprop

    return Model("tuned_pair_features", forward, layers=[tok2vec], attrs={"max_sentence_gap": max_sentence_gap})


def _classifier(features: Model, hidden_width: int, dropout: float) -> Model[list[Doc], Floats2d]:
    # On CPU the head's products (thousands of pairs x 2,300 features) ran 5x faster with
    # numpy's BLAS than with thinc's default blis, and a fifth of a training step was spent there.
    on_cpu = isinstance(get_current_ops(), NumpyOps)
    with use_ops("numpy", use_blis=False) if on_cpu else nullcontext():
        return chain(features, Relu(nO=hidden_width, dropout=dropout, normalize=True), Sigmoid())


@registry.architectures("pipeline.RelationClassifier.v1")
def relation_classifier(hidden_width: int, dropout: float, max_sentence_gap: int) -> Model[list[Doc], Floats2d]:
    """Frozen encoder: reads doc._.trf_data."""
    return _classifier(frozen_pair_features(max_sentence_gap), hidden_width, dropout)


@registry.architectures("pipeline.TunedRelationClassifier.v1")
def tuned_relation_classifier(tok2vec: Model, hidden_width: int, dropout: float, max_sentence_gap: int) -> Model[list[Doc], Floats2d]:
    """Fine-tuned encoder: token vectors from a listener of the transformer component."""
    return _classifier(tuned_pair_features(tok2vec, max_sentence_gap), hidden_width, dropout)
