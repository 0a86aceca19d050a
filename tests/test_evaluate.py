import json
import subprocess
import sys

import pytest
import spacy

from conftest import SPACY_MODEL, TINY
from pipeline.evaluate import (DISTANCES, SETTINGS, SYSTEMS, EvalSettings, compute_metrics, precision_recall_curves,
                               predict_all, stock_ner)
from pipeline.hard_negatives import load_hard_negatives
from pipeline.ingest import load_docs
from pipeline.pr_curve import operating_points
from pipeline.relations import rels_of
from pipeline.report import render_report
from pipeline.schema import RELATION_LABELS
from pipeline.train import encode

FAST = EvalSettings(bootstrap_samples=200, seed=0, calibration_bins=10)


@pytest.fixture(scope="module")
def evaluated(evaluation_inputs):
    from pipeline.baseline import load_baseline

    test_docs, model, baseline = evaluation_inputs
    nlp = spacy.load(model)
    docs = load_docs(nlp, test_docs)
    preds = predict_all(nlp, load_baseline(baseline), docs, stock_ner(SPACY_MODEL))
    negatives = load_hard_negatives(TINY / "hard_negatives.yaml")
    return nlp, docs, preds, negatives, compute_metrics(preds, FAST, negatives)


def _f1_rows(tree):
    if isinstance(tree, dict):
        if "f1" in tree:
            yield tree
        for value in tree.values():
            yield from _f1_rows(value)


def test_model_relations_from_raw_scores_are_the_pipelines_own(evaluated):
    nlp, docs, preds, _, metrics = evaluated
    own = [r for d in nlp.get_pipe("relation_extractor").pipe(encode(nlp, [d.copy() for d in docs])) for r in rels_of(d)]
    assert sorted(preds.rels[("model", "given_entities")], key=repr) == sorted(own, key=repr)
    assert preds.gold_rels == [r for d in docs for r in rels_of(d)]  # the gold docs were not overwritten
    strict = metrics["relations"]["model"]["given_entities"]["strict"]
    for label, point in operating_points(preds.scored, preds.gold_rels, preds.texts, preds.thresholds).items():
        assert (point["precision"], point["recall"], point["f1"]) == (strict[label]["precision"], strict[label]["recall"], strict[label]["f1"])


def test_every_f1_has_an_interval_around_it(evaluated):
    metrics = evaluated[-1]
    rows = list(_f1_rows(metrics))
    # relations: 2 systems x 2 settings x (strict, relaxed, same-sentence, cross-sentence) x 5 rows;
    # entities after and before: 2 x (7 labels, micro, macro)
    assert len(rows) == 80 + 18
    for row in rows:
        low, high = row["f1_ci"]
        assert 0 <= low <= high <= 1


def test_same_and_cross_sentence_parts_add_up_to_the_whole(evaluated):
    metrics = evaluated[-1]
    assert metrics["test"]["cross_sentence_relations"] == 0  # the tiny corpus relates within sentences only
    for system in SYSTEMS:
        for setting in SETTINGS:
            whole = metrics["relations"][system][setting]["strict"]["micro"]
            parts = [metrics["relations_by_distance"][d][system][setting]["micro"] for d in DISTANCES]
            assert [sum(p[k] for p in parts) for k in ("tp", "fp", "fn")] == [whole["tp"], whole["fp"], whole["fn"]]


def test_sections_for_entities_calibration_hard_negatives_and_error_kinds(evaluated):
    _, _, preds, negatives, metrics = evaluated
    assert metrics["entities_base"]["micro"]["tp"] + metrics["entities_base"]["micro"]["fn"] == metrics["test"]["entities"]
    assert set(metrics["calibration"]) == {*RELATION_LABELS, "overall"}
    assert metrics["calibration"]["overall"]["items"] == sum(int(s.mask.sum()) for s in preds.scored)
    hard = metrics["hard_negatives"]
    assert hard["entries"] == 3 and hard["entries_per_case"] == {"cancelled-meeting": 1, "refused-meeting": 1, "withdrawal": 1}
    assert set(hard["model"]["end_to_end"]["cases"]) == {"cancelled-meeting", "refused-meeting", "withdrawal"}
    for setting in SETTINGS:
        strict = metrics["relations"]["model"][setting]["strict"]["micro"]
        kinds = metrics["error_kinds"][setting]
        boundary = kinds["wrong entity boundary"]["total"]
        assert sum(row["total"] for row in kinds.values()) == strict["fp"] + strict["fn"] - boundary
    assert "missed entity" not in metrics["error_kinds"]["given_entities"]
    assert "hard_negatives" not in compute_metrics(preds, FAST)
    report = render_report(metrics, preds, FAST, negatives)
    for heading in ("## Relations, strict", "### cross-sentence", "## The model's thresholds", "## Calibration",
                    "## Hard negatives", "## Entities, before", "## Errors of the model by kind, end-to-end",
                    "## All errors of the model, given-entities"):
        assert heading in report


def test_curves_cover_each_label(evaluated):
    curves = precision_recall_curves(evaluated[2])
    assert set(curves) == set(RELATION_LABELS)
    assert all(0 < r["threshold"] < 1 for rows in curves.values() for r in rows)


def test_the_command_writes_metrics_report_and_one_curve_per_label(evaluation_inputs, tmp_path):
    test_docs, model, baseline = evaluation_inputs
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "evaluate", str(test_docs), str(model), str(baseline),
         "--metrics", str(out / "evaluation.json"), "--report", str(out / "evaluation.md"),
         "--plots", str(out / "precision_recall"), "--hard-negatives", str(TINY / "hard_negatives.yaml"),
         "--spacy-model", SPACY_MODEL, "--bootstrap-samples", "100", "--seed", "1", "--calibration-bins", "5"],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    metrics = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert {"relations_by_distance", "entities_base", "calibration", "hard_negatives", "error_kinds"} <= set(metrics)
    assert "100 bootstrap resamples" in (out / "evaluation.md").read_text(encoding="utf-8")
    for label in RELATION_LABELS:
        assert (out / "precision_recall" / f"{label}.csv").read_text(encoding="utf-8").startswith("threshold,precision,recall\n")
    assert not list(out.rglob("*.tmp"))
