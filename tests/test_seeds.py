"""The main job on the seed pages, with the shipped model: what a new user gets."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pytest

from paperkg.extract.concepts.inflection import singular
from paperkg.graph.queries import find_concepts
from paperkg.graph.schema import concept_nodes, paper_nodes
from paperkg.api import build, seeds_dir

pytestmark = pytest.mark.slow


# seeds_build (the seed pages built once per session with the shipped model) is in
# tests/conftest.py, shared with tests/exports/test_sparql_seeds.py.


def test_seeds_build_has_291_papers_and_all_concept_types(seeds_build):
    report, G = seeds_build
    assert report.papers == 291 and len(paper_nodes(G)) == 291
    assert set(report.concepts) == {"METHOD", "DATASET", "TASK"}
    assert all(len(concept_nodes(G, type=t)) >= 10 for t in ("METHOD", "DATASET", "TASK"))


def _variant_form(label: str) -> str:
    text = unicodedata.normalize("NFKC", label).casefold()
    words = re.sub(r"[\s\-‐‑–—_]+", " ", text).split()
    return "".join(words[:-1] + [singular(words[-1])]) if words else ""


def test_seeds_no_concepts_differ_only_by_case_hyphen_space_or_plural(seeds_build):
    _, G = seeds_build
    groups = defaultdict(list)
    for c in concept_nodes(G):
        groups[_variant_form(G.nodes[c]["label"])].append(G.nodes[c]["label"])
    clashes = {k: v for k, v in groups.items() if len(v) > 1}
    assert clashes == {}


@pytest.mark.parametrize(
    "names",
    [
        ["LLM", "LLMs", "large language model", "large language models", "Large Language Models"],
        ["RAG", "retrieval-augmented generation", "Retrieval-Augmented Generation"],
    ],
)
def test_seeds_acronym_and_long_form_are_one_node(seeds_build, names):
    _, G = seeds_build
    nodes = {tuple(find_concepts(G, name)) for name in names}
    assert len(nodes) == 1 and len(next(iter(nodes))) == 1


def test_seeds_two_builds_are_byte_identical(seeds_build, tmp_path):
    report, _ = seeds_build
    again = build([seeds_dir()], tmp_path / "again")
    for name in report.files:
        one, two = report.out / name, again.out / name
        if one.is_file():
            assert one.read_bytes() == two.read_bytes(), name
