"""Train the relation extractor on the train split, select it on dev, and save the whole
spaCy pipeline; train the scikit-learn baseline on the same candidates."""

from __future__ import annotations

import random
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch
from thinc.api import Adam, constant, fix_random_seed, warmup_linear

from .calibration import expected_calibration_error
from .entity_types import add_guide_entities
from .language import RELATIONS, TRANSFORMER, add_transformer, load_base
from .platt import apply_platt, fit_platt
from .relation_component import decode, gold_matrix
from .relations import doc_id, rels_of, to_rels
from .schema import RELATION_LABELS
from .spacy_doc import sentence_chunks
from .scoring import Rel, relation_scores


@dataclass(frozen=True)
class TrainSettings:
    base_model: str  # a saved pipeline (train-ner's output) or an installed one
    window: int
    stride: int
    hidden_width: int
    dropout: float
    max_sentence_gap: int
    epochs: int
    patience: int
    batch_size: int
    learn_rate: float
    fine_tune: bool
    encoder_learn_rate: float
    negative_rate: float
    tune_thresholds: bool
    seed: int
    warmup: float = 0.0  # share of the update steps with a rising rate; then linear decay to zero
    chunk_sentences: int = 0  # train on pieces of this many sentences (0: whole documents)
    calibrate: bool = False  # fit a Platt map per label on dev
    calibration_bins: int = 10
    frozen_layers: int = 0  # 1: the encoder's embeddings stay fixed; k: also its lowest k - 1 blocks
    positive_weight: float = 1.0  # loss weight of a gold relation against a negative
    averaged: bool = False  # judge and keep the moving averages of the weights, not the last ones


def build_pipeline(s: TrainSettings) -> Language:
    """Base pipeline + entity filter + MiniLM transformer + an untrained relation extractor."""
    nlp = load_base(s.base_model)
    add_guide_entities(nlp)
    add_transformer(nlp, s.window, s.stride)
    model = {"@architectures": "pipeline.RelationClassifier.v1", "hidden_width": s.hidden_width,
             "dropout": s.dropout, "max_sentence_gap": s.max_sentence_gap}
    if s.fine_tune:
        listener = {"@architectures": "spacy-transformers.TransformerListener.v1", "grad_factor": 1.0,
                    "pooling": {"@layers": "reduce_mean.v1"}, "upstream": TRANSFORMER}
        model = {**model, "@architectures": "pipeline.TunedRelationClassifier.v1", "tok2vec": listener}
    nlp.add_pipe(RELATIONS, config={"model": model, "negative_rate": s.negative_rate,
                                    "positive_weight": s.positive_weight, "seed": s.seed})
    # Connects the relation model's listener to the transformer; nlp.initialize() would do
    # it too, but would also reset the pretrained tagger, parser and NER.
    nlp._link_components()
    return nlp


def encoder_shim(nlp: Language):
    """The thinc shim around the transformer's PyTorch model (its `_model`, its optimizer key `id`)."""
    return nlp.get_pipe(TRANSFORMER).model.layers[0].shims[0]


def freeze_encoder(nlp: Language, layers: int) -> None:
    """Keep the encoder's embeddings (layers >= 1) and its lowest layers - 1 blocks fixed.
    The embeddings hold half of MiniLM's weights, so the optimizer step per update halves;
    frozen blocks also end the backward pass early."""
    hf_model = encoder_shim(nlp)._model
    frozen = tuple(["embeddings.", *(f"encoder.layer.{k}." for k in range(layers - 1))][:layers])
    for name, weights in hf_model.named_parameters():
        weights.requires_grad_(not (frozen and name.startswith(frozen)))


@contextmanager
def averaged_weights(nlp: Language, optimizer: Adam, encoder_optimizer: Adam, enabled: bool):
    """While inside, the model holds the moving averages of its weights that thinc's Adam
    keeps (over roughly the last 50 updates late in training) instead of the last update's,
    which with one-document updates carry that document's noise. spaCy's own training
    scores and saves with them; its helper skips the PyTorch encoder, hence this one."""
    if not enabled:
        yield
        return
    import torch

    shim = encoder_shim(nlp)
    encoder = {name: w for name, w in shim._model.named_parameters()}
    averages = {name: encoder_optimizer.averages[(shim.id, name)] for name in encoder if (shim.id, name) in encoder_optimizer.averages}
    last = {name: encoder[name].detach().clone() for name in averages}
    with torch.no_grad():
        for name, average in averages.items():
            encoder[name].copy_(torch.from_numpy(average))
    try:
        with nlp.get_pipe(RELATIONS).model.use_params(optimizer.averages):
            yield
    finally:
        with torch.no_grad():
            for name, weights in last.items():
                encoder[name].copy_(weights)


def encode(nlp: Language, docs: list[Doc]) -> list[Doc]:
    """Run the transformer over docs that already carry entities (the given-entity setting)."""
    return list(nlp.get_pipe(TRANSFORMER).pipe(docs, batch_size=4))


def given_entity_relations(nlp: Language, docs: list[Doc]) -> list[Rel]:
    """The relation extractor's relations over copies of gold docs (their entities kept)."""
    return [r for d in nlp.get_pipe(RELATIONS).pipe(encode(nlp, [d.copy() for d in docs])) for r in rels_of(d)]


def score_docs(nlp: Language, docs: list[Doc]) -> list[tuple[Doc, list, object]]:
    rel = nlp.get_pipe(RELATIONS)
    out = []
    for doc in docs:
        pairs = rel.pairs(doc)
        out.append((doc, pairs, rel.predict([doc]) if pairs else None))
    return out


def predicted_rels(scored, thresholds: dict[str, float]) -> list[Rel]:
    return [r for doc, pairs, scores in scored if pairs for r in to_rels(doc_id(doc), decode(doc, pairs, scores, thresholds))]


def dev_f1(gold: list[Rel], pred: list[Rel], texts: dict[str, str], label: str = "micro") -> float:
    return relation_scores(gold, pred, texts)[label]["f1"]


def tune_thresholds(scored, gold: list[Rel], texts: dict[str, str], base: dict[str, float]) -> dict[str, float]:
    """For each label, the threshold in 0.05..0.95 with the best dev F1 for that label."""
    tuned = dict(base)
    grid = [round(0.05 * k, 2) for k in range(1, 20)]
    for label in RELATION_LABELS:
        best = max(grid, key=lambda t: (dev_f1(gold, predicted_rels(scored, {**tuned, label: t}), texts, label), -abs(t - 0.5)))
        tuned[label] = best
    return tuned


def rate_schedule(rate: float, warmup: float, steps: int):
    """A constant rate, or (warmup > 0) a rise over that share of the steps and a linear
    decay to zero: fine-tuning a pretrained encoder with a constant rate was unstable."""
    return warmup_linear(rate, max(1, round(warmup * steps)), steps) if warmup > 0 else constant(rate)


def fit_calibration(scored, bins: int) -> tuple[list[tuple[float, float]], dict]:
    """A Platt map per label from the dev scores, and the dev calibration error before and after."""
    rows = [gold_matrix(doc, doc, pairs) + (scores,) for doc, pairs, scores in scored if pairs]
    truth, mask, scores = (numpy.vstack([r[k] for r in rows]) for k in range(3))
    maps, report = [], {}
    for k, label in enumerate(RELATION_LABELS):
        inside = mask[:, k] > 0
        maps.append(fit_platt(scores[inside, k], truth[inside, k]))
        after = apply_platt(scores[inside, k : k + 1], [maps[k]])[:, 0]
        report[label] = {"ece_before": round(expected_calibration_error(scores[inside, k], truth[inside, k], bins), 4),
                         "ece_after": round(expected_calibration_error(after, truth[inside, k], bins), 4),
                         "map": [round(v, 4) for v in maps[k]]}
    return maps, report


def train_relations(
    nlp: Language, train_docs: list[Doc], dev_docs: list[Doc], s: TrainSettings,
    progress: Callable[[dict], None] = lambda row: None,
) -> dict:
    """Train the relation extractor in place; return the training log (one row per epoch)."""
    fix_random_seed(s.seed)
    rng = random.Random(s.seed)
    rel, trf = nlp.get_pipe(RELATIONS), nlp.get_pipe(TRANSFORMER)
    freeze_encoder(nlp, s.frozen_layers)
    # Smaller pieces give more updates for the same encoder work.
    train_docs = [piece for doc in train_docs for piece in sentence_chunks(doc, s.chunk_sentences)]
    if not s.fine_tune:
        train_docs = encode(nlp, train_docs)
    dev_gold = [r for d in dev_docs for r in rels_of(d)]
    texts = {d.user_data["doc_id"]: d.text for d in dev_docs}
    # The transformer and the relation model must see the same batches (its listener
    # checks), so documents with nothing to pair are left out up front.
    examples = [Example(doc, doc) for doc in train_docs if rel.pairs(doc)]
    rel.initialize(lambda: [Example(d, d) for d in encode(nlp, [eg.predicted for eg in examples[:4]])], nlp=nlp)
    steps = s.epochs * -(-len(examples) // s.batch_size)
    optimizer, encoder_optimizer = Adam(rate_schedule(s.learn_rate, s.warmup, steps)), Adam(rate_schedule(s.encoder_learn_rate, s.warmup, steps))
    thresholds = rel.cfg["thresholds"]
    log, best, best_epoch = [], -1.0, 0
    best_bytes = (trf.model.to_bytes(), rel.model.to_bytes())
    for epoch in range(1, s.epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, s.batch_size):
            if s.fine_tune:
                trf.update(batch, losses=losses)
            rel.update(batch, losses=losses)
            if s.fine_tune:
                trf.finish_update(encoder_optimizer)
            rel.finish_update(optimizer)
            optimizer.step_schedules(), encoder_optimizer.step_schedules()
        with averaged_weights(nlp, optimizer, encoder_optimizer, s.averaged):
            dev_docs = encode(nlp, dev_docs) if s.fine_tune or epoch == 1 else dev_docs
            # Each epoch is judged at its own best thresholds, as the final model will be: at a
            # fixed 0.5 the first epochs score 0 and a small training set never gets past them.
            scored = score_docs(nlp, dev_docs)
            at = tune_thresholds(scored, dev_gold, texts, thresholds) if s.tune_thresholds else thresholds
            f1 = dev_f1(dev_gold, predicted_rels(scored, at), texts)
            improved = f1 > best
            if improved:
                best, best_epoch = f1, epoch
                best_bytes = (trf.model.to_bytes() if s.fine_tune else best_bytes[0], rel.model.to_bytes())
        row = {"epoch": epoch, "loss": round(losses.get(RELATIONS, 0.0), 4), "dev_f1": f1}
        log.append(row)
        progress(row)
        if not improved and best > 0 and epoch - best_epoch >= s.patience:  # patience starts once anything is found
            break
    trf.model.from_bytes(best_bytes[0])
    rel.model.from_bytes(best_bytes[1])
    scored = score_docs(nlp, encode(nlp, dev_docs))
    calibration = {}
    if s.calibrate:
        rel.cfg["platt"], calibration = fit_calibration(scored, s.calibration_bins)
        scored = [(doc, pairs, apply_platt(scores, rel.cfg["platt"]) if pairs else None) for doc, pairs, scores in scored]
    if s.tune_thresholds:
        rel.cfg["thresholds"] = tune_thresholds(scored, dev_gold, texts, thresholds)
    final = relation_scores(dev_gold, predicted_rels(scored, rel.cfg["thresholds"]), texts)
    return {"best_epoch": best_epoch, "thresholds": rel.cfg["thresholds"], "dev_calibration": calibration,
            "dev_given_entities_strict": final, "epochs": log}


def save_pipeline(nlp: Language, path: Path) -> None:
    """nlp.to_disk into a temporary folder, then swap it in, so a crash never leaves half a model."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    old = path.with_name(f".{path.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)
