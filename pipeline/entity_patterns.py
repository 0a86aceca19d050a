"""Entity-ruler patterns for the domain's names, taken from the gold training documents:
every name whose label is unambiguous there, so the NER does not miss or mislabel it."""

from __future__ import annotations

from collections import Counter, defaultdict

from spacy.language import Language
from spacy.tokens import Doc

RULER = "domain_names"


def name_patterns(docs: list[Doc], min_count: int, min_share: float) -> list[dict]:
    """{"label", "pattern"} for names seen at least min_count times with one label in at
    least min_share of their occurrences. Single characters and lower-case words are skipped."""
    labels: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for ent in doc.ents:
            labels[ent.text][ent.label_] += 1
    patterns = []
    for text, counts in sorted(labels.items()):
        label, n = counts.most_common(1)[0]
        if len(text) > 1 and not text.islower() and n >= min_count and n / sum(counts.values()) >= min_share:
            patterns.append({"label": label, "pattern": text})
    return patterns


def add_entity_ruler(nlp: Language, patterns: list[dict]) -> None:
    """Put the patterns before the statistical NER, which keeps entities already set. First
    in the pipeline, so that adding patterns only tokenizes them."""
    ruler = nlp.add_pipe("entity_ruler", name=RULER, first=True, config={"validate": True})
    ruler.add_patterns(patterns)
