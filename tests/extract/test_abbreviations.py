"""Schwartz-Hearst abbreviation definitions: both patterns, plurals, offsets, non-acronyms."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperkg.extract.concepts.abbreviations import (
    best_long_form,
    find_abbreviations,
    is_short_form,
    whole_definition,
)


@pytest.mark.parametrize(
    "text, short, long",
    [
        ("We use Retrieval-Augmented Generation (RAG) here.", "RAG", "Retrieval-Augmented Generation"),
        ("Large Language Models (LLMs) are big.", "LLMs", "Large Language Models"),
        ("We call RAG (retrieval-augmented generation) often.", "RAG", "retrieval-augmented generation"),
        ("a Monte Carlo Tree Search (MCTS) based policy", "MCTS", "Monte Carlo Tree Search"),
        ("driven by fractional Brownian motion (fBM).", "fBM", "fractional Brownian motion"),
        ("Generative Flow Networks (GFlowNets) sample.", "GFlowNets", "Generative Flow Networks"),
        ("the so-called independent interval approximation (IIA).", "IIA", "independent interval approximation"),
        ("Text-to-Image (T2I) models", "T2I", "Text-to-Image"),
        ("termed Gradient-based Language Model Pruner (GBLM-Pruner).", "GBLM-Pruner", "Gradient-based Language Model Pruner"),
        ("learning (neural) stochastic differential equations (SDEs)", "SDEs", "stochastic differential equations"),
        ("Retrieval-Augmented Generation (RAG; Lewis et al., 2020)", "RAG", "Retrieval-Augmented Generation"),
    ],
)
def test_abbreviations_finds_definition(text, short, long):
    found = find_abbreviations(text)
    assert [(a.short, a.long) for a in found] == [(short, long)]
    a = found[0]
    assert text[a.short_start : a.short_end] == short
    assert text[a.long_start : a.long_end] == long


@pytest.mark.parametrize(
    "text",
    [
        "We test (a) offline and (b) online settings.",
        "Two cases: (i) convex, (ii) nonconvex and (iii) neither.",
        "As shown before (2023), it works (see below).",
        "The result (IV) holds.",
        "We propose MKOR-H (MKOR) as a variant.",  # the long form holds the short form
        "The model (XYZ) is new.",  # letters not found
        "We study two settings (e.g., BERT).",
        "Optimal\n\nTransport (OT) is shown.",  # no reach over a blank line
        "We use optimal methods. Transport works (OT).",  # nor over a sentence end
    ],
)
def test_abbreviations_rejects_non_definitions(text):
    assert find_abbreviations(text) == []


@pytest.mark.parametrize(
    "candidate, expected",
    [("RAG", True), ("LLMs", True), ("fBM", True), ("CFG++", True), ("PaLM 2", True),
     ("a", False), ("i", False), ("ii", False), ("iii", False), ("IV", False), ("2023", False),
     ("e.g.", False), ("see the text", False), ("-RAG", False), ("ABCDEFGHIJKLM", False)],
)
def test_abbreviations_is_short_form(candidate, expected):
    assert is_short_form(candidate) is expected


def test_abbreviations_best_long_form_first_letter_starts_a_word():
    assert best_long_form("RL", "unreal learning") is None
    assert best_long_form("RL", "reinforcement learning") == "reinforcement learning"


@pytest.mark.parametrize(
    "text, short, long",
    [
        ("Large Language Models (LLMs)", "LLMs", "Large Language Models"),
        ("RAG (retrieval-augmented generation)", "RAG", "retrieval-augmented generation"),
        ("our powerful Large Language Models (LLMs)", "LLMs", "our powerful Large Language Models"),
    ],
)
def test_abbreviations_whole_definition(text, short, long):
    definition = whole_definition(text)
    assert (definition.short, definition.long) == (short, long)


@pytest.mark.parametrize("text", ["BERT (base)", "LLMs", "(LLMs)", "RAG (retrieval) and more"])
def test_abbreviations_whole_definition_none(text):
    assert whole_definition(text) is None


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("aAbBcR G()-;.,s\n"), max_size=60))
def test_abbreviations_offsets_always_point_into_text(text):
    for a in find_abbreviations(text):
        assert text[a.short_start : a.short_end] == a.short
        assert text[a.long_start : a.long_end] == a.long
        assert is_short_form(a.short)
