"""The baseline relation classifier: logistic regression over hand-made pair features
(entity types, words between, dependency path, distance), saved with skops (no pickle)."""

from __future__ import annotations

from pathlib import Path

import numpy
import skops.io
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from spacy.tokens import Doc, Span, Token

from .candidates import candidate_pairs, sentence_index
from .relation_component import decode, gold_matrix
from .schema import RELATION_LABELS

NONE = "none"


def dependency_path(a: Token, b: Token) -> str:
    """Dependency labels from a up to the lowest common ancestor, then down to b."""
    up = [a, *a.ancestors]
    down = [b, *b.ancestors]
    common = next((t for t in up if t in down), None)
    if common is None:
        return "none"
    left = [t.dep_ for t in up[: up.index(common)]]
    right = [t.dep_ for t in down[: down.index(common)]]
    return "/".join([*(f"{d}^" for d in left), common.lemma_, *(f"v{d}" for d in reversed(right))])


def _bucket(n: int) -> str:
    return next(f"<={b}" for b in (0, 2, 5, 10, 20, 10**9) if n <= b)


def pair_features(doc: Doc, head: Span, tail: Span, sents: list[int]) -> dict[str, float]:
    first, second = sorted((head, tail), key=lambda s: s.start)
    between = doc[first.end : second.start]
    same_sentence = sents[head.start] == sents[tail.start]
    feats = {
        f"types={head.label_}>{tail.label_}": 1.0,
        f"head_first={head.start < tail.start}": 1.0,
        f"distance={_bucket(len(between))}": 1.0,
        f"same_sentence={same_sentence}": 1.0,
        f"entities_between={_bucket(sum(1 for e in doc.ents if first.end <= e.start and e.end <= second.start))}": 1.0,
        f"path={dependency_path(head.root, tail.root) if same_sentence else 'cross'}": 1.0,
    }
    for tok in between[:12]:
        if not tok.is_punct:
            feats[f"between={tok.lemma_.lower()}"] = 1.0
    for tok in doc[max(first.start - 2, 0) : first.start]:
        feats[f"before={tok.lemma_.lower()}"] = 1.0
    for tok in doc[second.end : second.end + 2]:
        feats[f"after={tok.lemma_.lower()}"] = 1.0
    return feats


def doc_features(doc: Doc, max_sentence_gap: int) -> tuple[list[tuple[int, int]], list[dict]]:
    pairs = candidate_pairs(doc, max_sentence_gap)
    ents, sents = list(doc.ents), sentence_index(doc)
    return pairs, [pair_features(doc, ents[i], ents[j], sents) for i, j in pairs]


def fit_baseline(docs: list[Doc], max_sentence_gap: int, c: float, max_iter: int, seed: int) -> Pipeline:
    """Train on gold Docs (doc._.relations holds the gold relations)."""
    X, y = [], []
    for doc in docs:
        pairs, feats = doc_features(doc, max_sentence_gap)
        truth, _ = gold_matrix(doc, doc, pairs)
        X += feats
        y += [RELATION_LABELS[int(row.argmax())] if row.any() else NONE for row in truth]
    if len(set(y)) < 2:
        raise ValueError("baseline: the training documents hold no relations among their candidate pairs")
    model = Pipeline([
        ("features", DictVectorizer()),
        ("classifier", LogisticRegression(C=c, max_iter=max_iter, class_weight="balanced", random_state=seed)),
    ])
    return model.fit(X, y)


def predict_relations(model: Pipeline, doc: Doc, max_sentence_gap: int) -> list[dict]:
    pairs, feats = doc_features(doc, max_sentence_gap)
    if not pairs:
        return []
    proba = model.predict_proba(feats)
    classes = list(model.classes_)
    scores = numpy.zeros((len(pairs), len(RELATION_LABELS)), "float32")
    for k, label in enumerate(RELATION_LABELS):
        if label in classes:
            scores[:, k] = proba[:, classes.index(label)]
    # A label counts only where it is the most probable class, "none" included.
    scores *= scores >= proba.max(axis=1, keepdims=True)
    return decode(doc, pairs, scores, {label: 1e-9 for label in RELATION_LABELS})


def save_baseline(model: Pipeline, path: Path) -> None:
    from .files import atomic_path

    with atomic_path(path) as tmp:
        skops.io.dump(model, tmp)


def load_baseline(path: Path) -> Pipeline:
    trusted = skops.io.get_untrusted_types(file=path)
    allowed = [t for t in trusted if t.startswith(("sklearn.", "numpy.", "builtins.", "scipy."))]
    if len(allowed) != len(trusted):
        raise ValueError(f"{path}: holds types outside scikit-learn and NumPy: {sorted(set(trusted) - set(allowed))}")
    return skops.io.load(path, trusted=allowed)
