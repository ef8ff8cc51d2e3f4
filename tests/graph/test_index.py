"""The query index: it gives the graph back, and every query answers from it exactly as
from the networkx graph (same records, same order, same errors), through indexes."""

from __future__ import annotations

import dataclasses
import random
import sqlite3

import networkx as nx
import pytest

from graph_samples import assert_same_graph, tiny_graph
from paperkg.errors import InputError
from paperkg.graph import queries
from paperkg.graph.index import INDEX_FILE, INDEX_TABLES, GraphIndex, find_index, write_index
from paperkg.graph.schema import CONCEPT, PAPER, SCHEMA_VERSION, concept_nodes, paper_nodes
from paperkg.graph.source import NxSource
from paperkg.graph.store import load_graph, save_graph
from paperkg.graph.structure import CENTRALITY, annotate_structure, central_concepts, communities, community

WORDS = ["graph", "neural", "network", "vision", "Transformer", "diffusion", "retrieval",
         "Zürich", "straße", "policy", "analysis", "ImageNet", "LLM"]


def synthetic_graph(seed: int, papers: int = 80, concepts: int = 40) -> nx.DiGraph:
    """A random graph that follows the schema, made to trip the queries: duplicate and
    case-varied titles, shared aliases, plurals, a hub concept in 30% of the papers,
    concepts nobody mentions, and its structure annotated."""
    rng = random.Random(seed)
    G = nx.DiGraph(schema=SCHEMA_VERSION, generator="paperkg test", model="synthetic",
                   ambiguous_acronyms={"LLM": ("large language model", "llm")})
    for i in range(papers):
        title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        if i % 17 == 5:
            title = f"  {title.upper()} "  # a case and space variant of some other title
        G.add_node(f"paper:p{i:03d}", kind=PAPER, label=title, title=title, abstract=f"About {title}.",
                   date="", url="", sources=(f"x.jsonl:{i}",), code_urls=())
    keys = []
    for j in range(concepts):
        key = f"{rng.choice(WORDS).lower()}-{j}"
        label = rng.choice([f"{rng.choice(WORDS)} {rng.choice(WORDS)}", rng.choice(WORDS), key])
        aliases = tuple(sorted({label, label + "s", rng.choice(WORDS)}))
        keys.append(key)
        G.add_node(f"concept:{key}", kind=CONCEPT, type=rng.choice(["METHOD", "DATASET", "TASK"]),
                   label=label, key=key, aliases=aliases, paper_count=0, type_counts={})
    merges = []
    for i in range(papers):
        chosen = set(rng.sample(keys[1:], rng.randint(0, 6)))
        if rng.random() < 0.3:
            chosen.add(keys[0])  # the hub
        for key in sorted(chosen):
            G.add_edge(f"paper:p{i:03d}", f"concept:{key}", mentions=rng.randint(1, 3),
                       evidence=f"Sentence on {key} in p{i}.", field="abstract", start=0, end=3,
                       surface=key[:3], score=round(rng.random(), 3))
            merges.append((key, rng.choice(WORDS), f"p{i:03d}", rng.choice(["exact", "plural"]), ""))
    for key in keys:
        G.nodes[f"concept:{key}"]["paper_count"] = G.in_degree(f"concept:{key}")
    G.graph["merges"] = tuple(merges)
    return annotate_structure(G)


@pytest.fixture(scope="module", params=[1, 2, 3])
def synthetic(request) -> nx.DiGraph:
    return synthetic_graph(request.param)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    """Index a graph into a fresh file; the opened indexes are closed at the end."""
    opened = []

    def index(G: nx.DiGraph) -> GraphIndex:
        path = write_index(G, tmp_path_factory.mktemp("index") / INDEX_FILE)
        opened.append(GraphIndex.open(path))
        return opened[-1]

    yield index
    for i in opened:
        i.close()


def outcome(call, *args, **kwargs):
    """What a query gives: its result, or the error's type, message and candidates."""
    try:
        return call(*args, **kwargs)
    except InputError as err:
        return type(err).__name__, str(err), getattr(err, "candidates", None)


def query_calls(G: nx.DiGraph) -> list[tuple]:
    """Query calls that cover each path: ids, titles, fragments, unknown names, aliases."""
    rng = random.Random(0)
    papers = paper_nodes(G)
    concepts = concept_nodes(G)
    titles = [G.nodes[p]["title"] for p in papers]
    labels = [G.nodes[c]["label"] for c in concepts]
    aliases = [a for c in concepts for a in G.nodes[c].get("aliases", ())]
    paper_names = (
        papers[:5] + [p.removeprefix("paper:") for p in papers[-3:]] + titles[:8]
        + [t.split()[0] for t in titles[:6]] + [t.upper() for t in titles[:3]]
        + ["", "no such paper at all", "Zurich straße", "paper:nope"]
    )
    concept_names = (
        labels[:8] + aliases[:8] + [a.upper() + "s" for a in aliases[8:12]]
        + [c.removeprefix("concept:") for c in concepts[:4]] + ["", "xyz", "graph", "Imag"]
    )
    calls = []
    for name in paper_names:
        calls += [(queries.find_paper, (name,), {}), (queries.related, (name,), {"limit": 4})]
    for p in papers[:12]:
        calls += [(queries.related, (p,), {}), (queries.related, (p,), {"limit": 1}),
                  (queries.related, (p,), {"limit": 0})]
    for name in concept_names:
        calls += [(queries.find_concepts, (name,), {}), (queries.papers_for, (name,), {}),
                  (queries.cooccurring, (name,), {"limit": 5}), (queries.explain_concept, (name,), {})]
    for _ in range(10):
        chosen = rng.sample(papers, rng.randint(1, 3))
        calls.append((queries.shared_concepts, (chosen + chosen[:1],), {}))
    calls += [(queries.shared_concepts, (titles[:2],), {"limit": 1})]
    for k in (1, 2, 3, 50):
        calls += [(queries.shared_concepts, (), {"min_papers": k}),
                  (queries.shared_concepts, (), {"min_papers": k, "limit": 2})]
    for t in (None, "method", "DATASET", "task", "bogus"):
        calls += [(queries.top_concepts, (), {"type": t}), (queries.top_concepts, (), {"type": t, "limit": 3})]
    return calls


def assert_same_answers(G: nx.DiGraph, index: GraphIndex) -> None:
    for call, args, kwargs in query_calls(G):
        expected = outcome(call, G, *args, **kwargs)
        assert outcome(call, index, *args, **kwargs) == expected, (call.__name__, args, kwargs)


def test_index_gives_the_graph_back(synthetic, indexed):
    index = indexed(synthetic)
    assert_same_graph(synthetic, index.to_networkx())


@pytest.mark.parametrize("text", ["", "\u2028\x85 \ud800 \udfff\ud800 é東京 \x00", "'; DROP TABLE kg_papers; --"])
def test_index_gives_any_string_back(text, indexed):
    G = tiny_graph(text)
    index = indexed(G)
    assert_same_graph(G, index.to_networkx())
    assert queries.find_paper(index, "p2" + text) == "paper:p2" + text
    assert outcome(queries.related, index, "p1") == outcome(queries.related, G, "p1")


def test_index_queries_answer_as_the_graph(synthetic, indexed):
    assert_same_answers(synthetic, indexed(synthetic))


def test_index_queries_answer_as_the_corpus_graph(corpus_graph, indexed):
    assert_same_answers(corpus_graph, indexed(corpus_graph))
    [item] = queries.papers_for(indexed(corpus_graph), "IMAGENETs")
    assert [e.paper for e in item.papers] == ["paper:c", "paper:d"]


@pytest.mark.slow
def test_index_queries_answer_as_the_seeds_graph(seeds_build, indexed):
    _, G = seeds_build
    index = indexed(G)
    assert_same_graph(G, index.to_networkx())
    assert_same_answers(G, index)
    assert_same_structure(G, index)


def test_index_finds_title_fragments_as_the_graph(synthetic, indexed):
    index = indexed(synthetic)
    assert index._titles
    rng = random.Random(7)
    titles = [synthetic.nodes[p]["title"].casefold() for p in paper_nodes(synthetic)]
    parts = ['"', 'a"b', "zür", "straß", "ss", "  ", "rk n", "*", "OR", "neural NOT"]
    for title in titles[:40]:
        start = rng.randrange(len(title))
        parts.append(title[start:start + rng.randint(1, 9)])
    for part in parts:
        assert index.papers_containing(part) == NxSource(synthetic).papers_containing(part), part


def test_index_subgraph_is_the_induced_subgraph(synthetic, indexed):
    index = indexed(synthetic)
    nodes = paper_nodes(synthetic)[:10] + concept_nodes(synthetic)[:10]
    H = index.to_networkx(nodes + ["paper:nope"])
    expected = synthetic.subgraph(nodes)
    assert dict(H.nodes(data=True)) == dict(expected.nodes(data=True))
    assert set(H.edges) == set(expected.edges) and "merges" not in H.graph
    around = index.to_networkx(nodes[:1], neighbours=True)
    assert set(around) == {nodes[0], *synthetic.successors(nodes[0])}


def assert_same_structure(G: nx.DiGraph, index: GraphIndex) -> None:
    assert communities(index.communities_graph()) == communities(G)
    for cid in [*range(1, len(G.graph["communities"]) + 1)][:12] + [0, 999]:
        assert outcome(community, index.community_graph(cid), cid, limit=5) == outcome(community, G, cid, limit=5)
    assert outcome(community, index.community_graph("x"), "x") == outcome(community, G, "x")
    concepts = index.concepts_graph()
    for by in CENTRALITY:
        for type in (None, "TASK"):
            assert central_concepts(concepts, by=by, type=type) == central_concepts(G, by=by, type=type)


def test_index_structure_listings_answer_as_the_graph(synthetic, indexed):
    assert_same_structure(synthetic, indexed(synthetic))


def test_index_of_a_graph_without_structure_reads_it_whole(corpus_graph, indexed):
    G = corpus_graph.copy()
    del G.graph["communities"], G.graph["structure"]
    index = indexed(G)
    assert index.communities_graph().number_of_nodes() == G.number_of_nodes()
    assert communities(index.communities_graph()) == communities(G)


def test_index_keeps_other_tables_and_replaces_its_own(tmp_path, corpus_graph):
    path = tmp_path / INDEX_FILE
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE extractions (paper TEXT, mentions TEXT)")
        db.execute("INSERT INTO extractions VALUES ('a', '[]')")
    db.close()
    write_index(tiny_graph(), path)
    write_index(corpus_graph, path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT * FROM extractions").fetchall() == [("a", "[]")]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    assert {t for t in tables if not t.startswith("kg_titles_")} == {"extractions", *INDEX_TABLES}
    with GraphIndex.open(tmp_path) as index:
        assert_same_graph(corpus_graph, index.to_networkx())


def test_index_content_is_deterministic(tmp_path, synthetic):
    dumps = []
    for name in ("a", "b"):
        H = load_graph(save_graph(synthetic, tmp_path / f"{name}.json"))  # another insertion history
        with sqlite3.connect(write_index(H if name == "b" else synthetic, tmp_path / f"{name}.sqlite")) as db:
            dumps.append(list(db.iterdump()))
        db.close()
    assert dumps[0] == dumps[1]


def test_index_refuses_a_node_of_no_kind(tmp_path):
    G = tiny_graph()
    G.add_node("other:x", kind="author")
    with pytest.raises(ValueError, match="neither a paper nor a concept"):
        write_index(G, tmp_path / INDEX_FILE)


def plans(index: GraphIndex, call, *args) -> list[str]:
    """The query plan of every statement ``call`` runs on ``index``."""
    statements: list[str] = []
    index._conn.set_trace_callback(statements.append)
    try:
        call(index, *args)
    finally:
        index._conn.set_trace_callback(None)
    return [row[3] for sql in statements for row in index._conn.execute("EXPLAIN QUERY PLAN " + sql)]


def test_index_common_queries_read_no_table_through(synthetic, indexed):
    index = indexed(synthetic)
    paper = paper_nodes(synthetic)[7]
    title = synthetic.nodes[paper]["title"]
    concept = concept_nodes(synthetic)[0]  # the hub
    alias = synthetic.nodes[concept]["aliases"][0]
    other = sorted(synthetic.predecessors(concept))[-1]
    for call, args in [(queries.related, (paper,)), (queries.related, (title,)),
                       (queries.shared_concepts, ([paper, other],)), (queries.papers_for, (alias,)),
                       (queries.papers_for, (concept.removeprefix("concept:"),)),
                       (queries.top_concepts, ()), (queries.find_paper, (title.upper(),))]:
        steps = plans(index, call, *args)
        assert steps and not [s for s in steps if s.startswith("SCAN")], (call.__name__, steps)


def test_find_index_prefers_the_index_of_a_build_folder(tmp_path):
    assert find_index(tmp_path) is None
    assert find_index(tmp_path / "graph.json") is None
    write_index(tiny_graph(), tmp_path / INDEX_FILE)
    assert find_index(tmp_path) == tmp_path / INDEX_FILE
    assert find_index(tmp_path / "graph.json") is None


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "zeros", "other"])
def test_index_damaged_is_one_input_error(tmp_path, synthetic, damage):
    path = write_index(synthetic, tmp_path / INDEX_FILE)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"not a database at all\n" * 100)
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "zeros":
        path.write_bytes(data[:8192] + bytes(len(data) - 8192))
    else:
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE extractions (x)")
        db.close()
    with pytest.raises(InputError, match="rebuild it with `paperkg build`") as err:
        with GraphIndex.open(path) as index:
            index.to_networkx()
            queries.related(index, paper_nodes(synthetic)[0])
    assert "\n" not in str(err.value)


def test_index_missing_is_one_input_error(tmp_path):
    with pytest.raises(InputError, match="run `paperkg build` first"):
        GraphIndex.open(tmp_path)


def test_index_records_are_the_query_records(corpus_graph, indexed):
    index = indexed(corpus_graph)
    [shared] = queries.shared_concepts(index, ["a", "b"])["DATASET"]
    assert dataclasses.asdict(shared)["papers"][0] == {
        "paper": "paper:a", "title": "BERT for Question Answering",
        "evidence": "We fine-tune BERT on SQuAD.", "mentions": 1}


class CountingSource(NxSource):
    """A networkx source that counts the concepts whose papers are listed."""

    listed = 0

    def papers_of(self, concept, *, first=None):
        self.listed += first is None
        return super().papers_of(concept, first=first)


@pytest.mark.parametrize("budget", [0, 1, 5, 40])
@pytest.mark.parametrize("seed", [4, 5])
def test_related_stops_listing_early_and_gives_the_full_ranking(indexed, monkeypatch, budget, seed):
    G = synthetic_graph(seed, papers=400, concepts=60)
    index = indexed(G)
    papers = paper_nodes(G)[::7]
    monkeypatch.setattr(queries, "RELATED_BUDGET", 10**9)  # every concept listed: the full ranking
    full = {(p, k): queries.related(G, p, limit=k) for p in papers for k in (1, 3, 10)}
    monkeypatch.setattr(queries, "RELATED_BUDGET", budget)
    early = 0
    for (p, k), expected in full.items():
        counting = CountingSource(G)
        assert queries.related(counting, p, limit=k) == expected
        assert queries.related(index, p, limit=k) == expected
        early += counting.listed < sum(1 for c in G.successors(p) if G.in_degree(c) > 1)
    assert early  # some answers came before every concept was listed


def related_before_the_index(G, paper, limit=10):
    """:func:`queries.related` as it was before the index (every concept's papers listed): the oracle."""
    import math

    node = queries.find_paper(G, paper)
    shared = {}
    for concept in sorted(G.successors(node)):
        for other in G.predecessors(concept):
            if other != node:
                shared.setdefault(other, []).append(concept)
    weight = {c: 1.0 / math.log(G.in_degree(c)) for c in G.successors(node) if G.in_degree(c) > 1}
    scored = sorted((-round(sum(weight[c] for c in cs), 4), other) for other, cs in shared.items())
    return [
        queries.Related(other, G.nodes[other]["title"], -neg + 0.0,
                        sorted((G.nodes[c]["label"] for c in shared[other]), key=str.casefold))
        for neg, other in scored[:limit]
    ]


def shared_before_the_index(G, min_papers):
    """:func:`queries.shared_concepts` without papers as it was before the index: the oracle."""
    items = [queries._shared(NxSource(G), c, NxSource(G).concepts([c])[c], None)
             for c in concept_nodes(G) if G.in_degree(c) >= min_papers]
    items.sort(key=lambda s: (-len(s.papers), s.label.lower(), s.concept))
    return {t: [i for i in items if i.type == t] for t in ("METHOD", "DATASET", "TASK")}


@pytest.mark.parametrize("budget", [0, 3, 250, 10**9])
def test_queries_answer_as_before_the_index(indexed, monkeypatch, budget):
    G = synthetic_graph(6, papers=300, concepts=50)
    index = indexed(G)
    monkeypatch.setattr(queries, "RELATED_BUDGET", budget)
    for p in paper_nodes(G)[::5]:
        for k in (1, 2, 10):
            expected = related_before_the_index(G, p, k)
            assert queries.related(G, p, limit=k) == expected
            assert queries.related(index, p, limit=k) == expected
    for k in (1, 2, 5):
        assert queries.shared_concepts(index, min_papers=k) == shared_before_the_index(G, k)
