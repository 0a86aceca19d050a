"""Score the trained pipeline and the baseline on held-out gold Docs, as the guide's
section 4 defines: relations end-to-end and given-entity, strict and relaxed; entities."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc
from tqdm import tqdm

from .baseline import predict_relations
from .language import RELATIONS
from .relations import ents_of, rels_of, to_rels, doc_id
from .schema import ENTITY_LABELS
from .scoring import Ent, Rel, entity_scores, match_relations, relation_scores
from .train import encode

SYSTEMS = ("model", "baseline")
SETTINGS = ("end_to_end", "given_entities")


@dataclass
class Predictions:
    """Everything scoring needs, as plain data."""

    texts: dict[str, str]
    gold_rels: list[Rel]
    gold_ents: list[Ent]
    pred_ents: list[Ent] = field(default_factory=list)
    rels: dict[tuple[str, str], list[Rel]] = field(default_factory=dict)  # (system, setting) -> relations
    sentences: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def predict_all(nlp: Language, baseline, gold_docs: list[Doc], show_progress: bool = False) -> Predictions:
    gap = nlp.get_pipe(RELATIONS).max_sentence_gap
    out = Predictions(
        texts={doc_id(d): d.text for d in gold_docs},
        gold_rels=[r for d in gold_docs for r in rels_of(d)],
        gold_ents=[e for d in gold_docs for e in ents_of(d)],
        sentences={doc_id(d): [(s.start_char, s.end_char) for s in d.sents] for d in gold_docs},
    )
    out.rels[("baseline", "given_entities")] = [
        r for d in gold_docs for r in to_rels(doc_id(d), predict_relations(baseline, d, gap))
    ]
    given = nlp.get_pipe(RELATIONS).pipe(encode(nlp, gold_docs))
    out.rels[("model", "given_entities")] = [r for d in given for r in rels_of(d)]
    e2e_model, e2e_baseline = [], []
    texts = [(d.text, doc_id(d)) for d in gold_docs]
    for doc, key in tqdm(nlp.pipe(texts, as_tuples=True), total=len(texts), desc="end-to-end", disable=not show_progress):
        doc.user_data["doc_id"] = key
        out.pred_ents += ents_of(doc)
        e2e_model += rels_of(doc)
        e2e_baseline += to_rels(key, predict_relations(baseline, doc, gap))
    out.rels[("model", "end_to_end")] = e2e_model
    out.rels[("baseline", "end_to_end")] = e2e_baseline
    return out


def compute_metrics(p: Predictions) -> dict:
    relations = {
        system: {
            setting: {
                mode: relation_scores(p.gold_rels, p.rels[(system, setting)], p.texts, relaxed=(mode == "relaxed"))
                for mode in ("strict", "relaxed")
            }
            for setting in SETTINGS
        }
        for system in SYSTEMS
    }
    return {
        "test": {"documents": len(p.texts), "relations": len(p.gold_rels), "entities": len(p.gold_ents)},
        "relations": relations,
        "entities": entity_scores(p.gold_ents, p.pred_ents, p.texts, ENTITY_LABELS),
    }


def errors(p: Predictions, system: str, setting: str) -> tuple[list[Rel], list[Rel]]:
    """False positives and false negatives (strict) of one system in one setting."""
    pred = p.rels[(system, setting)]
    matched = match_relations(p.gold_rels, pred, p.texts)
    hit_p, hit_g = {i for i, _ in matched}, {j for _, j in matched}
    return [r for i, r in enumerate(pred) if i not in hit_p], [r for j, r in enumerate(p.gold_rels) if j not in hit_g]
