"""Shared fixtures: a small hand-made corpus with known answers and a rule pipeline.

The rule pipeline (blank English + sentencizer + entity ruler) stands in for the
trained model wherever a test is about the spine (reading, building, querying,
exporting, the CLI) rather than about extraction quality, so the answers are known.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

#: The hand-made corpus. Known answers, by construction:
#: - BERT: papers a, b, c; SQuAD: a, b; question answering: a, b; ImageNet: c, d;
#:   ResNet-50: c, d; image classification: d; GPT-4: a.
CORPUS = [
    {
        "id": "a",
        "title": "BERT for Question Answering",
        "abstract": "We fine-tune BERT on SQuAD. Question answering improves with GPT-4 labels.",
    },
    {
        "id": "b",
        "title": "Distilling BERT",
        "abstract": "A smaller BERT keeps its SQuAD score. We study question answering.",
    },
    {
        "id": "c",
        "title": "Vision and language pretraining",
        "abstract": "We pair BERT with ResNet-50 features from ImageNet.",
    },
    {
        "id": "d",
        "title": "Pruning ResNet-50 <b>fast</b>",
        "abstract": "We prune ResNet-50 for image classification on ImageNet.",
    },
]

PATTERNS = [
    {"label": "METHOD", "pattern": "BERT"},
    {"label": "METHOD", "pattern": "GPT-4"},
    {"label": "METHOD", "pattern": [{"TEXT": "ResNet-50"}]},
    {"label": "METHOD", "pattern": [{"TEXT": "ResNet"}, {"TEXT": "-"}, {"TEXT": "50"}]},
    {"label": "DATASET", "pattern": "SQuAD"},
    {"label": "DATASET", "pattern": "ImageNet"},
    {"label": "TASK", "pattern": [{"LOWER": "question"}, {"LOWER": "answering"}]},
    {"label": "TASK", "pattern": [{"LOWER": "image"}, {"LOWER": "classification"}]},
]


@pytest.fixture(scope="session")
def rule_model(tmp_path_factory) -> Path:
    """A saved rule-only pipeline that finds exactly the corpus's concepts."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns(PATTERNS)
    path = tmp_path_factory.mktemp("model") / "rules"
    nlp.to_disk(path)
    return path


@pytest.fixture()
def corpus_records() -> list[dict]:
    """The hand-made corpus records."""
    return [dict(r) for r in CORPUS]


@pytest.fixture()
def corpus_file(tmp_path) -> Path:
    """The hand-made corpus as JSON Lines."""
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in CORPUS) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def corpus_graph(rule_model, tmp_path_factory):
    """The graph built from the hand-made corpus with the rule pipeline."""
    from paperkg.extract.ner.pipeline import load_pipeline
    from paperkg.extract.read.readers import read_papers
    from paperkg.api import graph_from_papers

    folder = tmp_path_factory.mktemp("corpus")
    path = folder / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in CORPUS) + "\n", encoding="utf-8")
    return graph_from_papers(read_papers([path]), load_pipeline(rule_model))


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """The seed pages built with the shipped model, once per session: (report, graph).

    Slow (the whole pipeline on 291 papers): only tests marked ``slow`` use it.
    """
    from paperkg.api import build, seeds_dir
    from paperkg.graph.store import load_graph

    out = tmp_path_factory.mktemp("seeds") / "out"
    report = build([seeds_dir()], out)
    return report, load_graph(out)
