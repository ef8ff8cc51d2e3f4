"""The same three papers written in six formats build the same graph (ids and concepts), and
read together they are three papers, each with every source recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

from paperkg.api import graph_from_papers
from paperkg.extract.ner.pipeline import load_pipeline
from paperkg.extract.read.readers import read_papers

SAME = Path(__file__).parent / "fixtures" / "same"
FILES = ["papers.atom.xml", "papers.openalex.json", "papers.bib", "papers.ris", "papers.csl.json", "papers.s2.json"]
IDS = ["arxiv:1706.03762", "doi:10.1109/cvpr.2016.90", "doi:10.18653/v1/n19-1423"]


@pytest.fixture(scope="module")
def nlp(rule_model):
    return load_pipeline(rule_model)


def paper_concepts(G) -> dict[str, list[str]]:
    return {
        n: sorted(G.nodes[c]["label"] for c in G.successors(n))
        for n, kind in G.nodes(data="kind")
        if kind == "paper"
    }


@pytest.mark.parametrize("name", FILES)
def test_readers_same_papers_build_the_same_graph(name, nlp):
    papers = read_papers([SAME / name])
    assert [p.id for p in papers] == IDS
    G = graph_from_papers(papers, nlp)
    assert paper_concepts(G) == {
        "paper:arxiv:1706.03762": ["BERT", "GPT-4"],
        "paper:doi:10.1109/cvpr.2016.90": ["ImageNet", "ResNet-50", "image classification"],
        "paper:doi:10.18653/v1/n19-1423": ["BERT", "SQuAD", "question answering"],
    }


def test_readers_same_papers_read_together_are_three_with_every_source():
    papers = read_papers([SAME / name for name in FILES])
    assert [p.id for p in papers] == IDS
    for paper in papers:
        assert sorted(s.file for s in paper.sources) == sorted(FILES)
    bert = papers[2]
    assert {"arxiv:1810.04805", "openalex:W2896457183", "s2:df2b0e26d0599ce3e70df8a9da02e51594e0e992"} <= set(bert.ids)
    assert bert.authors[0] == "Jacob Devlin"
    assert bert.date == "2018-10-11"  # the earliest full date of all sources (arXiv v1)
