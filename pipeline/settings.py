"""Training settings from params.yaml, the one place they are set: each section read into
its dataclass, with an error that names the file and key when one is missing or wrong."""

from __future__ import annotations

from pathlib import Path

import yaml

from .train import TrainSettings
from .train_ner import NerSettings


_KINDS = {int: "a whole number", float: "a number", str: "a word"}


class SettingsError(ValueError):
    pass


def read_params(path: Path) -> dict:
    try:
        params = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise SettingsError(f"{path}: cannot read the parameters ({e})") from e
    if not isinstance(params, dict):
        raise SettingsError(f"{path}: expected a mapping of sections (train:, ner:, ...)")
    params["__file__"] = str(path)
    return params


def _get(params: dict, section: str, key: str, kind: type, allowed: tuple = ()):
    value = (params.get(section) or {}).get(key)
    where = f"{params.get('__file__', 'params.yaml')}: {section}.{key}"
    if value is None:
        raise SettingsError(f"{where} is missing (expected {_KINDS[kind]})")
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, kind):
        raise SettingsError(f"{where} is {value!r} (expected {_KINDS[kind]})")
    if allowed and value not in allowed:
        raise SettingsError(f"{where} is {value!r} (expected {' or '.join(map(repr, allowed))})")
    return value


def train_settings(params: dict, base_model: str) -> TrainSettings:
    def t(key, kind, allowed=()):
        return _get(params, "train", key, kind, allowed)

    return TrainSettings(
        base_model=base_model, window=_get(params, "encoder", "window", int), stride=_get(params, "encoder", "stride", int),
        hidden_width=t("hidden_width", int), dropout=t("dropout", float), max_sentence_gap=t("max_sentence_gap", int),
        epochs=t("epochs", int), patience=t("patience", int), batch_size=t("batch_size", int),
        learn_rate=t("learn_rate", float), fine_tune=t("encoder", str, ("tuned", "frozen")) == "tuned",
        encoder_learn_rate=t("encoder_learn_rate", float), negative_rate=t("negative_rate", float),
        tune_thresholds=t("thresholds", str, ("tuned", "fixed")) == "tuned", seed=t("seed", int),
        warmup=t("warmup", float), chunk_sentences=t("chunk_sentences", int),
        calibrate=t("calibration", str, ("platt", "none")) == "platt",
        calibration_bins=_get(params, "evaluate", "calibration_bins", int),
        frozen_layers=t("frozen_layers", int), positive_weight=t("positive_weight", float),
        averaged=t("weights", str, ("last", "averaged")) == "averaged",
    )


def ner_settings(params: dict) -> NerSettings:
    def n(key, kind):
        return _get(params, "ner", key, kind)

    return NerSettings(
        ruler_min_count=n("ruler_min_count", int), ruler_min_share=n("ruler_min_share", float), epochs=n("epochs", int),
        patience=n("patience", int), batch_size=n("batch_size", int), dropout=n("dropout", float),
        learn_rate=n("learn_rate", float), seed=n("seed", int),
    )


def baseline_settings(params: dict) -> dict:
    """Keyword arguments of baseline.fit_baseline besides the documents."""
    return {"max_sentence_gap": _get(params, "train", "max_sentence_gap", int), "c": _get(params, "baseline", "C", float),
            "max_iter": _get(params, "baseline", "max_iter", int), "seed": _get(params, "train", "seed", int)}
