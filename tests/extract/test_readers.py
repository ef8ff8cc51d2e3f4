"""The readers: page format edge cases, JSONL and CSV, merging, ids, bad input."""

from __future__ import annotations

import json

import pytest

from paperkg.errors import InputError
from paperkg.extract.read.readers import code_urls, paper_id, read_papers

HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\n"
ABSTRACT_A = "We propose a method for testing readers. " * 5
ABSTRACT_B = "This abstract has a code link https://github.com/org/repo. and LaTeX O(epsilon^{-3}). " * 3


def page(body: str, date: str = "Mar 14") -> str:
    return HEADER + date + "\n\n" + body


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_readers_page_reads_titles_abstracts_and_date(tmp_path):
    path = write(tmp_path, "p.txt", page(f"Title A\n\n{ABSTRACT_A.strip()}\n\nTitle B\n\n{ABSTRACT_B.strip()}\n"))
    papers = read_papers([path])
    assert sorted(p.title for p in papers) == ["Title A", "Title B"]
    b = next(p for p in papers if p.title == "Title B")
    assert b.abstract == ABSTRACT_B.strip()
    assert b.date == "Mar 14"
    assert b.code_urls == ("https://github.com/org/repo",)
    assert "O(epsilon^{-3})" in b.abstract


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
        pytest.param(lambda t: "\ufeff" + t, id="bom"),
        pytest.param(lambda t: t.replace("\n", "  \n"), id="trailing-spaces"),
        pytest.param(lambda t: t.replace("\n\n", "\n\n\n\n"), id="stray-blank-lines"),
        pytest.param(lambda t: t.replace("Subscribe\n\n", "Subscribe\n\nExtra header line\n\n"), id="longer-header"),
    ],
)
def test_readers_page_is_robust_to_formatting(tmp_path, transform):
    text = transform(page(f"Title A\n\n{ABSTRACT_A.strip()}\n\nTitle B\n\n{ABSTRACT_B.strip()}\n"))
    papers = read_papers([write(tmp_path, "p.txt", text)])
    assert sorted((p.title, p.abstract) for p in papers) == [
        ("Title A", ABSTRACT_A.strip()),
        ("Title B", ABSTRACT_B.strip()),
    ]


def test_readers_page_keeps_trailing_title_without_abstract(tmp_path):
    path = write(tmp_path, "p.txt", page(f"Title A\n\n{ABSTRACT_A}\n\nLonely title at the end\n"))
    papers = {p.title: p for p in read_papers([path])}
    assert papers["Lonely title at the end"].abstract == ""
    assert papers["Title A"].abstract == ABSTRACT_A.strip()


def test_readers_page_without_date_finds_first_record(tmp_path):
    text = HEADER + f"Title A\n\n{ABSTRACT_A}\n"
    papers = read_papers([write(tmp_path, "p.txt", text)])
    assert [p.title for p in papers] == ["Title A"]
    assert papers[0].date == ""


def test_readers_same_paper_on_two_pages_is_one_paper(tmp_path):
    one = write(tmp_path, "1.txt", page(f"Title A\n\n{ABSTRACT_A}\n", "Mar 14"))
    two = write(tmp_path, "2.txt", page(f"Title A\n\n{ABSTRACT_A}\n", "Mar 11"))
    papers = read_papers([one, two])
    assert len(papers) == 1
    assert [s.file for s in papers[0].sources] == ["1.txt", "2.txt"]
    assert papers[0].date == "Mar 11"


def test_readers_ids_do_not_depend_on_file_order(tmp_path):
    one = write(tmp_path, "1.txt", page(f"Title A\n\n{ABSTRACT_A}\n"))
    two = write(tmp_path, "2.txt", page(f"Title B\n\n{ABSTRACT_B}\n"))
    assert read_papers([one, two]) == read_papers([two, one])
    assert read_papers([one])[0].id == paper_id("title a")


def test_readers_seeds_give_291_papers(tmp_path):
    from paperkg.api import seeds_dir

    papers = read_papers([seeds_dir()])
    assert len(papers) == 291
    assert sum(len(p.sources) > 1 for p in papers) == 30
    assert all(p.abstract for p in papers)


def test_readers_jsonl_and_csv(tmp_path):
    jsonl = write(tmp_path, "r.jsonl", json.dumps({"id": "x1", "title": "T", "abstract": "A b.", "url": "https://a.org/x", "date": "2024-01-02"}) + "\n\n")
    csv_path = write(tmp_path, "r.csv", 'title,abstract,id\n"A, title","Its abstract.",y2\n')
    papers = {p.id: p for p in read_papers([jsonl, csv_path])}
    assert papers["x1"].url == "https://a.org/x" and papers["x1"].date == "2024-01-02"
    assert papers["y2"].title == "A, title"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.jsonl", b"\n  \n", "empty"),
        ("binary.txt", b"\x00\x01\x02binary", "binary"),
        ("latin1.txt", "Caf\xe9 title\n\nabstract".encode("latin-1"), "not UTF-8"),
        ("nothing.txt", HEADER.encode(), "no paper records"),
        ("bad.jsonl", b'{"title": "ok", "abstract": "x"}\n{not json}\n', "bad.jsonl:2: not valid JSON"),
        ("notitle.jsonl", b'{"abstract": "x"}\n', "notitle.jsonl:1: record has no 'title'"),
        ("list.jsonl", b"[1, 2]\n", "list.jsonl:1: expected a JSON object"),
        ("nocol.csv", b"name,abstract\nx,y\n", "no 'title' column"),
        ("notes.pdf", b"%PDF", "unknown input format"),
    ],
)
def test_readers_bad_input_is_one_line_error(tmp_path, name, content, message):
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as err:
        read_papers([path])
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_readers_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_papers([tmp_path / "absent.txt"])


def test_readers_code_urls_strip_punctuation():
    assert code_urls("See (https://gitlab.com/a/b), and https://example.org/x.") == ("https://gitlab.com/a/b",)


def test_readers_page_title_without_abstract_in_the_middle(tmp_path):
    body = f"Title A\n\n{ABSTRACT_A}\n\nA title whose abstract is missing\n\nTitle B\n\n{ABSTRACT_B}\n"
    papers = {p.title: p.abstract for p in read_papers([write(tmp_path, "p.txt", page(body))])}
    assert papers == {
        "Title A": ABSTRACT_A.strip(),
        "A title whose abstract is missing": "",
        "Title B": ABSTRACT_B.strip(),
    }
