"""Score the trained pipeline and the baseline on held-out gold Docs, as the guide's
section 4 defines: relations end-to-end and given-entity, strict and relaxed; entities;
each F1 with a bootstrap interval over documents. Beyond those: relations within and
across sentences, calibration of the model's scores, hard negatives, and error kinds."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from .baseline import predict_relations
from .bootstrap import resample_weights, with_intervals
from .calibration import calibration_metrics
from .entity_types import add_guide_entities
from .error_kinds import KINDS, MISSED_ENTITY, ErrorCase, classify_errors, count_kinds
from .hard_negatives import HardNegative, hard_negative_scores, hard_sentences
from .language import RELATIONS, load_base
from .pair_scores import ScoredPairs, decode_scored, score_pairs
from .pr_curve import precision_recall_curve
from .relations import ents_of, rels_of, to_rels, doc_id
from .schema import ENTITY_LABELS, RELATION_LABELS
from .scoring import Counts, Ent, Rel, entity_counts, relation_counts, table_from_counts, unmatched
from .sentences import by_distance
from .train import encode

SYSTEMS = ("model", "baseline")
SETTINGS = ("end_to_end", "given_entities")
DISTANCES = ("same_sentence", "cross_sentence")


@dataclass(frozen=True)
class EvalSettings:
    bootstrap_samples: int = 1000
    seed: int = 0
    calibration_bins: int = 10


@dataclass
class Predictions:
    """Everything scoring needs, as plain data."""

    texts: dict[str, str]
    gold_rels: list[Rel]
    gold_ents: list[Ent]
    pred_ents: list[Ent] = field(default_factory=list)
    rels: dict[tuple[str, str], list[Rel]] = field(default_factory=dict)  # (system, setting) -> relations
    sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    scored: list[ScoredPairs] = field(default_factory=list)  # the model's raw scores, given-entity
    thresholds: dict[str, float] = field(default_factory=dict)  # the model's own, per label
    base_ents: list[Ent] | None = None  # the stock spaCy NER's entities, when it was run


def stock_ner(spacy_model: str) -> Language:
    """The installed spaCy pipeline as shipped, its entities mapped to the guide's seven
    types: what NER adaptation (the entity ruler, fine-tuning) starts from."""
    nlp = load_base(spacy_model)
    add_guide_entities(nlp)
    return nlp


def _entities(nlp: Language, texts: list[tuple[str, str]], desc: str, show_progress: bool):
    """(doc, entities) for each (text, doc_id), doc_id set on the doc as ingest does."""
    for doc, key in tqdm(nlp.pipe(texts, as_tuples=True), total=len(texts), desc=desc, disable=not show_progress):
        doc.user_data["doc_id"] = key
        yield doc, ents_of(doc)


def predict_all(nlp: Language, baseline, gold_docs: list[Doc], base_nlp: Language | None = None,
                show_progress: bool = False) -> Predictions:
    rel = nlp.get_pipe(RELATIONS)
    gap = rel.max_sentence_gap
    out = Predictions(
        texts={doc_id(d): d.text for d in gold_docs},
        gold_rels=[r for d in gold_docs for r in rels_of(d)],
        gold_ents=[e for d in gold_docs for e in ents_of(d)],
        sentences={doc_id(d): [(s.start_char, s.end_char) for s in d.sents] for d in gold_docs},
        thresholds=dict(rel.cfg["thresholds"]),
    )
    out.rels[("baseline", "given_entities")] = [
        r for d in gold_docs for r in to_rels(doc_id(d), predict_relations(baseline, d, gap))
    ]
    # Raw scores kept, then decoded at the pipeline's thresholds exactly as its
    # set_annotations does; the gold docs' relations are left untouched.
    out.scored = [s for s in (score_pairs(rel, d) for d in encode(nlp, gold_docs)) if s is not None]
    out.rels[("model", "given_entities")] = decode_scored(out.scored, out.thresholds)
    e2e_model, e2e_baseline = [], []
    texts = [(d.text, doc_id(d)) for d in gold_docs]
    for doc, ents in _entities(nlp, texts, "end-to-end", show_progress):
        out.pred_ents += ents
        e2e_model += rels_of(doc)
        e2e_baseline += to_rels(doc_id(doc), predict_relations(baseline, doc, gap))
    out.rels[("model", "end_to_end")] = e2e_model
    out.rels[("baseline", "end_to_end")] = e2e_baseline
    if base_nlp is not None:
        out.base_ents = [e for _, ents in _entities(base_nlp, texts, "stock NER", show_progress) for e in ents]
    return out


def model_errors(p: Predictions, setting: str, hard_negatives: list[HardNegative] | None = None) -> list[ErrorCase]:
    """The model's errors in `setting`, sorted into kinds (error_kinds.py)."""
    hard = hard_sentences(hard_negatives, p.sentences) if hard_negatives else None
    return classify_errors(p.gold_rels, p.rels[("model", setting)], p.texts, p.sentences,
                           p.pred_ents if setting == "end_to_end" else None, hard)


def error_kinds(setting: str) -> tuple[str, ...]:
    return KINDS if setting == "end_to_end" else tuple(k for k in KINDS if k != MISSED_ENTITY)


def hard_negative_metrics(p: Predictions, hard_negatives: list[HardNegative]) -> dict:
    """Entries and sentences in the test documents, then each system's scores on them."""
    in_test = [n for n in hard_negatives if n.doc_id in p.texts]
    sentences = {(doc, s) for (doc, _), spans in hard_sentences(in_test, p.sentences).items() for s in spans}
    return {
        "entries": len(in_test),
        "entries_per_case": dict(sorted(Counter(n.case for n in in_test).items())),
        "sentences": len(sentences),
        **{system: {setting: hard_negative_scores(p.gold_rels, p.rels[(system, setting)], p.texts, in_test, p.sentences)
                    for setting in SETTINGS}
           for system in SYSTEMS},
    }


def compute_metrics(p: Predictions, settings: EvalSettings = EvalSettings(),
                    hard_negatives: list[HardNegative] | None = None) -> dict:
    docs = list(p.texts)
    weights = resample_weights(len(docs), settings.bootstrap_samples, settings.seed)

    def table(counts: Counts, labels) -> dict:
        return with_intervals(table_from_counts(counts, labels), counts, labels, docs, weights)

    def relations(gold: list[Rel], pred: list[Rel], relaxed: bool = False) -> dict:
        return table(relation_counts(gold, pred, p.texts, relaxed), RELATION_LABELS)

    gold_by_distance = by_distance(p.gold_rels, p.sentences)
    pred_by_distance = {key: by_distance(rels, p.sentences) for key, rels in p.rels.items()}
    metrics = {
        "test": {"documents": len(p.texts), "relations": len(p.gold_rels), "entities": len(p.gold_ents),
                 "cross_sentence_relations": len(gold_by_distance["cross_sentence"])},
        "relations": {
            system: {setting: {mode: relations(p.gold_rels, p.rels[(system, setting)], mode == "relaxed")
                               for mode in ("strict", "relaxed")}
                     for setting in SETTINGS}
            for system in SYSTEMS
        },
        "relations_by_distance": {
            distance: {system: {setting: relations(gold_by_distance[distance], pred_by_distance[(system, setting)][distance])
                                for setting in SETTINGS}
                       for system in SYSTEMS}
            for distance in DISTANCES
        },
        "entities": table(entity_counts(p.gold_ents, p.pred_ents, p.texts), ENTITY_LABELS),
    }
    if p.base_ents is not None:
        metrics["entities_base"] = table(entity_counts(p.gold_ents, p.base_ents, p.texts), ENTITY_LABELS)
    metrics["calibration"] = calibration_metrics(p.scored, settings.calibration_bins)
    if hard_negatives is not None:
        metrics["hard_negatives"] = hard_negative_metrics(p, hard_negatives)
    metrics["error_kinds"] = {setting: count_kinds(model_errors(p, setting, hard_negatives), error_kinds(setting))
                              for setting in SETTINGS}
    return metrics


def precision_recall_curves(p: Predictions) -> dict[str, list[dict]]:
    """Per label, the model's given-entity strict precision and recall over a threshold grid."""
    return {label: precision_recall_curve(p.scored, p.gold_rels, p.texts, p.thresholds, label) for label in RELATION_LABELS}


def errors(p: Predictions, system: str, setting: str) -> tuple[list[Rel], list[Rel]]:
    """False positives and false negatives (strict) of one system in one setting."""
    return unmatched(p.gold_rels, p.rels[(system, setting)], p.texts)
