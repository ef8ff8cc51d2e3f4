"""The README's SPARQL queries, over the seeds export, answer what the CLI answers.

The three queries are read from the README itself and run with rdflib and with
pyoxigraph over the Turtle file of the seeds build (the session's ``seeds_build``);
each must give the rows of the Python query behind the CLI command (``paperkg shared``,
``paperkg papers``, ``paperkg top``), in the same order, ties included.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from paperkg.exports import export
from paperkg.exports.rdf import SPARQL_EXAMPLES
from paperkg.graph.queries import AmbiguousName, papers_for, shared_concepts, top_concepts
from paperkg.graph.schema import PAPER_PREFIX, concept_nodes, paper_nodes

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parents[2] / "README.md"
TYPES = {
    "https://w3id.org/paperkg/vocab#Method": "METHOD",
    "https://w3id.org/paperkg/vocab#Dataset": "DATASET",
    "https://w3id.org/paperkg/vocab#Task": "TASK",
}


def readme_queries() -> dict[int, str]:
    """The numbered queries of the README's ``sparql`` block, each with the prefixes."""
    block = re.search(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1)
    prefixes = "\n".join(line for line in block.splitlines() if line.startswith("PREFIX"))
    parts = re.split(r"^# (\d)\. .*$", block, flags=re.M)
    return {int(n): prefixes + "\n" + body.strip() for n, body in zip(parts[1::2], parts[2::2])}


def _body(query: str) -> str:
    """A query without prefixes and comments, whitespace collapsed."""
    lines = [ln for ln in query.splitlines() if not ln.startswith(("PREFIX", "#"))]
    return " ".join(" ".join(lines).split())


def _bind(query: str, **values: str) -> str:
    """Bind variables with a VALUES block (the same text for both engines)."""
    import pyoxigraph

    names = " ".join(f"?{k}" for k in values)
    row = " ".join(str(pyoxigraph.Literal(v)) for v in values.values())
    return query.replace("WHERE {", f"WHERE {{\n  VALUES ({names}) {{ ({row}) }}", 1)


class Engines:
    """The seeds export loaded into rdflib and pyoxigraph; ``rows`` runs a query on both."""

    def __init__(self, path: Path):
        import pyoxigraph
        from rdflib import Graph

        self.rdflib = Graph().parse(path, format="turtle")
        self.oxigraph = pyoxigraph.Store()
        self.oxigraph.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)

    def rows(self, query: str, *, rdflib: bool = True) -> list[tuple[str, ...]]:
        ox = self.oxigraph.query(query)
        names = [v.value for v in ox.variables]
        from_ox = [tuple(str(s[n].value) for n in names) for s in ox]
        if rdflib:
            from_rdflib = [tuple(str(r[n]) for n in names) for r in self.rdflib.query(query)]
            assert from_rdflib == from_ox, query
        return from_ox


@pytest.fixture(scope="module")
def seeds(seeds_build, tmp_path_factory):
    report, G = seeds_build
    path = report.out / "paperkg.ttl"
    if not path.is_file():  # the build's default exports may change: export it here then
        path = export(G, tmp_path_factory.mktemp("seeds-rdf") / "paperkg.ttl")
    return G, Engines(path), report.out


def test_sparql_readme_queries_are_the_tested_examples():
    queries = readme_queries()
    assert sorted(queries) == [1, 2, 3]
    examples = ["shared-concepts", "papers-for-concept", "top-datasets"]
    for n, name in enumerate(examples, start=1):
        assert _body(queries[n]) == _body(SPARQL_EXAMPLES[name]), name


def _pairs(G, limit: int) -> list[tuple[str, str]]:
    """The paper pairs sharing the most concepts (titles unique), most shared first."""
    titles = [G.nodes[p]["title"] for p in paper_nodes(G)]
    unique = [p for p in paper_nodes(G) if titles.count(G.nodes[p]["title"]) == 1]
    shared = {
        (a, b): len(set(G.successors(a)) & set(G.successors(b)))
        for a, b in itertools.combinations(unique, 2)
    }
    return sorted(shared, key=lambda ab: (-shared[ab], ab))[:limit]


def test_sparql_shared_concepts_agree_with_python(seeds):
    G, engines, _ = seeds
    query = readme_queries()[1]
    pairs = _pairs(G, 4)
    assert len(set(G.successors(pairs[0][0])) & set(G.successors(pairs[0][1]))) >= 3
    for a, b in pairs:
        rows = engines.rows(_bind(query, titleA=G.nodes[a]["title"], titleB=G.nodes[b]["title"]))
        python = shared_concepts(G, [a, b])
        for t, items in python.items():
            assert [label for label, cls in rows if TYPES[cls] == t] == [s.label for s in items], (a, b, t)
        assert len(rows) == sum(len(items) for items in python.values())


def _python_papers(G, name: str) -> list[tuple[str, str]]:
    try:
        found = papers_for(G, name)
    except AmbiguousName:
        return []
    return sorted({(e.paper[len(PAPER_PREFIX):], e.title) for item in found for e in item.papers})


FIXED_NAMES = [
    "large language models", "large language model", "Large Language Models",
    "Large-Language-Models", "LLM", "LLMs", "llms", "RAG", "retrieval-augmented generation",
    "Retrieval Augmented Generation", "ImageNet", "imagenet", "CIFAR10",
    "no such concept at all",
]


def test_sparql_papers_for_concept_agrees_with_python(seeds):
    G, engines, _ = seeds
    query = readme_queries()[2]
    for name in FIXED_NAMES:
        assert engines.rows(_bind(query, concept=name)) == _python_papers(G, name), name
    assert len(_python_papers(G, "large language models")) > 0


def test_sparql_papers_for_concept_sample_of_concepts(seeds):
    """Labels, aliases, upper case and plural forms of a sample of the concepts."""
    G, engines, _ = seeds
    query = readme_queries()[2]
    for i, c in enumerate(concept_nodes(G)[::20]):
        d = G.nodes[c]
        names = {d["label"], d["label"].upper(), d["label"] + "s", *d["aliases"][:2]}
        for name in sorted(names):
            expected = _python_papers(G, name)
            got = engines.rows(_bind(query, concept=name), rdflib=i % 4 == 0)
            assert got == expected, name
        assert _python_papers(G, d["label"])  # every label finds its papers


def _cli(out: Path, *args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "paperkg", *args, "--graph", str(out), "--json"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_sparql_papers_for_llms_matches_the_cli(seeds):
    G, engines, out = seeds
    rows = engines.rows(_bind(readme_queries()[2], concept="large language models"))
    cli = _cli(out, "papers", "large language models")
    assert [r[0] for r in rows] == sorted(
        {e["paper"][len(PAPER_PREFIX):] for item in cli for e in item["papers"]}
    )
    assert rows


@pytest.mark.parametrize("cls, type_", [("Dataset", "DATASET"), ("Method", "METHOD"), ("Task", "TASK")])
def test_sparql_top_concepts_agree_with_python_ties_included(seeds, cls, type_):
    G, engines, _ = seeds
    query = readme_queries()[3].replace("pkg:Dataset", f"pkg:{cls}")
    rows = [(label, int(n)) for label, n in engines.rows(query)]
    python = [(c.label, c.count) for c in top_concepts(G, type=type_)[type_]]
    assert rows == python
    counts = [n for _, n in rows]
    assert len(set(counts)) < len(counts)  # the list has ties, ordered the same way


def test_sparql_top_datasets_match_the_cli(seeds):
    _, engines, out = seeds
    rows = [(label, int(n)) for label, n in engines.rows(readme_queries()[3])]
    cli = _cli(out, "top", "--type", "DATASET")
    items = cli["DATASET"] if isinstance(cli, dict) else cli
    assert rows == [(i["label"], i["count"]) for i in items]
