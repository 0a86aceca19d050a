"""The evaluation report in Markdown: score tables with bootstrap intervals, relations
within and across sentences, the model's operating points, calibration, hard negatives,
entities before and after NER adaptation, the model's errors by kind, then every error
with its sentence."""

from __future__ import annotations

from .calibration import calibration_items, reliability
from .error_kinds import ErrorCase
from .evaluate import DISTANCES, SETTINGS, SYSTEMS, EvalSettings, Predictions, error_kinds, errors, model_errors
from .hard_negatives import HardNegative
from .pr_curve import operating_points
from .schema import ENTITY_LABELS, RELATION_LABELS
from .scoring import Rel

ROWS = (*RELATION_LABELS, "micro", "macro")
COLUMNS = [(s, t) for t in SETTINGS for s in SYSTEMS]
EXAMPLES = 5  # per error kind


def _name(setting: str) -> str:
    return setting.replace("_", "-")


def _ci(row: dict) -> str:
    low, high = row["f1_ci"]
    return f" [{low:.2f}, {high:.2f}]"


def _cell(row: dict) -> str:
    return f"{row['precision']:.3f} / {row['recall']:.3f} / **{row['f1']:.3f}**{_ci(row)}"


def _header(*cells: str) -> list[str]:
    return ["| " + " | ".join(cells) + " |", "|---" * len(cells) + "|"]


def _mode(metrics: dict, mode: str) -> dict:
    return {s: {t: metrics["relations"][s][t][mode] for t in SETTINGS} for s in SYSTEMS}


def relation_table(tables: dict) -> list[str]:
    """`tables`: system -> setting -> a scores table (rows ROWS)."""
    lines = _header("label", *(f"{s} {_name(t)}" for s, t in COLUMNS))
    for row in ROWS:
        lines.append(f"| {row} | " + " | ".join(_cell(tables[s][t][row]) for s, t in COLUMNS) + " |")
    return lines


def distance_section(metrics: dict) -> list[str]:
    lines = ["## Relations within one sentence and across sentences, strict", "",
             "Split by whether a relation's head and tail lie in the same sentence (of the gold "
             "parse); each part is scored alone, and their counts add up to the strict table above. "
             "A label with no gold and no predicted relation in a part scores 0, which pulls macro down.", ""]
    for distance in DISTANCES:
        tables = metrics["relations_by_distance"][distance]
        micro = tables["model"]["end_to_end"]["micro"]
        lines += [f"### {_name(distance)} ({micro['tp'] + micro['fn']} gold relations)", "", *relation_table(tables), ""]
    return lines


def operating_table(p: Predictions) -> list[str]:
    points = operating_points(p.scored, p.gold_rels, p.texts, p.thresholds)
    lines = ["## The model's thresholds (given-entity, strict)", "",
             "Each label's threshold was tuned on dev; these are its points on the precision-recall "
             "curves in `plots/precision_recall/` (`dvc plots show`).", "",
             *_header("label", "threshold", "precision", "recall", "F1")]
    for label, r in points.items():
        lines.append(f"| {label} | {r['threshold']:.2f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")
    return lines + [""]


def calibration_section(metrics: dict, p: Predictions, bins: int) -> list[str]:
    cal = metrics["calibration"]
    lines = ["## Calibration of the model's scores (given-entity)", "",
             "A score of 0.8 should be right about 80% of the time. Items are the candidate pairs whose "
             "types a label allows; ECE (expected calibration error) is the item-weighted mean gap "
             f"between the mean score and the fraction gold over {bins} equal-width score bins. Most pairs "
             "are clear negatives scored near 0, which keeps ECE small; the bins above the first show "
             "whether the scores that decide a prediction can be trusted.", "",
             *_header("label", "items", "ECE"),
             *(f"| {label} | {r['items']} | {r['ece']:.3f} |" for label, r in cal.items()), "",
             "Reliability: items / mean score / fraction gold per score bin.", "",
             *_header("score bin", *cal)]
    columns = [reliability(*items, bins) for items in calibration_items(p.scored).values()]
    for rows in zip(*columns):
        cells = [f"{r['items']} / {r['mean_score']:.2f} / {r['fraction_gold']:.2f}" if r["items"] else "0" for r in rows]
        lines.append(f"| {rows[0]['low']:.1f}–{rows[0]['high']:.1f} | " + " | ".join(cells) + " |")
    return lines + [""]


def _hard_cell(r: dict) -> str:
    precision = "–" if r["precision"] is None else f"{r['precision']:.2f}"
    return f"{r['correct']} / {r['predicted']} ({precision})"


def hard_negative_section(metrics: dict) -> list[str]:
    h = metrics["hard_negatives"]
    lines = ["## Hard negatives", "",
             f"{h['entries']} hand-picked entries in {h['sentences']} test sentences that invite a relation "
             "the guide does not give. Each cell: correct / predicted (precision) among the predictions of "
             "the entry's label with head and tail in such a sentence. The same sentences often hold true "
             "relations too (\"A met B\" beside a same-side pair), so precision is not meant to be 0: the "
             "lower it is, the more often the trap worked.", "",
             *_header("label", *(f"{s} {_name(t)}" for s, t in COLUMNS))]
    for row in (*RELATION_LABELS, "overall"):
        lines.append(f"| {row} | " + " | ".join(_hard_cell(h[s][t][row]) for s, t in COLUMNS) + " |")
    lines += ["", *_header("case", "entries", *(f"{s} {_name(t)}" for s, t in COLUMNS))]
    for case, n in h["entries_per_case"].items():
        lines.append(f"| {case} | {n} | " + " | ".join(_hard_cell(h[s][t]["cases"][case]) for s, t in COLUMNS) + " |")
    return lines + [""]


def entity_table(metrics: dict) -> list[str]:
    after = metrics["entities"]
    before = metrics.get("entities_base")
    if before is None:
        lines = _header("label", "precision", "recall", "F1", "gold", "predicted")
        for label in (*ENTITY_LABELS, "micro"):
            r = after[label]
            lines.append(f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f}{_ci(r)} | {r['tp'] + r['fn']} | {r['tp'] + r['fp']} |")
        return lines
    lines = _header("label", "gold", "stock spaCy: P / R / F1", "trained pipeline: P / R / F1", "F1 before → after")
    for label in (*ENTITY_LABELS, "micro", "macro"):
        b, a = before[label], after[label]
        gold = f"{a['tp'] + a['fn']}" if "tp" in a else ""
        lines.append(f"| {label} | {gold} | {_cell(b)} | {_cell(a)} | {b['f1']:.3f} → {a['f1']:.3f} ({a['f1'] - b['f1']:+.3f}) |")
    return lines


def _context(p: Predictions, r: Rel) -> str:
    text = p.texts[r.doc_id]
    lo, hi = min(r.head[0], r.tail[0]), max(r.head[1], r.tail[1])
    spans = [s for s in p.sentences[r.doc_id] if s[0] < hi and lo < s[1]] or [(lo, hi)]
    start, end = spans[0][0], spans[-1][1]
    marked = sorted([(r.head, "[", "]"), (r.tail, "{", "}")], key=lambda m: -m[0][0])
    snippet = text[start:end]
    for (s, e), left, right in marked:
        snippet = snippet[: s - start] + left + snippet[s - start : e - start] + right + snippet[e - start :]
    return " ".join(snippet.split())


def _example(p: Predictions, c: ErrorCase) -> str:
    return f"- `{c.rel.doc_id}` {c.rel.label}: {_context(p, c.rel)}" + (f" ({c.detail})" if c.detail else "")


def error_kind_section(metrics: dict, p: Predictions, setting: str, hard_negatives: list[HardNegative] | None) -> list[str]:
    counts = metrics["error_kinds"][setting]
    cases = model_errors(p, setting, hard_negatives)
    lines = [f"## Errors of the model by kind, {_name(setting)} (strict)", "",
             "Each false positive and false negative counts once, as the first kind that applies; a boundary "
             "error is a false positive and the gold relation it overlaps, together. Head in [brackets], "
             "tail in {braces}.", "",
             *_header("kind", *RELATION_LABELS, "total"),
             *(f"| {kind} | " + " | ".join(str(row[k]) for k in (*RELATION_LABELS, "total")) + " |"
               for kind, row in counts.items()), ""]
    for kind in error_kinds(setting):
        chosen = [c for c in cases if c.kind == kind]
        if chosen:
            lines += [f"### {kind} ({len(chosen)}; up to {EXAMPLES} shown)", "",
                      *(_example(p, c) for c in chosen[:EXAMPLES]), ""]
    return lines


def error_section(p: Predictions, system: str, setting: str) -> list[str]:
    fps, fns = errors(p, system, setting)
    lines = [f"## All errors of the {system}, {_name(setting)} (strict)", "",
             "Head in [brackets], tail in {braces}.", ""]
    for label in RELATION_LABELS:
        for kind, items in (("False positives", fps), ("False negatives", fns)):
            rows = [r for r in items if r.label == label]
            lines += [f"### {label}: {kind.lower()} ({len(rows)})", ""]
            lines += [f"- `{r.doc_id}` {_context(p, r)}" for r in rows] or ["- none"]
            lines.append("")
    return lines


def render_report(metrics: dict, p: Predictions, settings: EvalSettings = EvalSettings(),
                  hard_negatives: list[HardNegative] | None = None) -> str:
    t = metrics["test"]
    lines = [
        "# Evaluation on the test split", "",
        f"{t['documents']} documents, {t['relations']} gold relations ({t['cross_sentence_relations']} across "
        f"sentences), {t['entities']} gold entities. Scores as `docs/annotation-guide.md` section 4 defines "
        "them; each cell is precision / recall / **F1** [95% interval]. The interval comes from "
        f"{settings.bootstrap_samples} bootstrap resamples of the test documents: with only "
        f"{t['documents']} documents the intervals are wide, and a difference well inside them may be chance. "
        "End-to-end uses the pipeline's own entities, given-entity the gold ones.", "",
        "## Relations, strict", "", *relation_table(_mode(metrics, "strict")), "",
        "## Relations, relaxed (overlapping spans)", "", *relation_table(_mode(metrics, "relaxed")), "",
        *distance_section(metrics), *operating_table(p), *calibration_section(metrics, p, settings.calibration_bins),
    ]
    if "hard_negatives" in metrics:
        lines += hard_negative_section(metrics)
    title = "before (stock spaCy NER) and after adaptation (the trained pipeline)" if "entities_base" in metrics else "end-to-end NER"
    lines += [f"## Entities, {title}, strict spans", "", *entity_table(metrics), ""]
    for setting in SETTINGS:
        lines += error_kind_section(metrics, p, setting, hard_negatives)
    for setting in SETTINGS:
        lines += error_section(p, "model", setting)
    return "\n".join(lines) + "\n"
