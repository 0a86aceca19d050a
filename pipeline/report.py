"""The evaluation report in Markdown: score tables, then every error with its sentence."""

from __future__ import annotations

from .evaluate import SETTINGS, SYSTEMS, Predictions, errors
from .schema import ENTITY_LABELS, RELATION_LABELS
from .scoring import Rel

ROWS = (*RELATION_LABELS, "micro", "macro")


def _cell(row: dict) -> str:
    return f"{row['precision']:.3f} / {row['recall']:.3f} / **{row['f1']:.3f}**"


def relation_table(metrics: dict, mode: str) -> list[str]:
    cols = [(s, t) for t in SETTINGS for s in SYSTEMS]
    lines = ["| label | " + " | ".join(f"{s} {t.replace('_', '-')}" for s, t in cols) + " |",
             "|---" * (len(cols) + 1) + "|"]
    for row in ROWS:
        cells = [_cell(metrics["relations"][s][t][mode][row]) for s, t in cols]
        lines.append(f"| {row} | " + " | ".join(cells) + " |")
    return lines


def entity_table(metrics: dict) -> list[str]:
    lines = ["| label | precision | recall | F1 | gold | predicted |", "|---|---|---|---|---|---|"]
    for label in (*ENTITY_LABELS, "micro"):
        r = metrics["entities"][label]
        lines.append(f"| {label} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {r['tp'] + r['fn']} | {r['tp'] + r['fp']} |")
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


def error_section(p: Predictions, system: str, setting: str) -> list[str]:
    fps, fns = errors(p, system, setting)
    lines = [f"## Errors of the {system}, {setting.replace('_', '-')} (strict)", "",
             "Head in [brackets], tail in {braces}.", ""]
    for label in RELATION_LABELS:
        for kind, items in (("False positives", fps), ("False negatives", fns)):
            rows = [r for r in items if r.label == label]
            lines += [f"### {label}: {kind.lower()} ({len(rows)})", ""]
            lines += [f"- `{r.doc_id}` {_context(p, r)}" for r in rows] or ["- none"]
            lines.append("")
    return lines


def render_report(metrics: dict, p: Predictions) -> str:
    t = metrics["test"]
    lines = [
        "# Evaluation on the test split", "",
        f"{t['documents']} documents, {t['relations']} gold relations, {t['entities']} gold entities. "
        "Scores as `docs/annotation-guide.md` section 4 defines them; each cell is precision / recall / **F1**. "
        "End-to-end uses the pipeline's own entities, given-entity the gold ones.", "",
        "## Relations, strict", "", *relation_table(metrics, "strict"), "",
        "## Relations, relaxed (overlapping spans)", "", *relation_table(metrics, "relaxed"), "",
        "## Entities (end-to-end NER, strict spans)", "", *entity_table(metrics), "",
    ]
    for setting in SETTINGS:
        lines += error_section(p, "model", setting)
    return "\n".join(lines) + "\n"
