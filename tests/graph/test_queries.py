"""Each query on the hand-made corpus, whose answers are known by construction."""

from __future__ import annotations

import pytest

from paperkg.graph.queries import (
    AmbiguousName,
    cooccurring,
    find_paper,
    papers_for,
    related,
    shared_concepts,
    top_concepts,
)
from paperkg.graph.schema import concept_nodes, paper_nodes


def labels(items):
    return [i.label for i in items]


def test_queries_graph_has_papers_and_typed_concepts(corpus_graph):
    G = corpus_graph
    assert paper_nodes(G) == ["paper:a", "paper:b", "paper:c", "paper:d"]
    types = {G.nodes[c]["type"] for c in concept_nodes(G)}
    assert types == {"METHOD", "DATASET", "TASK"}


def test_queries_shared_by_two_papers_with_evidence(corpus_graph):
    result = shared_concepts(corpus_graph, ["a", "Distilling BERT"])
    assert labels(result["METHOD"]) == ["BERT"]
    assert labels(result["DATASET"]) == ["SQuAD"]
    assert [s.label.lower() for s in result["TASK"]] == ["question answering"]
    evidence = {e.paper: e.evidence for e in result["DATASET"][0].papers}
    assert evidence == {
        "paper:a": "We fine-tune BERT on SQuAD.",
        "paper:b": "A smaller BERT keeps its SQuAD score.",
    }


def test_queries_shared_by_any_two_papers(corpus_graph):
    result = shared_concepts(corpus_graph, min_papers=2)
    assert labels(result["METHOD"]) == ["BERT", "ResNet-50"]
    assert [len(s.papers) for s in result["METHOD"]] == [3, 2]
    assert sorted(labels(result["DATASET"])) == ["ImageNet", "SQuAD"]
    assert "GPT-4" not in labels(result["METHOD"])


@pytest.mark.parametrize("name", ["ImageNet", "imagenet", "IMAGENETs", "Imagenet"])
def test_queries_papers_for_concept_any_case_or_plural(corpus_graph, name):
    [item] = papers_for(corpus_graph, name)
    assert [e.paper for e in item.papers] == ["paper:c", "paper:d"]


def test_queries_papers_for_unknown_concept_lists_candidates(corpus_graph):
    with pytest.raises(AmbiguousName) as err:
        papers_for(corpus_graph, "Image")
    assert "ImageNet" in err.value.candidates


def test_queries_related_ranks_rare_shared_concepts_first(corpus_graph):
    result = related(corpus_graph, "b")
    # b shares BERT (3 papers) and SQuAD + question answering (2 papers each) with a,
    # and only BERT with c; d shares nothing.
    assert [r.paper for r in result] == ["paper:a", "paper:c"]
    assert [s.lower() for s in result[0].shared] == ["bert", "question answering", "squad"]
    assert result[1].shared == ["BERT"]
    assert result[0].score > result[1].score


def test_queries_top_concepts_per_type(corpus_graph):
    top = top_concepts(corpus_graph, limit=1)
    assert [(c.label, c.count) for c in top["METHOD"]] == [("BERT", 3)]
    assert [c.count for c in top["DATASET"]] == [2]
    only = top_concepts(corpus_graph, type="dataset")
    assert list(only) == ["DATASET"]


def test_queries_cooccurring_concepts(corpus_graph):
    result = {c.label: c.count for c in cooccurring(corpus_graph, "ResNet-50")}
    assert result["ImageNet"] == 2
    assert result["BERT"] == 1
    assert "ResNet-50" not in result


@pytest.mark.parametrize(
    "name, expected",
    [("a", "paper:a"), ("paper:c", "paper:c"), ("distilling bert", "paper:b"), ("Pruning", "paper:d")],
)
def test_queries_find_paper_by_id_title_or_fragment(corpus_graph, name, expected):
    assert find_paper(corpus_graph, name) == expected


@pytest.mark.parametrize("name, count", [("BERT", 2), ("no such paper", 0)])
def test_queries_find_paper_ambiguous_or_unknown(corpus_graph, name, count):
    with pytest.raises(AmbiguousName) as err:
        find_paper(corpus_graph, name)
    assert len(err.value.candidates) == count
