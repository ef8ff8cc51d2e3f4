"""User thesaurus files: CSV and TSV, replace and ignore, one-line errors."""

from __future__ import annotations

import pytest

from paperkg.errors import InputError
from paperkg.extract.concepts.thesaurus import Thesaurus, load_thesaurus


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "name, text",
    [
        ("t.csv", "label,replace by\nLLMs,large language models\nbaselines,\n"),
        ("t.tsv", "label\treplace by\nLLMs\tlarge language models\nbaselines\t\n"),
        ("t.txt", "label\treplace by\nLLMs\tlarge language models\nbaselines\t\n"),
        ("t.txt", "\ufeffLabel,Replace By\nLLMs,large language models\n\nbaselines\n"),
        ("t.csv", "replace by,label,note\nlarge language models,LLMs,x\n,baselines,y\n"),
    ],
)
def test_thesaurus_reads_csv_and_tsv(tmp_path, name, text):
    thesaurus = load_thesaurus(write(tmp_path, name, text))
    assert thesaurus.lookup("LLM") == ("large language model", "large language models")
    assert thesaurus.lookup("the Baseline") == ("", "")
    assert thesaurus.lookup("BERT") is None
    assert len(thesaurus) == 2


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("missing.csv", None, "not found"),
        ("empty.csv", "", "empty"),
        ("blank.csv", "\n  \n", "empty"),
        ("header.csv", "term,replacement\nLLMs,LLM\n", "header"),
        ("wide.csv", "label,replace by\nLLMs,LLM,extra\n", "columns"),
        ("nolabel.csv", "label,replace by\n,LLM\n", "empty label"),
        ("nokey.csv", "label,replace by\nthe,LLM\n", "no usable words"),
        ("twice.csv", "label,replace by\nLLMs,large language models\nLLM,foundation models\n", "two different"),
        ("cycle.csv", "label,replace by\nLLM,foundation model\nfoundation models,LLMs\n", "cycle"),
    ],
)
def test_thesaurus_errors_are_one_line(tmp_path, name, text, message):
    path = tmp_path / name if text is None else write(tmp_path, name, text)
    with pytest.raises(InputError, match=message) as caught:
        load_thesaurus(path)
    assert "\n" not in str(caught.value)


def test_thesaurus_follows_chains_and_ignores_self_maps():
    thesaurus = Thesaurus.from_pairs(
        [("NNs", "neural nets"), ("neural net", "ANN"), ("BERT", "BERT"), ("Baselines", "")]
    )
    assert thesaurus.lookup("NN") == ("ANN", "ANN")
    assert thesaurus.lookup("BERT") is None
    assert thesaurus.lookup("baseline") == ("", "")


def test_thesaurus_matches_spelling_variants():
    thesaurus = Thesaurus.from_pairs([("pre-training", "pretraining objective")])
    assert thesaurus.lookup("pretraining") == ("pretraining objective", "pretraining objective")


def test_thesaurus_reads_utf16_with_a_bom_and_names_a_folder(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("label,replace by\nLLMs,large language models\n".encode("utf-16"))
    assert load_thesaurus(path).lookup("LLM") == ("large language model", "large language models")
    with pytest.raises(InputError, match="a folder"):
        load_thesaurus(tmp_path)


def test_thesaurus_long_chains_end_where_they_end_and_a_cycle_is_named():
    pairs = [(f"term{i}x", f"term{i + 1}x") for i in range(3000)]
    t = Thesaurus.from_pairs(pairs)
    assert {t.lookup(f"term{i}x") for i in range(0, 3000, 7)} == {("term3000x", "term3000x")}
    with pytest.raises(InputError, match="cycle"):
        Thesaurus.from_pairs([*pairs, ("term3000x", "term1500x")])


def test_thesaurus_open_quote_is_an_error_not_a_lost_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('label,replace by\n"GPT-4,large model\nBERT,encoder model\nWMT14,\n', encoding="utf-8")
    with pytest.raises(InputError, match="malformed row"):
        load_thesaurus(path)
