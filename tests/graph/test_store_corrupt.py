"""A damaged graph.json never loads and never crashes: each variant is one InputError line.

The variants are generated from a small valid saved graph, in families: truncations (at
each line boundary and mid-line), deleted, duplicated and swapped lines, every field given
a value of the wrong type or removed, wrong headers, broken footers, records that break
the schema (edges to missing nodes, nodes of unknown kind, ...), and files that are not a
graph at all (empty, binary junk, other encodings, an old layout). Most families come twice:
as damaged, and "sealed" — with the footer's counts and checksum recomputed, as a buggy
writer would leave them — so the schema checks, not only the checksum, must catch them.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from paperkg.errors import InputError
from paperkg.graph.store import load_graph, save_graph

from graph_samples import tiny_graph

Variant = tuple[str, bytes]  # (name, file content)


def valid_lines(folder: Path) -> list[str]:
    """Return the lines (without "\\n") of a saved graph holding only schema attributes."""
    G = tiny_graph()
    del G.graph["extra"], G.nodes["paper:p1"]["note"]
    text = save_graph(G, folder / "valid.json").read_text("utf-8")
    return text.split("\n")[:-1]


def dumps(record: Any) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def join(lines: list[str]) -> bytes:
    return "".join(line + "\n" for line in lines).encode("utf-8")


def seal(body: list[str]) -> bytes:
    """Return ``body`` plus a footer that matches it: counts of its records and checksum."""
    counts = {"nodes": 0, "edges": 0}
    for line in body:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and ("node" in record or "edge" in record):
            counts["nodes" if "node" in record else "edges"] += 1
    data = join(body)
    footer = {"end": {**counts, "sha256": hashlib.sha256(data).hexdigest()}}
    return data + (dumps(footer) + "\n").encode()


# --- wrong values, by the type of the value they replace ---------------------------------

def wrong_values(value: Any) -> list[Any]:
    """Values of a type the schema never accepts where ``value`` stands."""
    if isinstance(value, bool):
        return [None, "true", 1, []]
    if isinstance(value, int):
        return [None, str(value), 1.5, True, -1, [], {}]
    if isinstance(value, float):
        return [None, str(value), True, [], {}]
    if isinstance(value, str):
        return [None, 1, 1.5, True, [value], {}]
    if isinstance(value, list):
        return [None, "x", 1, {}, [1], [None]]
    if isinstance(value, dict):
        return [None, "x", 1, [], {"k": None}]
    raise AssertionError(value)


def paths(value: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path to a value inside ``value`` (dict keys and list indexes), outermost first."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        yield prefix + (key,)
        yield from paths(inner, prefix + (key,))


def replaced(record: Any, path: tuple, new: Any) -> Any:
    record = json.loads(json.dumps(record))
    *head, last = path
    target = record
    for key in head:
        target = target[key]
    target[last] = new
    return record


def removed(record: Any, path: tuple) -> Any:
    record = json.loads(json.dumps(record))
    *head, last = path
    target = record
    for key in head:
        target = target[key]
    del target[last]
    return record


def get(record: Any, path: tuple) -> Any:
    for key in path:
        record = record[key]
    return record


# --- the families: each yields (name, body lines without footer) or (name, bytes) ----------

def body_families(lines: list[str]) -> dict[str, Callable[[], Iterator[tuple[str, list[str]]]]]:
    """Families that damage the header and records; each is tried damaged and sealed."""
    body = lines[:-1]
    records = [json.loads(line) for line in body]
    nodes = [i for i, r in enumerate(records) if "node" in r]
    edges = [i for i, r in enumerate(records) if "edge" in r]

    def with_record(i: int, record: Any) -> list[str]:
        return body[:i] + [dumps(record)] + body[i + 1:]

    def flip_field():
        for i, record in enumerate(records):
            for path in paths(record):
                for new in wrong_values(get(record, path)):
                    yield f"line{i + 1}:{'.'.join(map(str, path))}={new!r}", with_record(
                        i, replaced(record, path, new))

    def drop_field():
        for i, record in enumerate(records):
            for path in paths(record):
                # every key of a record, of its attrs and of the graph attributes is required
                if len(path) == 1 or (len(path) == 2 and path[0] in ("attrs", "graph")):
                    yield f"line{i + 1}:-{'.'.join(map(str, path))}", with_record(
                        i, removed(record, path))

    def extra_key():
        for i, record in enumerate(records):
            yield f"line{i + 1}:+extra", with_record(i, {**record, "extra": 1})

    def duplicate_line():
        for i in range(len(body)):
            yield f"line{i + 1}", body[: i + 1] + [body[i]] + body[i + 1:]

    def header():
        h = records[0]
        for name, new in [
            ("format-other", {**h, "format": "networkx"}), ("no-format", removed(h, ("format",))),
            ("version-1", {**h, "version": 1}), ("version-3", {**h, "version": 3}),
            ("version-str", {**h, "version": "2"}), ("version-true", {**h, "version": True}),
            ("no-version", removed(h, ("version",))),
            ("schema-0", replaced(h, ("graph", "schema"), 0)),
            ("schema-2", replaced(h, ("graph", "schema"), 2)),
            ("schema-str", replaced(h, ("graph", "schema"), "1")),
            ("schema-true", replaced(h, ("graph", "schema"), True)),
            ("no-schema", removed(h, ("graph", "schema"))),
            ("list", [h]), ("string", "paperkg-graph"), ("number", 2), ("null", None),
            ("node-record", records[nodes[0]]),
        ]:
            yield name, [dumps(new)] + body[1:]
        yield "not-json", ["{format: paperkg-graph}"] + body[1:]
        yield "blank", [""] + body[1:]
        yield "missing", body[1:]

    def semantic():
        e, n = edges[0], nodes[0]
        edge, node = records[e], records[n]
        u, v = edge["edge"]
        paper = next(records[i]["node"] for i in nodes if records[i]["attrs"]["kind"] == "paper")
        concept = next(records[i]["node"] for i in nodes if records[i]["attrs"]["kind"] == "concept")
        for name, new in [
            ("edge-to-missing-node", {**edge, "edge": [u, "concept:nope"]}),
            ("edge-from-missing-node", {**edge, "edge": ["paper:nope", v]}),
            ("edge-reversed", {**edge, "edge": [v, u]}),
            ("edge-paper-to-paper", {**edge, "edge": [u, paper if paper != u else "paper:p2"]}),
            ("edge-concept-to-concept", {**edge, "edge": [concept, v]}),
            ("edge-self-loop", {**edge, "edge": [u, u]}),
            ("edge-one-end", {**edge, "edge": [u]}),
            ("edge-three-ends", {**edge, "edge": [u, v, v]}),
            ("edge-as-object", {**edge, "edge": {"source": u, "target": v}}),
            ("edge-start-after-end", replaced(edge, ("attrs", "start"), 99)),
            ("edge-no-mentions", replaced(edge, ("attrs", "mentions"), 0)),
            ("edge-field-body", replaced(edge, ("attrs", "field"), "body")),
            ("edge-score-nan", replaced(edge, ("attrs", "score"), float("nan"))),
            ("node-unknown-kind", replaced(node, ("attrs", "kind"), "topic")),
            ("node-kind-upper", replaced(node, ("attrs", "kind"), node["attrs"]["kind"].upper())),
            ("node-id-without-prefix", {**node, "node": node["node"].split(":", 1)[1]}),
            ("node-id-other-prefix", {**node, "node": "author:" + node["node"]}),
            ("node-as-object", {**node, "node": {"id": node["node"]}}),
            ("record-unknown-kind", {"author": "x", "attrs": {}}),
            ("record-empty", {}),
            ("record-list", [node]),
            ("record-null", None),
            ("record-footer-early", {"end": {"nodes": 0, "edges": 0, "sha256": ""}}),
        ]:
            yield name, with_record(e if name.startswith("edge") else n, new)
        for i in nodes:
            a = records[i]["attrs"]
            if a["kind"] == "concept":
                yield f"concept-key-mismatch-line{i + 1}", with_record(
                    i, replaced(records[i], ("attrs", "key"), a["key"] + "x"))
                for t in ["MODEL", "method", ""]:
                    yield f"concept-type-{t or 'empty'}-line{i + 1}", with_record(
                        i, replaced(records[i], ("attrs", "type"), t))
        yield "node-after-edges", [b for i, b in enumerate(body) if i != n] + [body[n]]
        yield "node-twice-apart", body + [body[n]]
        yield "edge-twice-apart", body + [body[e]]
        yield "header-twice", body + [body[0]]

    return {"flip-field": flip_field, "drop-field": drop_field, "extra-key": extra_key,
            "duplicate-line": duplicate_line, "header": header, "semantic": semantic}


def byte_families(lines: list[str]) -> dict[str, Callable[[], Iterator[Variant]]]:
    """Families that damage the bytes, the footer or the line structure: tried as damaged."""
    data = join(lines)
    offsets = [m.end() for m in re.finditer(b"\n", data)]  # the end of each line
    starts = [0] + offsets[:-1]
    body = lines[:-1]
    footer = json.loads(lines[-1])

    def truncate_at_line():
        for k, end in enumerate([0] + offsets[:-1]):
            yield f"after-{k}-lines", data[:end]

    def truncate_mid_line():
        for i, (start, end) in enumerate(zip(starts, offsets)):
            for cut in sorted({start + 1, (start + end) // 2, end - 2, end - 1}):
                yield f"line{i + 1}-at-{cut - start}", data[:cut]

    def delete_line():
        for i in range(len(lines)):
            yield f"line{i + 1}", join(lines[:i] + lines[i + 1:])

    def swap_lines():
        for i in range(len(lines) - 1):
            yield f"lines{i + 1}-{i + 2}", join(lines[:i] + [lines[i + 1], lines[i]] + lines[i + 2:])

    def damaged_footer():
        end = footer["end"]
        for name, new in [
            ("nodes+1", {"end": {**end, "nodes": end["nodes"] + 1}}),
            ("edges-1", {"end": {**end, "edges": end["edges"] - 1}}),
            ("sha-flipped", {"end": {**end, "sha256": end["sha256"][::-1]}}),
            ("sha-of-nothing", {"end": {**end, "sha256": hashlib.sha256(b"").hexdigest()}}),
            ("no-sha", {"end": {k: v for k, v in end.items() if k != "sha256"}}),
            ("extra-key", {"end": {**end, "x": 1}}),
            ("list", {"end": list(end.values())}),
            ("null", {"end": None}), ("string", {"end": "x"}),
            ("nodes-str", {"end": {**end, "nodes": str(end["nodes"])}}),
            ("nodes-null", {"end": {**end, "nodes": None}}),
            ("sha-null", {"end": {**end, "sha256": None}}),
            ("footer-and-more", {**footer, "node": "paper:x"}),
        ]:
            yield name, join(body + [dumps(new)])
        yield "twice", join(lines + [lines[-1]])
        yield "trailing-record", join(lines + [body[-1]])
        yield "not-json", join(body + ["{end}"])

    def not_a_graph():
        rng = random.Random(9)
        yield "empty", b""
        yield "newline", b"\n"
        yield "newlines", b"\n\n\n"
        yield "nul-bytes", b"\x00" * 64
        for k in range(4):
            yield f"random-{k}", bytes(rng.randrange(256) for _ in range(300))
        yield "random-text", "".join(chr(rng.randrange(32, 0x3000)) for _ in range(300)).encode()
        yield "gzip", gzip.compress(data, mtime=0)
        yield "utf-16", data.decode("utf-8").encode("utf-16")
        yield "utf-8-bom", codecs.BOM_UTF8 + data
        yield "latin-1-byte", data.replace(b"BERT for QA", b"BERT f\xf6r QA", 1)
        yield "lone-continuation-byte", data[:40] + b"\x80" + data[40:]
        yield "crlf", data.replace(b"\n", b"\r\n")
        yield "leading-blank-line", b"\n" + data
        yield "trailing-blank-line", data + b"\n"
        yield "blank-line-inside", data.replace(b"\n", b"\n\n", 2)
        yield "twice", data + data
        yield "json-array", ("[" + ",".join(lines) + "]\n").encode()
        yield "pretty-printed", (json.dumps([json.loads(x) for x in lines], indent=1) + "\n").encode()
        yield "deeply-nested", b"[" * 100000 + b"]" * 100000 + b"\n"
        yield "huge-integer", join([lines[0]] + ['{"node": ' + "9" * 5000 + "}"] + lines[1:])
        yield "old-layout", (
            '{"format": "paperkg-graph", "graph": {"schema": 1}}\n'
            '{"node": {"id": "paper:p1", "kind": "paper"}}\n'
            '{"edge": {"source": "paper:p1", "target": "concept:x"}}\n').encode()
        yield "html", b"<!doctype html><html><body>graph</body></html>\n"

    return {"truncate-at-line": truncate_at_line, "truncate-mid-line": truncate_mid_line,
            "delete-line": delete_line, "swap-lines": swap_lines,
            "damaged-footer": damaged_footer, "not-a-graph": not_a_graph}


def variants(folder: Path) -> dict[str, list[Variant]]:
    """Every damaged variant of the small valid graph, by family."""
    lines = valid_lines(folder)
    footer = lines[-1]
    out: dict[str, list[Variant]] = {}
    for family, make in body_families(lines).items():
        made = list(make())
        out[family] = [(name, join(body + [footer])) for name, body in made]
        out[family + "/sealed"] = [(name, seal(body)) for name, body in made]
    for family, make in byte_families(lines).items():
        out[family] = list(make())
    return out


def outcome(path: Path, content: bytes) -> str:
    """Load ``content`` from ``path``: "error" (a proper one-line InputError), or what went wrong."""
    path.write_bytes(content)
    try:
        load_graph(path)
    except InputError as err:
        message = str(err)
        if len(message.splitlines()) != 1 or not re.match(re.escape(str(path)) + r":\d+: \S", message):
            return f"bad message: {message!r}"
        return "error"
    except Exception as err:  # noqa: BLE001 - the point is to catch every other kind
        return f"crash: {type(err).__name__}: {err}"
    return "silent load"


_BODY = ["flip-field", "drop-field", "extra-key", "duplicate-line", "header", "semantic"]
FAMILIES = sorted(_BODY + [f + "/sealed" for f in _BODY] + [
    "truncate-at-line", "truncate-mid-line", "delete-line", "swap-lines", "damaged-footer",
    "not-a-graph"])


@pytest.mark.parametrize("family", FAMILIES)
def test_store_corrupt_variant_is_one_input_error(tmp_path, family):
    found = variants(tmp_path)[family]
    path = tmp_path / "graph.json"
    wrong = {name: result for name, content in found
             if (result := outcome(path, content)) != "error"}
    assert found and wrong == {}


def test_store_corrupt_valid_file_loads(tmp_path):
    # The base of every variant is itself valid, so each error comes from the damage.
    path = tmp_path / "graph.json"
    assert outcome(path, join(valid_lines(tmp_path))) == "silent load"


def test_store_corrupt_variants_are_many_and_distinct(tmp_path):
    made = variants(tmp_path)
    assert sorted(made) == FAMILIES
    found = [content for family in made.values() for _, content in family]
    assert len(found) > 500
    valid = join(valid_lines(tmp_path))
    assert valid not in found


def test_store_corrupt_error_names_the_line(tmp_path):
    lines = valid_lines(tmp_path)
    records = [json.loads(x) for x in lines]
    edge = next(i for i, r in enumerate(records) if "edge" in r)
    body = lines[:-1]
    body[edge] = dumps({**records[edge], "edge": [records[edge]["edge"][0], "concept:nope"]})
    path = tmp_path / "graph.json"
    path.write_bytes(seal(body))
    with pytest.raises(InputError) as err:
        load_graph(path)
    assert str(err.value) == (f"{path}:{edge + 1}: edge 'paper:p1' → 'concept:nope': "
                              "target is not a node")


def test_store_corrupt_graph_gives_cli_error_line(tmp_path, capsys):
    from paperkg.cli import main

    lines = valid_lines(tmp_path)
    (tmp_path / "graph.json").write_bytes(join(lines[:-2]))  # cut at a line boundary
    with pytest.raises(SystemExit) as exit:
        main(["top", "-g", str(tmp_path)])
    err = capsys.readouterr().err
    assert exit.value.code == 1
    assert err.startswith("error: ") and err.count("\n") == 1 and "truncated" in err
