"""Reading is safe: XML entities are never expanded or fetched, and no reader opens a socket."""

from __future__ import annotations

import gzip
import socket
import time
import tracemalloc
from pathlib import Path

import pytest

from paperkg.errors import InputError
from paperkg.extract.read.readers import read_papers

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def no_network(monkeypatch):
    """Every way to open a connection raises, so a reader that tried would fail loudly."""

    class Refused(AssertionError):
        pass

    def refuse(*args, **kwargs):
        raise Refused("a reader tried to open a socket")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return Refused


@pytest.mark.parametrize("name", ["xxe.xml", "billion_laughs.xml"])
def test_readers_safety_entities_are_refused_without_expanding(name, no_network):
    tracemalloc.start()
    began = time.perf_counter()
    with pytest.raises(InputError) as err:
        read_papers([FIXTURES / name])
    elapsed = time.perf_counter() - began
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(FIXTURES / name))
    assert "refers to external resources is refused" in message and "nothing was expanded or fetched" in message
    assert "root:" not in message and "lol" not in message  # nothing of /etc/passwd, no laughs
    assert peak < 20_000_000 and elapsed < 5  # 10^9 "lol"s would be gigabytes


def test_readers_safety_gzipped_bomb_is_refused_too(tmp_path, no_network):
    path = tmp_path / "laughs.xml.gz"
    path.write_bytes(gzip.compress((FIXTURES / "billion_laughs.xml").read_bytes()))
    with pytest.raises(InputError, match="nothing was expanded or fetched"):
        read_papers([path])


def test_readers_safety_external_dtd_is_not_fetched(tmp_path, no_network):
    path = tmp_path / "dtd.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">\n'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/2101.00001v1</id>'
        "<title>A title</title><summary>An abstract.</summary></entry></feed>\n",
        encoding="utf-8",
    )
    (paper,) = read_papers([path])  # expat does not load external DTDs; nothing is fetched
    assert (paper.id, paper.title) == ("arxiv:2101.00001", "A title")


def test_readers_safety_undeclared_entity_is_not_well_formed(tmp_path):
    path = tmp_path / "u.xml"
    path.write_text('<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>&nope;</title></entry></feed>\n')
    with pytest.raises(InputError, match=r"u.xml:2: not well-formed XML \(undefined entity"):
        read_papers([path])


def test_readers_safety_no_reader_opens_a_socket(no_network):
    """Every fixture of every format reads with the network gone."""
    good = [p for p in sorted(FIXTURES.rglob("*")) if p.is_file() and p.suffix != ".txt"
            and p.name not in {"xxe.xml", "billion_laughs.xml"}]
    assert len(good) >= 14
    for path in good:
        assert read_papers([path]), path
