"""The readers on hostile input: each finding of the reader fuzz, as a scripted case.

Every bad input is a one-line :class:`InputError` that names the file (and line); every
odd-but-valid input reads into papers whose texts are safe to write as UTF-8.
"""

from __future__ import annotations

import codecs
import doctest
import errno
import importlib
import json
import os
import signal
import sys
from pathlib import Path

import pytest

from paperkg.errors import InputError
from paperkg.extract.read import text as text_module
from paperkg.extract.read.readers import MAX_TEXT_CHARS, read_inputs, read_jsonl, read_papers

HEADER = "new\n\nSubscribe\n\nMar 14\n\n"
ABSTRACT = "We propose a method for testing readers on hostile input files. " * 3


def jsonl(*records: object) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def make(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def one_line_error(paths: list, *, contains: str, names: str) -> str:
    with pytest.raises(InputError) as err:
        read_papers(paths)
    message = str(err.value)
    assert "\n" not in message and "\r" not in message
    assert contains in message, message
    assert names in message, message
    return message


@pytest.fixture
def alarm():
    """Fail instead of hanging: a test that blocks on a FIFO or a device is stopped after 20 s."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(*_):
        raise TimeoutError("the reader blocked")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


LONG = "x" * (MAX_TEXT_CHARS + 1)

# (id, file name, bytes, expected text in the message, expected file:line in the message)
BAD_FILES = [
    ("title-over-limit-jsonl", "r.jsonl", jsonl({"title": LONG}), "the title is 100,001 characters long", "r.jsonl:1"),
    ("abstract-over-spacy-limit", "r.jsonl", jsonl({"title": "T"}, {"title": "U", "abstract": "a " * 500_001}), "the abstract is 1,000,001 characters", "r.jsonl:2"),
    ("abstract-over-limit-csv", "r.csv", f"title,abstract\nT,{LONG}\n".encode(), "the abstract is 100,001", "r.csv:2"),
    ("paragraph-over-limit-page", "p.txt", (HEADER + "Title\n\n" + "word " * 30_000 + "\n").encode(), "the abstract is 149,999", "p.txt:7"),
    ("id-over-limit", "r.jsonl", jsonl({"title": "T", "id": LONG}), "the id is 100,001", "r.jsonl:1"),
    ("json-nested-100k-deep", "r.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "JSON nested too deeply", "r.jsonl:1"),
    ("json-field-nested-deep", "r.jsonl", b'{"title": "T"}\n{"title": ' + b"[" * 100_000 + b"\n", "JSON nested too deeply", "r.jsonl:2"),
    ("csv-field-over-131072", "r.csv", b"title,abstract\nT,\"" + b"y" * 140_000 + b"\"\n", "a CSV field is longer than 131,072", "r.csv:2"),
    ("csv-unused-field-over-131072", "r.csv", b"title,notes\nT," + b"y" * 140_000 + b"\n", "a CSV field is longer", "r.csv:2"),
    ("utf16-without-bom", "p.txt", (HEADER + "Title\n\n" + ABSTRACT).encode("utf-16-le"), "looks like UTF-16-LE text without a byte-order mark", "p.txt"),
    ("utf32-without-bom", "r.jsonl", jsonl({"title": "T"}).decode().encode("utf-32-be"), "looks like UTF-32-BE text", "r.jsonl"),
    ("utf16-bom-broken", "r.jsonl", codecs.BOM_UTF16_LE + b'{\x00"\x00' + b"\x00\xd8", "not UTF-16 text", "r.jsonl"),
    ("binary", "b.txt", b"\x00\x01\x02\x03\xff\xfe\xfd binary", "binary", "b.txt"),
    ("nul-after-8k", "r.jsonl", jsonl({"title": "T" * 9000}) + b"\x00\n", "binary", "r.jsonl"),
    ("latin-1", "l.txt", (HEADER + "Caf\xe9\n\n" + ABSTRACT).encode("latin-1"), "not UTF-8 text (byte 0xe9", "l.txt"),
    ("utf8-encoded-surrogate", "r.jsonl", b'{"title": "\xed\xa0\x80"}\n', "not UTF-8 text", "r.jsonl"),
    ("no-title-in-any-record", "r.jsonl", jsonl({"abstract": "only"}, {"title": ""}), "record has no 'title'", "r.jsonl:1"),
    ("blank-title-jsonl", "r.jsonl", jsonl({"title": " \u2028\u0085 ", "abstract": "x"}), "record has no 'title'", "r.jsonl:1"),
    ("no-title-csv", "r.csv", b"title,abstract\n,abstract only\n", "record has no 'title'", "r.csv:2"),
    ("title-is-bool", "r.jsonl", jsonl({"title": True}), "field 'title' must be text, not bool", "r.jsonl:1"),
    ("title-is-nan", "r.jsonl", b'{"title": NaN}\n', "field 'title' must be text, not float", "r.jsonl:1"),
    ("title-is-object", "r.jsonl", jsonl({"title": {"a": 1}}), "must be text, not dict", "r.jsonl:1"),
    ("not-an-object", "r.jsonl", b"\"just a string\"\n", "expected a JSON object", "r.jsonl:1"),
    ("bom-mid-file", "r.jsonl", jsonl({"title": "T"}) + "\ufeff".encode() + jsonl({"title": "U"}), "not valid JSON", "r.jsonl:2"),
    ("csv-header-title-twice", "r.csv", b"title,Title\nA,B\n", "names the column 'title' twice", "r.csv:1"),
    ("csv-no-title-column", "r.csv", b"name,abstract\nx,y\n", "no 'title' column", "r.csv:1"),
    ("empty", "e.txt", b"", "the file is empty", "e.txt"),
    ("whitespace-only-utf16", "e.txt", " \n \n".encode("utf-16"), "the file is empty", "e.txt"),
    ("page-without-records", "p.txt", HEADER.encode(), "no paper records found", "p.txt"),
    ("unknown-suffix", "notes.pdf", b"%PDF-1.7", "unknown input format '.pdf'", "notes.pdf"),
]


@pytest.mark.parametrize("name, data, contains, names", [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_readers_inputs_bad_file_is_one_line_error(tmp_path, name, data, contains, names):
    one_line_error([make(tmp_path, name, data)], contains=contains, names=names)


def test_readers_inputs_integer_over_4300_digits_is_text(tmp_path):
    digits = "9" * 5000
    path = make(tmp_path, "r.jsonl", f'{{"id": {digits}, "title": "T", "n": -{digits}}}\n'.encode())
    (paper,) = read_papers([path])
    assert paper.id == digits


@pytest.mark.parametrize(
    "escape, expected",
    [
        pytest.param(r"\ud800", "\ufffd", id="lone-high"),
        pytest.param(r"\udfff", "\ufffd", id="lone-low"),
        pytest.param(r"\udc00\ud800", "\ufffd\ufffd", id="reversed-pair"),
        pytest.param(r"\ud83d\ude00", "\U0001f600", id="valid-pair"),
        pytest.param(r"\u2028\u2029\u0085", "\u2028\u2029\u0085", id="line-separators-kept"),
    ],
)
def test_readers_inputs_surrogate_escapes_become_replacement_characters(tmp_path, escape, expected):
    line = f'{{"id": "i{escape}j", "title": "T{escape}x", "abstract": "A{escape}.", "date": "d{escape}d", "url": "u{escape}v"}}\n'
    (paper,) = read_papers([make(tmp_path, "r.jsonl", line.encode())])
    assert (paper.id, paper.title, paper.abstract) == (f"i{expected}j", f"T{expected}x", f"A{expected}.")
    assert (paper.date, paper.url) == (f"d{expected}d", f"u{expected}v")
    for text in (paper.id, paper.title, paper.abstract, paper.date, paper.url):
        text.encode("utf-8")  # never a lone surrogate


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), id="utf-8-bom"),
        pytest.param(lambda t: t.encode("utf-16"), id="utf-16-native-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(lambda t: codecs.BOM_UTF32_LE + t.encode("utf-32-le"), id="utf-32-le-bom"),
        pytest.param(lambda t: codecs.BOM_UTF32_BE + t.encode("utf-32-be"), id="utf-32-be-bom"),
    ],
)
@pytest.mark.parametrize("suffix", [".txt", ".jsonl", ".csv"])
def test_readers_inputs_utf16_and_utf32_with_bom_read_like_utf8(tmp_path, encode, suffix):
    title, abstract = "Tïtle — 日本語 \U0001f600", ABSTRACT.strip()
    text = {
        ".txt": HEADER + f"{title}\r\n\r\n{abstract}\r\n",
        ".jsonl": json.dumps({"title": title, "abstract": abstract}, ensure_ascii=False) + "\r\n",
        ".csv": f"title,abstract\r\n{title},{abstract}\r\n",
    }[suffix]
    plain = read_papers([make(tmp_path / "plain", "in" + suffix, text.encode("utf-8"))])
    encoded = read_papers([make(tmp_path / "enc", "in" + suffix, encode(text))])
    assert encoded == plain
    assert [(p.title, p.abstract) for p in encoded] == [(title, abstract)]


def test_readers_inputs_line_separators_inside_json_do_not_split_records(tmp_path):
    record = {"title": "A\u2028B\u2029C\u0085D\x0cE", "abstract": "x\u2028y"}
    path = make(tmp_path, "r.jsonl", json.dumps(record, ensure_ascii=False).encode() + b"\r\n")
    (paper,) = read_papers([path])
    assert (paper.title, paper.abstract) == (record["title"], record["abstract"])


def test_readers_inputs_record_at_the_limit_is_kept(tmp_path):
    path = make(tmp_path, "r.jsonl", jsonl({"title": "T", "abstract": "y" * MAX_TEXT_CHARS}))
    assert len(read_papers([path])[0].abstract) == MAX_TEXT_CHARS


def test_readers_inputs_record_without_title_is_skipped_by_its_first_line(tmp_path, caplog):
    path = make(tmp_path, "r.csv", b'title,abstract\nA,"two\nlines"\n\n,,\nB,x\n,missing title\n')
    reading = read_inputs([path])
    assert [p.title for p in reading.papers] == ["A", "B"] or sorted(p.title for p in reading.papers) == ["A", "B"]
    assert reading.skipped == (f"{path}:7",)
    assert [r.getMessage() for r in caplog.records] == [f"{path}:7: record has no 'title'; skipped"]


# --- the same file name in two folders, duplicate ids ----------------------------------------


def two_folders(tmp_path: Path, a: dict, b: dict) -> list[Path]:
    return [make(tmp_path, "dA/papers.jsonl", jsonl(a)), make(tmp_path, "dB/papers.jsonl", jsonl(b))]


def test_readers_inputs_same_id_different_titles_is_an_error_in_any_order(tmp_path):
    paths = two_folders(tmp_path, {"id": "x1", "title": "First paper"}, {"id": "x1", "title": "Second paper"})
    forward = one_line_error(paths, contains="the id 'x1' is also used by", names="dB/papers.jsonl:1")
    backward = one_line_error(paths[::-1], contains="the id 'x1'", names="dA/papers.jsonl:1")
    assert forward == backward
    assert "'Second paper' vs 'First paper'" in forward


def test_readers_inputs_same_id_same_title_is_one_paper_with_both_sources(tmp_path):
    paths = two_folders(
        tmp_path,
        {"id": "x1", "title": "A paper", "abstract": "Short."},
        {"id": "x1", "title": "a paper.", "abstract": "A longer abstract."},
    )
    forward, backward = read_papers(paths), read_papers(paths[::-1])
    assert forward == backward
    (paper,) = forward
    assert [s.file for s in paper.sources] == ["dA/papers.jsonl", "dB/papers.jsonl"]
    assert (paper.title, paper.abstract) == ("A paper", "A longer abstract.")


def test_readers_inputs_same_file_name_different_ids_are_two_papers(tmp_path):
    paths = two_folders(tmp_path, {"id": "a", "title": "One"}, {"id": "b", "title": "Two"})
    papers = read_papers(paths)
    assert papers == read_papers(paths[::-1]) == read_papers([tmp_path / "dB", tmp_path / "dA"])
    assert {p.id: p.sources[0].file for p in papers} == {"a": "dA/papers.jsonl", "b": "dB/papers.jsonl"}


def test_readers_inputs_a_file_given_twice_is_read_once(tmp_path):
    path = make(tmp_path, "d/r.jsonl", jsonl({"id": "a", "title": "One"}))
    os.symlink(path, tmp_path / "d" / "alias.jsonl")
    (paper,) = read_papers([path, tmp_path / "d", tmp_path / "d" / "r.jsonl"])
    assert len(paper.sources) == 1


def test_readers_inputs_single_file_source_is_its_name(tmp_path):
    path = make(tmp_path, "deep/er/r.jsonl", jsonl({"title": "One"}))
    assert read_papers([path])[0].sources[0].file == "r.jsonl"


def test_readers_inputs_titles_without_words_are_different_papers(tmp_path):
    path = make(tmp_path, "r.jsonl", jsonl({"title": "???"}, {"title": "!!!"}))
    assert sorted(p.title for p in read_papers([path])) == ["!!!", "???"]


# --- paths that are not regular files, and read errors ---------------------------------------


def test_readers_inputs_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    one_line_error([tmp_path / "empty"], contains="no input files (.txt, .csv, .jsonl, .ndjson, .json, .xml, .atom, .bib, .ris) in this folder", names="empty")


def test_readers_inputs_missing_path_and_broken_link(tmp_path):
    one_line_error([tmp_path / "absent.txt"], contains="no such file or folder", names="absent.txt")
    os.symlink(tmp_path / "nowhere.txt", tmp_path / "broken.txt")
    one_line_error([tmp_path / "broken.txt"], contains="a broken symbolic link", names="broken.txt")


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="POSIX symbolic links")
def test_readers_inputs_symlink_loops(tmp_path):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    one_line_error([tmp_path / "a"], contains="Too many levels of symbolic links", names="a")
    folder = tmp_path / "d"
    folder.mkdir()
    os.symlink(folder / "self.txt", folder / "self.txt")
    os.symlink(folder, folder / "up.txt")  # a folder link named like an input file
    make(tmp_path, "d/ok.jsonl", jsonl({"title": "T"}))
    message = one_line_error([folder], contains="d/self.txt", names="cannot open")
    assert "symbolic links" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_readers_inputs_fifo_is_refused_without_blocking(tmp_path, alarm):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    one_line_error([fifo], contains="a named pipe (FIFO), not a regular file", names="pipe.jsonl")
    with pytest.raises(InputError, match="not a regular file"):
        list(read_jsonl(fifo))  # the reader alone checks the open descriptor too
    one_line_error([tmp_path], contains="a named pipe (FIFO), not a regular file", names="pipe.jsonl")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_readers_inputs_device_is_refused_without_reading(tmp_path, alarm):
    one_line_error(["/dev/zero"], contains="a character device, not a regular file", names="/dev/zero")
    os.symlink("/dev/zero", tmp_path / "zero.txt")
    one_line_error([tmp_path / "zero.txt"], contains="a character device, not a regular file", names="zero.txt")
    os.symlink("/dev/zero", tmp_path / "d.jsonl")
    one_line_error([tmp_path], contains="a character device, not a regular file", names="d.jsonl")
    with pytest.raises(InputError, match="a character device"):
        list(read_jsonl(tmp_path / "zero.txt"))


@pytest.mark.skipif(not os.path.exists("/proc/self/mem"), reason="needs Linux /proc")
def test_readers_inputs_real_eio(tmp_path):
    os.symlink("/proc/self/mem", tmp_path / "mem.txt")  # a regular file whose read fails with EIO
    one_line_error([tmp_path / "mem.txt"], contains="cannot read (Input/output error)", names="mem.txt")


@pytest.mark.parametrize(
    "target, error, contains",
    [
        pytest.param("read", OSError(errno.EIO, "Input/output error"), "cannot read (Input/output error)", id="eio-on-read"),
        pytest.param("open", PermissionError(errno.EACCES, "Permission denied"), "cannot open (Permission denied)", id="eacces-on-open"),
        pytest.param("open", OSError(errno.EMFILE, "Too many open files"), "cannot open (Too many open files)", id="emfile-on-open"),
    ],
)
def test_readers_inputs_os_errors_are_one_line(tmp_path, monkeypatch, target, error, contains):
    path = make(tmp_path, "r.jsonl", jsonl({"title": "T"}))

    def fail(*args, **kwargs):
        raise error

    if target == "open":
        monkeypatch.setattr(text_module.os, "open", fail)
    else:
        class Failing:
            def __init__(self, *args, **kwargs):
                pass

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            read = fail

        monkeypatch.setattr(text_module, "open", Failing, raising=False)
    one_line_error([path], contains=contains, names="r.jsonl")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_readers_inputs_permission_denied(tmp_path):
    path = make(tmp_path, "r.jsonl", jsonl({"title": "T"}))
    path.chmod(0)
    try:
        one_line_error([path], contains="cannot open (Permission denied)", names="r.jsonl")
    finally:
        path.chmod(0o600)


def test_readers_inputs_path_with_nul_is_refused(tmp_path):
    one_line_error([str(tmp_path / "a\x00b.jsonl")], contains="not a valid path", names="a\\x00b.jsonl")
    with pytest.raises(InputError, match="not a valid path"):
        list(read_jsonl(tmp_path / "a\x00b.jsonl"))


def test_readers_inputs_file_name_with_control_characters_stays_one_line(tmp_path):
    path = make(tmp_path, "a\nb\u2028c.jsonl", b"{not json}\n")
    one_line_error([path], contains="not valid JSON", names="a\\nb\\u2028c.jsonl:1")


# --- the gold-file reader of `paperkg eval` --------------------------------------------------


@pytest.mark.parametrize(
    "data, contains",
    [
        pytest.param(b"\x00\x01\x02\x03\xff binary", "binary", id="binary"),
        pytest.param("caf\xe9".encode("latin-1"), "not UTF-8 text", id="latin-1"),
        pytest.param('{"concepts": []}\n'.encode("utf-16"), "UTF-16 text; this file must be UTF-8", id="utf-16"),
        pytest.param(b"[" * 100_000, "JSON nested too deeply", id="deep"),
        pytest.param(b'{"concepts": []}\n{"concepts": 1' + b"1" * 5000 + b"}\n", "number is too long", id="long-number"),
        pytest.param(b'{"concepts": []}\n{broken\n', "gold.jsonl:2: not valid JSON", id="bad-second-line"),
        pytest.param(b"", "the file is empty", id="empty"),
    ],
)
def test_readers_inputs_eval_gold_file_errors_are_one_line(tmp_path, data, contains):
    import spacy

    from paperkg.extract.ner.evaluate import evaluate_file

    path = make(tmp_path, "gold.jsonl", data)
    with pytest.raises(InputError) as err:
        evaluate_file(spacy.blank("en"), path)
    assert contains in str(err.value) and "gold.jsonl" in str(err.value)
    assert "\n" not in str(err.value)


GOOD_DYGIE = '{"doc_key": "a", "sentences": [["We", "use", "BERT"]], "ner": [[[2, 2, "Method"]]]}'
GOOD_SEED = '{"id": "x", "title": "BERT", "abstract": "We use BERT.", "concepts": [{"name": "BERT", "type": "METHOD"}]}'


@pytest.mark.parametrize(
    "lines, contains",
    [
        (['{"doc_key": "a", "sentences": [["We", 5, null]], "ner": []}'], "non-empty token strings"),
        (['{"doc_key": "a", "sentences": [["", " "]], "ner": [[]]}'], "non-empty token strings"),
        (['{"doc_key": "a", "sentences": "We use BERT", "ner": []}'], "non-empty token strings"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[1, "x", "Method"]]]}'], "[start, end, label]"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[1, 1]]]}'], "[start, end, label]"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[1, 1, ["Method"]]]]}'], "[start, end, label]"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[1, 1, 7]]]}'], "[start, end, label]"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[true, 1, "Method"]]]}'], "[start, end, label]"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[1.5, 1, "Method"]]]}'], "[start, end, label]"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": [[[1, 5, "Method"]]]}'], "not within the 2 tokens"),
        (['{"doc_key": "a", "sentences": [["We", "use"]], "ner": "x"}'], "a list of spans per sentence"),
        ([GOOD_DYGIE, '{"doc_key": "b"}'], "gold.jsonl:2: 'sentences'"),
        ([GOOD_DYGIE, "[1, 2]"], "gold.jsonl:2: expected a JSON object"),
        (['{"id": "x", "title": "BERT", "abstract": "..", "concepts": "BERT"}'], "'concepts' must be a list"),
        (['{"id": "x", "title": "BERT", "concepts": [5]}'], "concept 1: expected a JSON object"),
        (['{"id": "x", "title": "BERT", "concepts": [null]}'], "concept 1: expected a JSON object"),
        (['{"id": "x", "title": "BERT", "concepts": [{"type": "METHOD"}]}'], "'name' must be"),
        (['{"id": "x", "title": "BERT", "concepts": [{"name": 5, "type": "METHOD"}]}'], "'name' must be"),
        (['{"id": "x", "title": "B", "concepts": [{"name": "B", "type": "FOO"}]}'], "'type' must be one of"),
        (['{"id": "x", "title": "B", "concepts": [{"name": "B", "type": "METHOD", "aliases": "x"}]}'], "'aliases'"),
        (['{"id": "x", "title": "B", "concepts": [{"name": "B", "type": "METHOD", "aliases": [5]}]}'], "'aliases'"),
        (['{"id": "x", "title": 5, "concepts": []}'], "'title' must be a string"),
        ([GOOD_SEED, '{"id": "y", "title": "T", "concepts": [{"name": "B", "type": "METHOD", "core": "yes"}]}'],
         "gold.jsonl:2: concept 1: 'core'"),
    ],
)
def test_readers_inputs_eval_malformed_gold_records_are_one_line_errors(tmp_path, lines, contains):
    import spacy

    from paperkg.extract.ner.evaluate import evaluate_file

    path = make(tmp_path, "gold.jsonl", ("\n".join(lines) + "\n").encode())
    with pytest.raises(InputError) as err:
        evaluate_file(spacy.blank("en"), path)
    assert contains in str(err.value) and "gold.jsonl:" in str(err.value)
    assert "\n" not in str(err.value)


def test_readers_inputs_eval_good_gold_records_still_score(tmp_path):
    import spacy

    from paperkg.extract.ner.evaluate import evaluate_file

    for name, line in (("dygie.jsonl", GOOD_DYGIE), ("seed.jsonl", GOOD_SEED)):
        result = evaluate_file(spacy.blank("en"), make(tmp_path, name, (line + "\n").encode()))
        assert result["docs"] == 1


@pytest.mark.parametrize("mapping", ["=,=", "Method=FOO", ",", "Method"])
def test_readers_inputs_eval_bad_mapping_is_a_usage_error(tmp_path, capsys, mapping):
    from clirun import run

    path = make(tmp_path, "gold.jsonl", (GOOD_DYGIE + "\n").encode())
    code, _, err = run(["eval", str(path), "-m", "fast", "--mapping", mapping], capsys)
    assert code == 2 and "--mapping" in err


@pytest.mark.parametrize("name", ["text", "raw", "page", "jsonl", "csvfile", "merge", "readers"])
def test_readers_inputs_module_examples_run(name):
    module = importlib.import_module(f"paperkg.extract.read.{name}")
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
