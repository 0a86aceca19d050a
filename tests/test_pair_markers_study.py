"""The pair-marker study's inputs: markers around exactly the head and the tail, typed, and
the offsets the GPU step reads the pair's vectors at."""

from __future__ import annotations

import importlib.util

from spacy.tokens import Doc, Span

from conftest import REPO


def study():
    spec = importlib.util.spec_from_file_location("pair_markers", REPO / "studies" / "pair_markers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_markers_wrap_head_and_tail_only(base_nlp):
    doc = Doc(base_nlp.vocab, words=["Erdogan", "met", "Putin", "in", "Sochi", "."],
              sent_starts=[True, False, False, False, False, False])
    doc.ents = [Span(doc, 0, 1, "PERSON"), Span(doc, 2, 3, "PERSON"), Span(doc, 4, 5, "GPE")]
    text, head, tail = study().marked_pair(doc, 1, 0)
    assert text == "# ^ person ^ Erdogan # met @ * person * Putin @ in Sochi ."
    assert text[head] == "@" and text[tail] == "#"


def test_adjacent_mentions_close_before_the_next_opens(base_nlp):
    # No space between them: the first mention ends where the second begins.
    doc = Doc(base_nlp.vocab, words=["Kyiv", "Moscow", "talks"], spaces=[False, True, False],
              sent_starts=[True, False, False])
    doc.ents = [Span(doc, 0, 1, "GPE"), Span(doc, 1, 2, "GPE")]
    text, head, tail = study().marked_pair(doc, 1, 0)
    assert text == "# ^ country ^ Kyiv #@ * country * Moscow @ talks"
    assert (text[head], text[tail]) == ("@", "#")
