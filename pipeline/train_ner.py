"""Adapt the base pipeline's NER to the guide's entities: an entity ruler for the train
split's names, then the statistical NER fine-tuned on the train split's gold entities with
rehearsal, selected on dev entity F1."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import filter_spans, minibatch
from thinc.api import fix_random_seed

from .entity_patterns import RULER, add_entity_ruler, name_patterns
from .entity_types import add_guide_entities
from .relations import ents_of
from .schema import ENTITY_LABELS
from .scoring import Ent, entity_scores

NER = "ner"


@dataclass(frozen=True)
class NerSettings:
    ruler_min_count: int  # 0: no entity ruler
    ruler_min_share: float
    epochs: int  # 0: the NER stays as shipped
    patience: int
    batch_size: int
    dropout: float
    learn_rate: float
    seed: int


def rehearsal_examples(nlp: Language, gold_docs: list[Doc]) -> list[Example]:
    """One Example per document: the gold entities, plus the shipped NER's own entities of
    the labels the guide does not use (DATE, MONEY, EVENT...) where they overlap no gold
    entity. Training on those keeps what the NER knew; the guide's seven labels follow gold.
    Must run before the NER is updated."""
    with nlp.select_pipes(enable=[NER]):
        own = list(nlp.pipe(d.text for d in gold_docs))
    examples = []
    for gold, predicted in zip(gold_docs, own):
        reference = Doc(nlp.vocab, words=[t.text for t in gold], spaces=[bool(t.whitespace_) for t in gold])
        spans = [reference.char_span(e.start_char, e.end_char, e.label_) for e in gold.ents]
        taken = {i for s in spans for i in range(s.start, s.end)}
        for e in predicted.ents:
            span = reference.char_span(e.start_char, e.end_char, e.label_, alignment_mode="contract")
            if e.label_ not in ENTITY_LABELS and span is not None and len(span) and not taken & set(range(span.start, span.end)):
                spans.append(span)
        reference.set_ents(filter_spans(spans), default="outside")
        examples.append(Example(nlp.make_doc(gold.text), reference))
    return examples


def entity_f1(nlp: Language, gold_docs: list[Doc]) -> float:
    """Strict micro F1 of the pipeline's entities (after the guide filter) on gold docs."""
    texts = {d.user_data["doc_id"]: d.text for d in gold_docs}
    predicted = nlp.pipe(((d.text, d.user_data["doc_id"]) for d in gold_docs), as_tuples=True)
    pred = [Ent(key, e.label_, (e.start_char, e.end_char)) for doc, key in predicted for e in doc.ents]
    gold = [e for d in gold_docs for e in ents_of(d)]
    return entity_scores(gold, pred, texts, ENTITY_LABELS)["micro"]["f1"]


def add_entity_steps(nlp: Language, train_docs: list[Doc], s: NerSettings) -> None:
    """The guide's entity filter after the NER, and the entity ruler before it."""
    add_guide_entities(nlp)
    if s.ruler_min_count:
        add_entity_ruler(nlp, name_patterns(train_docs, s.ruler_min_count, s.ruler_min_share))


def train_ner(
    nlp: Language, train_docs: list[Doc], dev_docs: list[Doc], s: NerSettings,
    progress: Callable[[dict], None] = lambda row: None,
) -> dict:
    """Fine-tune the NER in place and keep its best epoch on dev; return the log."""
    fix_random_seed(s.seed)
    rng = random.Random(s.seed)
    examples = rehearsal_examples(nlp, train_docs)
    ner = nlp.get_pipe(NER)
    with nlp.select_pipes(disable=[p for p in nlp.pipe_names if p == RULER]):
        shipped = entity_f1(nlp, dev_docs)
    best, best_epoch, best_bytes = entity_f1(nlp, dev_docs), 0, ner.to_bytes()
    log = [{"epoch": 0, "loss": 0.0, "dev_entity_f1": best}]
    progress(log[0])
    if s.epochs:
        optimizer = nlp.resume_training()
        optimizer.learn_rate = s.learn_rate
    for epoch in range(1, s.epochs + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        with nlp.select_pipes(enable=[NER]):
            for batch in minibatch(examples, s.batch_size):
                nlp.update(batch, drop=s.dropout, sgd=optimizer, losses=losses)
        f1 = entity_f1(nlp, dev_docs)
        log.append({"epoch": epoch, "loss": round(float(losses.get(NER, 0.0)), 2), "dev_entity_f1": f1})
        progress(log[-1])
        if f1 > best:
            best, best_epoch, best_bytes = f1, epoch, ner.to_bytes()
        elif epoch - best_epoch >= s.patience:
            break
    ner.from_bytes(best_bytes)
    return {"best_epoch": best_epoch, "dev_entity_f1": best, "dev_entity_f1_shipped": shipped,
            "dev_entity_f1_ruler": log[0]["dev_entity_f1"], "epochs": log}
