"""Shared fixtures for the export tests: a small hand-made graph that follows paperkg.graph.schema."""

from __future__ import annotations

import networkx as nx
import pytest

from paperkg.graph.schema import CONCEPT, PAPER, SCHEMA_VERSION, concept_node_id, paper_node_id

#: A title that must stay inert text in every export (HTML above all).
SCRIPT_TITLE = "<script>alert(1)</script> & “Attention” for Zürich 東京 — a test"

PAPERS = {
    "p1": (SCRIPT_TITLE, "We apply BERT to SQuAD for question answering.", "Mar 14",
           "javascript:alert(2)"),
    "p2": ("BERT and GPT-2 on SQuAD", "BERT and GPT-2 are compared on SQuAD.", "Mar 15",
           "https://example.org/p2"),
    "p3": ("Graph neural networks for node classification on Cora",
           "A GNN does node classification on Cora; BERT features help.", "",
           "https://example.org/p3?a=1&b=2"),
    "p4": ("Isolated thoughts", "Nothing here mentions a known concept.", "Mar 16", ""),
}
CONCEPTS = {
    # key: (type, label, aliases)
    "bert": ("METHOD", "BERT", ("BERT", "Bidirectional Encoder Representations")),
    "gpt-2": ("METHOD", "GPT-2", ("GPT-2",)),
    "gnn": ("METHOD", "graph neural network", ("GNN", "graph neural network")),
    "squad": ("DATASET", "SQuAD", ("SQuAD",)),
    "cora": ("DATASET", "Cora", ("Cora",)),
    "question answering": ("TASK", "question answering", ("question answering",)),
    "node classification": ("TASK", "node classification", ("node classification",)),
}
MENTIONS = {
    "p1": ["bert", "squad", "question answering"],
    "p2": ["bert", "gpt-2", "squad"],
    "p3": ["gnn", "node classification", "cora", "bert"],
}


def make_small_graph() -> nx.DiGraph:
    """Return a 4-paper, 7-concept graph with every schema attribute filled in."""
    G = nx.DiGraph(
        schema=SCHEMA_VERSION,
        generator="paperkg test",
        model="hand-made",
        merges=[["bert", "BERT", "p1", "exact"]],
        ambiguous_acronyms={"QA": ["question answering", "quality assurance"]},
    )
    for pid, (title, abstract, date, url) in PAPERS.items():
        G.add_node(
            paper_node_id(pid), kind=PAPER, label=title, title=title, abstract=abstract,
            date=date, url=url, sources=(f"seeds/x.txt:{len(pid)}", "other.txt:7"),
            code_urls=("https://github.com/example/repo",) if pid == "p2" else (),
        )
    counts = {k: sum(k in ms for ms in MENTIONS.values()) for k in CONCEPTS}
    for key, (type_, label, aliases) in CONCEPTS.items():
        G.add_node(
            concept_node_id(key), kind=CONCEPT, type=type_, label=label, key=key,
            aliases=aliases, paper_count=counts[key], type_counts={type_: counts[key]},
        )
    for pid, keys in MENTIONS.items():
        abstract = G.nodes[paper_node_id(pid)]["abstract"]
        for key in keys:
            surface = CONCEPTS[key][1] if CONCEPTS[key][1] in abstract else CONCEPTS[key][2][0]
            start = max(abstract.find(surface), 0)
            G.add_edge(
                paper_node_id(pid), concept_node_id(key), mentions=1 + len(key) % 2,
                evidence=abstract, field="abstract", start=start, end=start + len(surface),
                surface=surface, score=0.75,
            )
    return G


@pytest.fixture
def small_graph() -> nx.DiGraph:
    """A fresh copy of the hand-made graph (tests may mutate it)."""
    return make_small_graph()


@pytest.fixture
def script_title() -> str:
    """The title of paper:p1, which must stay inert text in every export."""
    return SCRIPT_TITLE


def make_leafy_graph() -> nx.DiGraph:
    """The small graph plus 12 concepts mentioned by one paper each (leaves of the layout)."""
    G = make_small_graph()
    for i in range(12):
        key = f"leaf {i:02d}"
        paper = paper_node_id("p4" if i % 3 else "p3")
        G.add_node(concept_node_id(key), kind=CONCEPT, type="TASK", label=key, key=key,
                   aliases=(key,), paper_count=1, type_counts={"TASK": 1})
        G.add_edge(paper, concept_node_id(key), mentions=1, evidence="", field="title",
                   start=0, end=0, surface="", score=1.0)
    return G
