"""The export registry: names and suffixes, unknown formats, atomic writes."""

from __future__ import annotations

import pytest

from paperkg.exports import FORMATS, export, get_format
from paperkg.errors import InputError


@pytest.mark.parametrize(
    "name, expected",
    [
        ("turtle", "turtle"),
        ("TURTLE", "turtle"),
        ("out/x.ttl", "turtle"),
        ("x.nt", "ntriples"),
        ("x.jsonld", "jsonld"),
        ("x.rdf", "rdfxml"),
        ("x.graphml", "graphml"),
        ("x.cooccurrence.graphml", "cooccurrence-graphml"),
    ],
)
def test_registry_finds_format_by_name_or_suffix(name, expected):
    assert get_format(name).name == expected


def test_registry_unknown_format_lists_known_ones():
    with pytest.raises(InputError) as err:
        get_format("x.docx")
    assert "turtle" in str(err.value) and "graphml" in str(err.value)


def test_registry_failed_export_leaves_no_file(corpus_graph, tmp_path, monkeypatch):
    import paperkg.exports.rdf

    def broken(G, path):
        path.write_text("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(paperkg.exports.rdf, "write_turtle", broken)
    with pytest.raises(RuntimeError):
        export(corpus_graph, tmp_path / "g.ttl")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_registry_every_format_is_deterministic(corpus_graph, tmp_path, name):
    fmt = FORMATS[name]
    one = export(corpus_graph, tmp_path / f"one{fmt.suffixes[0]}", format=name)
    two = export(corpus_graph, tmp_path / f"two{fmt.suffixes[0]}", format=name)
    if fmt.folder:
        files = sorted(p.name for p in one.iterdir())
        assert files == sorted(p.name for p in two.iterdir())
        assert all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    else:
        assert one.read_bytes() == two.read_bytes()
