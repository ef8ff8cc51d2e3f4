"""The bibliographic readers: arXiv (Atom, OAI-PMH, snapshot), OpenAlex, Semantic Scholar,
BibTeX, RIS, CSL-JSON; gzip, sniffing, ``--format``, skipped records, one-line errors.

Fixtures in ``fixtures/`` are written by hand in each format's documented shape.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from paperkg.errors import InputError
from paperkg.extract.read.readers import READERS, format_of, read_inputs, read_papers
from clirun import run

FIXTURES = Path(__file__).parent / "fixtures"


def papers_of(*names: str, **kwargs) -> dict[str, object]:
    return {p.id: p for p in read_papers([FIXTURES / n for n in names], **kwargs)}


def one_line_error(paths: list, *, contains: str, names: str, **kwargs) -> str:
    with pytest.raises(InputError) as err:
        read_papers(paths, **kwargs)
    message = str(err.value)
    assert "\n" not in message and "\r" not in message, message
    assert contains in message, message
    assert names in message, message
    return message


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- arXiv -------------------------------------------------------------------------------


def test_readers_formats_arxiv_atom_entry_fields():
    paper = papers_of("same/papers.atom.xml")["doi:10.18653/v1/n19-1423"]
    assert paper.title == "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    assert paper.abstract == (
        "We introduce BERT, a language representation model pre-trained on unlabeled text. "
        "Fine-tuned BERT improves question answering on SQuAD."
    )
    assert paper.authors == ("Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova")
    assert paper.date == "2018-10-11"
    assert paper.venue == "NAACL-HLT 2019"
    assert paper.categories == ("cs.CL",)
    assert paper.ids == ("doi:10.18653/v1/n19-1423", "arxiv:1810.04805")
    assert paper.url == "http://arxiv.org/abs/1810.04805v2"
    assert paper.sources[0].file == "papers.atom.xml" and paper.sources[0].line == 10


def test_readers_formats_arxiv_atom_without_doi_is_named_by_arxiv_id():
    papers = papers_of("same/papers.atom.xml")
    assert "arxiv:1706.03762" in papers
    assert papers["arxiv:1706.03762"].categories == ("cs.CL", "cs.LG")


def test_readers_formats_arxiv_api_error_feed_is_one_line(tmp_path):
    feed = write(tmp_path, "err.xml", """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <entry>
    <id>http://arxiv.org/api/errors#incorrect_id_format_for_1234.12345</id>
    <title>Error</title>
    <summary>incorrect id format for 1234.12345</summary>
  </entry>
</feed>
""")
    one_line_error([feed], contains="arXiv API answered with an error (incorrect id format", names="err.xml:3")


def test_readers_formats_oai_dc_record():
    (paper,) = papers_of("arxiv_oai_dc.xml").values()
    assert paper.id == "doi:10.1007/s00373-008-0834-4"
    assert paper.abstract.startswith("We describe a new algorithm, the $(k,\\ell)$-pebble game with colors, and use it obtain")
    assert "Comment:" not in paper.abstract
    assert paper.authors == ("Ileana Streinu", "Louis Theran")
    assert paper.date == "2007-03-30"
    assert paper.categories == ("Mathematics - Combinatorics", "Computer Science - Computational Geometry")
    assert "arxiv:0704.0002" in paper.ids
    assert paper.sources[0].line == 6  # the deleted record after it is skipped


def test_readers_formats_arxiv_raw_record():
    (paper,) = papers_of("arxiv_raw.xml").values()
    assert paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert paper.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")
    assert paper.date == "2007-04-02"  # the first version's RFC 2822 date
    assert paper.venue == "Phys.Rev.D76:013009,2007"
    assert paper.ids == ("doi:10.1103/physrevd.76.013009", "arxiv:0704.0001")


def test_readers_formats_arxiv_snapshot_lines():
    papers = papers_of("arxiv_snapshot.jsonl")
    first = papers["doi:10.1103/physrevd.76.013009"]
    assert first.authors[0] == "C. Balázs" and first.sources[0].line == 1
    assert first.abstract.startswith("A fully differential calculation in perturbative quantum chromodynamics is presented")
    second = papers["arxiv:0704.0002"]
    assert second.categories == ("math.CO", "cs.CG") and second.date == "2007-03-31"
    assert format_of(FIXTURES / "arxiv_snapshot.jsonl") == "arxiv-snapshot"


def test_readers_formats_oai_and_snapshot_are_one_paper():
    (paper,) = [p for p in read_papers([FIXTURES / "arxiv_raw.xml", FIXTURES / "arxiv_snapshot.jsonl"])
                if "arxiv:0704.0001" in p.ids]
    assert [s.file for s in paper.sources] == ["arxiv_raw.xml", "arxiv_snapshot.jsonl"]


# --- OpenAlex ----------------------------------------------------------------------------


def test_readers_formats_openalex_abstract_is_rebuilt_exactly():
    (paper,) = papers_of("openalex_work.json").values()
    expected = (FIXTURES / "openalex_work.expected.txt").read_text(encoding="utf-8").rstrip("\n")
    assert paper.abstract == expected
    assert paper.id == "doi:10.7717/peerj.4375"
    assert paper.ids == ("doi:10.7717/peerj.4375", "openalex:W2741809807")
    assert paper.authors == ("Heather Piwowar", "Jason Priem", "Stefanie Haustein")
    assert (paper.date, paper.venue) == ("2018-02-13", "PeerJ")
    assert paper.categories[0] == "scientometrics and bibliometrics research"


def test_readers_formats_openalex_word_order_is_by_position_not_by_key(tmp_path):
    work = {"id": "https://openalex.org/W1", "title": "T",
            "abstract_inverted_index": {"c": [2, 5], "a": [0], "b": [1, 4], "x": [3]}}
    (paper,) = read_papers([write(tmp_path, "w.json", json.dumps(work))])
    assert paper.abstract == "a b c x b c"


def test_readers_formats_openalex_lines_keep_title_only_and_skip_untitled(caplog):
    reading = read_inputs([FIXTURES / "openalex_works.jsonl"])
    assert len(reading.papers) == 2 and reading.without_abstract == 1
    assert reading.skipped == (f"{FIXTURES / 'openalex_works.jsonl'}:3",)
    assert "openalex_works.jsonl:3: record has no 'title'; skipped" in caplog.text


@pytest.mark.parametrize(
    "index, contains",
    [
        ({"a": [0], "b": [0]}, "puts 'a' and 'b' at position 0"),
        ({"a": [-1]}, "position -1 of 'a' is not a whole number"),
        ({"a": ["1"]}, "position '1' of 'a' is not a whole number"),
        ({"a": 3}, "expected a JSON list"),
        ([1, 2], "expected a JSON object for abstract_inverted_index"),
    ],
)
def test_readers_formats_openalex_broken_index_is_one_line(tmp_path, index, contains):
    page = {"meta": {}, "results": [{"id": "https://openalex.org/W1", "title": "ok"},
                                    {"id": "https://openalex.org/W2", "title": "T", "abstract_inverted_index": index}]}
    path = write(tmp_path, "page.json", json.dumps(page))
    one_line_error([path], contains=contains, names="page.json: record 2")


# --- Semantic Scholar --------------------------------------------------------------------


def test_readers_formats_s2_paper():
    (paper,) = papers_of("s2_paper.json").values()
    assert paper.id == "doi:10.1038/nrn3241"
    assert paper.ids == ("doi:10.1038/nrn3241", "s2:649def34f8be52c8b66281af98ae884c09aef38b", "s2corpus:215416146")
    assert paper.venue == "Annual Meeting of the Association for Computational Linguistics"
    assert paper.authors == ("Oren Etzioni", "Waleed Ammar") and paper.date == "2018-05-06"


def test_readers_formats_s2_bulk_lines_and_the_paper_are_one():
    papers = papers_of("s2_bulk.jsonl", "s2_paper.json")
    paper = papers["doi:10.1038/nrn3241"]
    assert len(paper.sources) == 2 and paper.abstract.startswith("We describe a deployed")
    assert papers["arxiv:2106.15928"].abstract == ""


def test_readers_formats_s2_batch_list_skips_unknown_ids(tmp_path):
    batch = [None, {"paperId": "abc", "title": "Known", "abstract": None, "authors": []}]
    (paper,) = read_papers([write(tmp_path, "batch.json", json.dumps(batch))])
    assert (paper.id, paper.abstract) == ("s2:abc", "")


def test_readers_formats_s2_bad_authors_is_one_line(tmp_path):
    page = {"data": [{"paperId": "a", "title": "A"}, {"paperId": "b", "title": "B", "authors": "Smith"}]}
    one_line_error([write(tmp_path, "s2.json", json.dumps(page))], contains="expected a JSON list for authors", names="s2.json: record 2")


# --- BibTeX ------------------------------------------------------------------------------


def test_readers_formats_bibtex_accents_braces_strings_and_comments(caplog):
    reading = read_inputs([FIXTURES / "refs.bib"])
    papers = {p.id: p for p in reading.papers}
    assert len(papers) == 3  # @comment / @preamble / @string are no papers
    paper = papers["doi:10.18653/v1/2020.acl-main.1"]
    assert paper.title == "BERT Meets Gödel: Études in SQuAD Question Answering"
    assert paper.abstract == "We fine-tune BERT on SQuAD 2.0 and reach 91% F1 — a gain of 3.5 points over the naïve baseline."
    assert paper.authors == ("Jörg Müller", "Ayşe Çelik", "Jan Łukasiewicz", "María de la Cruz")
    assert paper.venue == "Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics"
    assert paper.date == "2020-07"
    assert paper.categories == ("question answering", "reading comprehension")
    assert paper.sources[0].line == 10
    concatenated = next(p for p in papers.values() if p.venue == "Journal of Testing")
    assert concatenated.title == "Strings Joined With Hash" and concatenated.date == "2021-03-04"
    assert papers["arxiv:1512.03385"].authors == ("Kaiming He",)  # "and others" is no author
    assert reading.skipped == (f"{FIXTURES / 'refs.bib'}:30 (entry notitle2022)",)
    assert "refs.bib:30 (entry notitle2022): record has no 'title'; skipped" in caplog.text


@pytest.mark.parametrize(
    "text, contains, names",
    [
        ("@article{a, title={ok}}\n\n@article{b, title = {x}\n@misc{c, title={y}}\n", "not valid BibTeX", "b.bib:3"),
        ("@article{a, title={One}}\n@article{a, title={Two}}\n", "the entry key 'a' is used twice", "b.bib:2"),
        ("% only a comment\n@comment{nothing}\n", "no BibTeX entries", "b.bib"),
    ],
)
def test_readers_formats_bibtex_malformed_is_one_line(tmp_path, text, contains, names):
    one_line_error([write(tmp_path, "b.bib", text)], contains=contains, names=names)


# --- RIS ---------------------------------------------------------------------------------


def test_readers_formats_ris_records():
    reading = read_inputs([FIXTURES / "refs.ris"])
    papers = {p.id: p for p in reading.papers}
    paper = papers["doi:10.1109/cvpr.2016.90"]
    assert paper.abstract == (
        "We present a residual learning framework to ease the training of networks. "
        "ResNet-50 reaches strong image classification accuracy on ImageNet."
    )
    assert paper.authors == ("Kaiming He", "Xiangyu Zhang") and paper.date == "2016-06-27"
    assert paper.venue == "Proceedings of CVPR" and paper.categories == ("Image recognition", "Training")
    other = papers["arxiv:1901.00001"]
    assert (other.title, other.authors, other.date) == ("Müller's Title Only Record", ("Jörg Müller",), "2019-01-15")
    assert reading.skipped == (f"{FIXTURES / 'refs.ris'}:16",) and reading.without_abstract == 1


@pytest.mark.parametrize(
    "text, contains, names",
    [
        ("TY  - JOUR\nTI  - A\nER  - \n\nTY  - JOUR\nTI  - B\n", "RIS record has no 'ER  - ' line", "r.ris:5"),
        ("TY  - JOUR\nTI  - A\nTY  - JOUR\nER  - \n", "no 'ER  - ' line before the next 'TY'", "r.ris:1"),
        ("TI  - A\nER  - \n", "text outside a RIS record", "r.ris:1"),
        ("just some notes\n", "text outside a RIS record", "r.ris:1"),
    ],
)
def test_readers_formats_ris_malformed_is_one_line(tmp_path, text, contains, names):
    one_line_error([write(tmp_path, "r.ris", text)], contains=contains, names=names)


# --- CSL-JSON ----------------------------------------------------------------------------


def test_readers_formats_csl_json_items():
    reading = read_inputs([FIXTURES / "refs.csl.json"])
    papers = {p.id: p for p in reading.papers}
    paper = papers["doi:10.1109/cvpr.2016.90"]
    assert paper.authors == ("Kaiming He", "María de la Cruz", "The ResNet Team")
    assert (paper.date, paper.venue) == ("2016-06-27", "Proceedings of CVPR")
    assert papers["arxiv:2106.15928"].date == "2021"  # date-parts written as text
    assert reading.skipped == (f"{FIXTURES / 'refs.csl.json'}: entry 'untitled'",)


def test_readers_formats_csl_json_bad_item_names_its_entry(tmp_path):
    items = [{"id": "good", "type": "book", "title": "A"},
             {"id": "smith2020", "type": "book", "title": "B", "author": {"family": "Smith"}}]
    one_line_error([write(tmp_path, "c.json", json.dumps(items))], contains="expected a JSON list for author",
                   names="c.json: entry 'smith2020'")


# --- suffixes, sniffing, --format, gzip --------------------------------------------------


@pytest.mark.parametrize(
    "name, expected",
    [
        ("same/papers.atom.xml", "arxiv"),
        ("arxiv_oai_dc.xml", "arxiv"),
        ("same/papers.openalex.json", "openalex"),
        ("openalex_works.jsonl", "openalex"),
        ("same/papers.s2.json", "s2"),
        ("s2_bulk.jsonl", "s2"),
        ("same/papers.csl.json", "csl-json"),
        ("arxiv_snapshot.jsonl", "arxiv-snapshot"),
        ("refs.bib", "bibtex"),
        ("refs.ris", "ris"),
    ],
)
def test_readers_formats_sniffed_by_suffix_and_content(name, expected):
    assert format_of(FIXTURES / name) == expected


def test_readers_formats_plain_jsonl_stays_paperkg_jsonl(tmp_path):
    path = write(tmp_path, "p.jsonl", json.dumps({"id": "x", "title": "T", "abstract": "A"}) + "\n")
    assert format_of(path) == "jsonl"


def test_readers_formats_unknown_json_asks_for_format(tmp_path):
    path = write(tmp_path, "x.json", json.dumps({"foo": 1}))
    one_line_error([path], contains="cannot tell which format this is", names="x.json")


def test_readers_formats_forced_format_reads_any_name(tmp_path):
    path = tmp_path / "part_000.gz"
    path.write_bytes(gzip.compress((FIXTURES / "openalex_works.jsonl").read_bytes()))
    one_line_error([path], contains="unknown input format", names="part_000.gz")
    forced = tmp_path / "part_000.jsonl.gz"  # the OpenAlex snapshot's part files, renamed
    shutil.copy(path, forced)
    assert len(read_papers([forced])) == 2
    assert len(read_papers([path], format="openalex")) == 2
    one_line_error([path], contains="unknown input format 'nope'; known: page, jsonl", names="nope", format="nope")


@pytest.mark.parametrize(
    "name", ["same/papers.atom.xml", "same/papers.openalex.json", "same/papers.bib", "same/papers.ris",
             "same/papers.csl.json", "same/papers.s2.json", "arxiv_snapshot.jsonl"]
)
def test_readers_formats_gzip_reads_the_same(tmp_path, name):
    source = FIXTURES / name
    packed = tmp_path / (source.name + ".gz")
    packed.write_bytes(gzip.compress(source.read_bytes()))
    plain = read_papers([source])
    assert [(p.id, p.title, p.abstract, p.authors, p.ids) for p in read_papers([packed])] == [
        (p.id, p.title, p.abstract, p.authors, p.ids) for p in plain
    ]


def test_readers_formats_broken_gzip_is_one_line(tmp_path):
    data = gzip.compress((FIXTURES / "arxiv_snapshot.jsonl").read_bytes())
    one_line_error([write(tmp_path, "cut.jsonl.gz", data[:-30])], contains="not valid gzip data", names="cut.jsonl.gz")
    one_line_error([write(tmp_path, "plain.bib.gz", b"@article{a, title={x}}")], contains="not valid gzip data",
                   names="plain.bib.gz")


def test_readers_formats_snapshot_is_streamed_line_by_line(tmp_path):
    """The reader yields the first record before it has read the (broken) rest."""
    lines = (FIXTURES / "arxiv_snapshot.jsonl").read_bytes().splitlines(keepends=True)
    path = write(tmp_path, "s.jsonl.gz", gzip.compress(lines[0] + b"{broken\n"))
    records = READERS["arxiv-snapshot"](path, name="s.jsonl.gz")
    assert next(iter(records)).title.startswith("Calculation of prompt diphoton")
    with pytest.raises(InputError, match="s.jsonl.gz:2: not valid JSON"):
        next(iter(records))


def test_readers_formats_every_record_without_title_fails_with_one_line(tmp_path):
    bib = write(tmp_path, "t.bib", "@misc{a, author={X, Y}}\n@misc{b, year=2020}\n")
    one_line_error([bib], contains="record has no 'title'; no record of the inputs has one", names="t.bib:1 (entry a)")


def test_readers_formats_results_do_not_depend_on_argument_order():
    names = sorted(p.name for p in (FIXTURES / "same").iterdir())
    forward = read_papers([FIXTURES / "same" / n for n in names])
    assert forward == read_papers([FIXTURES / "same" / n for n in reversed(names)])


# --- the command line --------------------------------------------------------------------




def test_readers_formats_cli_build_format_and_summary(tmp_path, rule_model, capsys, caplog):
    source = tmp_path / "works.dump"
    shutil.copy(FIXTURES / "openalex_works.jsonl", source)
    out = tmp_path / "out"
    code, stdout, err = run(["build", str(source), "--format", "openalex", "--out", str(out),
                             "--model", str(rule_model)], capsys)
    assert code == 0, err
    assert "2 papers" in stdout and "1 papers with a title only (no abstract), 1 records without a title skipped" in stdout
    assert "works.dump:3: record has no 'title'; skipped" in caplog.text  # stderr outside pytest
    assert (out / "graph.json").exists()


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("bad.bib", "@article{a, title = {x}\n@misc{b, title={y}}\n", "bad.bib:1: not valid BibTeX"),
        ("bad.ris", "TY  - JOUR\nTI  - A\n", "bad.ris:1: RIS record has no 'ER  - ' line"),
        ("bad.xml", "<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry>\n</feed>\n", "bad.xml:3: not well-formed XML"),
        ("bad.json", '{"results": [{"id": "https://openalex.org/W1", "title": ["x"]}]}', "bad.json: record 1: field 'title' must be text"),
    ],
)
def test_readers_formats_cli_malformed_exits_1_and_writes_nothing(tmp_path, rule_model, capsys, name, text, message):
    path = write(tmp_path, name, text)
    out = tmp_path / "out"
    code, _, err = run(["build", str(path), "--out", str(out), "--model", str(rule_model), "-q"], capsys)
    assert code == 1
    assert len(err.strip().splitlines()) == 1 and message in err, err
    assert not out.exists()


def test_readers_formats_snapshot_under_its_own_json_name_streams(tmp_path):
    """Kaggle names the snapshot ``arxiv-metadata-oai-snapshot.json``: JSON Lines all the same."""
    path = tmp_path / "arxiv-metadata-oai-snapshot.json.gz"
    path.write_bytes(gzip.compress((FIXTURES / "arxiv_snapshot.jsonl").read_bytes()))
    assert format_of(path) == "arxiv-snapshot"
    assert sorted(p.id for p in read_papers([path])) == ["arxiv:0704.0002", "doi:10.1103/physrevd.76.013009"]


@pytest.mark.parametrize(
    "text, contains",
    [
        ("@article{k, title={" + "{" * 300 + "x" + "}" * 300 + "}}\n", "k.bib:1 (entry k): LaTeX nested too deeply"),
        ("@article{k, title={" + "\\textbf{" * 600 + "x" + "}" * 600 + "}}\n", "LaTeX nested too deeply"),
        ('@string{s0 = "ab"}\n' + "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 40))
         + "@article{k, title = {BERT}}\n", "(@string s16): the value is longer than"),
        ('@string{s0 = "ab"}\n' + "".join(f"@string{{s{i} = s{i - 1} # s{i - 1}}}\n" for i in range(1, 16))
         + "@article{k, title = s15 # s15 # s15 # s15}\n", "k.bib:17 (entry k): the value is longer than"),
    ],
    ids=["braces", "macros", "string-doubling", "field-of-strings"],
)
def test_bibtex_nesting_and_string_bombs_are_one_line_errors(tmp_path, text, contains):
    from paperkg.extract.read.readers import read_inputs

    path = tmp_path / "k.bib"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_inputs([path])
    assert contains in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "text, contains",
    [
        ('title,abstract\n"unclosed,abc\nsecond,row\n', "k.csv:2: not valid CSV"),
        ("title,abstract\nA,b,c\n", "k.csv:2: the row has 3 fields and the header 2"),
    ],
    ids=["open-quote", "extra-field"],
)
def test_csv_open_quote_and_extra_fields_are_one_line_errors(tmp_path, text, contains):
    path = tmp_path / "k.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=contains):
        read_inputs([path])
    path.write_text("title,abstract\nA,b,\n", encoding="utf-8")  # an empty last cell is fine
    assert [p.title for p in read_inputs([path]).papers] == ["A"]
