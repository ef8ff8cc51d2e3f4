"""Evaluation on tiny hand-made gold files with known scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

from paperkg.errors import InputError
from paperkg.extract.ner.evaluate import (
    evaluate_dygie,
    evaluate_file,
    evaluate_seed_gold,
    format_report,
    normalise,
    prf,
)


@pytest.fixture
def ruler_nlp() -> Language:
    """A deterministic 'extractor': BERT right, SQuAD mistyped, a boundary error on 'answering'."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns([
        {"label": "METHOD", "pattern": "bert"},
        {"label": "TASK", "pattern": "squad"},
        {"label": "TASK", "pattern": "answering"},
        {"label": "TASK", "pattern": "question answering"},
    ])
    return nlp


@pytest.fixture
def dygie_file(tmp_path: Path) -> Path:
    words = "We use BERT on SQuAD for open question answering .".split()
    rec = {"doc_key": "d1", "sentences": [words],
           "ner": [[[2, 2, "Method"], [4, 4, "Dataset"], [6, 8, "Task"]]]}
    folder = tmp_path / "scier"
    folder.mkdir()
    path = folder / "dev.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    return path


def test_prf_zero_denominators() -> None:
    assert prf(0, 0, 0) == {"p": 0.0, "r": 0.0, "f": 0.0, "tp": 0, "fp": 0, "fn": 0}


def test_evaluate_dygie_exact_spans(ruler_nlp: Language, dygie_file: Path) -> None:
    result = evaluate_dygie(ruler_nlp, dygie_file)
    # predicted: BERT/METHOD (right), SQuAD/TASK (wrong type), "question answering"/TASK (gold is
    # "open question answering"): 1 tp, 2 fp, 2 fn
    assert result["corpus"] == "scier"
    assert result["spans"]["micro"] == prf(1, 2, 2)
    assert result["spans"]["micro"]["f"] == pytest.approx(1 / 3, abs=1e-4)
    assert result["spans"]["per_type"]["METHOD"] == prf(1, 0, 0)
    assert result["spans"]["per_type"]["DATASET"] == prf(0, 0, 1)
    assert result["spans"]["per_type"]["TASK"] == prf(0, 2, 1)
    assert result["concepts"]["micro"] == prf(1, 2, 2)


def test_evaluate_dygie_concept_sets_dedupe(ruler_nlp: Language, tmp_path: Path) -> None:
    words = "BERT and bert and SQuAD".split()
    rec = {"doc_key": "d", "sentences": [words], "ner": [[[0, 0, "Method"], [2, 2, "Method"]]]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    result = evaluate_dygie(ruler_nlp, path, mapping={"Method": "METHOD"})
    assert result["spans"]["micro"] == prf(2, 1, 0)
    assert result["concepts"]["micro"] == prf(1, 1, 0)  # {bert} vs {bert, squad/TASK}


@pytest.fixture
def seed_file(tmp_path: Path) -> Path:
    paper = {
        "title": "Question Answering with BERTs",
        "abstract": "We fine-tune BERT on SQuAD.",
        "concepts": [
            {"name": "Bidirectional Encoder Representations from Transformers",
             "aliases": ["BERT"], "type": "METHOD", "core": True},
            {"name": "SQuAD", "aliases": [], "type": "DATASET", "core": False},
            {"name": "question answering", "aliases": ["QA"], "type": "TASK", "core": True},
            {"name": "fine-tuning", "aliases": [], "type": "METHOD", "core": False},
        ],
    }
    path = tmp_path / "seed.jsonl"
    path.write_text(json.dumps(paper) + "\n")
    return path


def test_evaluate_seed_gold(ruler_nlp: Language, seed_file: Path) -> None:
    result = evaluate_seed_gold(ruler_nlp, seed_file)
    # predicted concepts: (METHOD, bert) x2 forms -> one, (TASK, question answering), and
    # squad, mistyped TASK by the extractor but a known dataset name: resolution types it DATASET
    assert result["micro"]["p"] == 1.0
    assert result["micro"]["r"] == 0.75
    assert result["per_type"]["METHOD"]["r"] == 0.5
    assert result["per_type"]["DATASET"]["r"] == 1.0
    assert result["per_type"]["TASK"]["p"] == 1.0
    assert result["core_recall"] == {"found": 2, "total": 2, "r": 1.0}
    assert result["untyped"]["p"] == 1.0 and result["untyped"]["r"] == 0.75


def test_normalise_case_and_plural() -> None:
    assert normalise("BERTs") == normalise("bert")
    assert normalise("Graph  Neural Networks") == "graph neural network"


def test_evaluate_file_dispatches(ruler_nlp: Language, dygie_file: Path, seed_file: Path) -> None:
    assert evaluate_file(ruler_nlp, dygie_file)["kind"] == "dygie"
    assert evaluate_file(ruler_nlp, seed_file)["kind"] == "seed_gold"


def test_evaluate_file_rejects_other_files(ruler_nlp: Language, tmp_path: Path) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"text": "hello"}\n')
    with pytest.raises(InputError):
        evaluate_file(ruler_nlp, bad)
    with pytest.raises(InputError):
        evaluate_file(ruler_nlp, tmp_path / "missing.jsonl")


def test_format_report(ruler_nlp: Language, dygie_file: Path, seed_file: Path) -> None:
    text = format_report(evaluate_dygie(ruler_nlp, dygie_file))
    assert "exact spans" in text and "METHOD" in text and "33.3" in text
    assert "core recall: 100.0 (2/2)" in format_report(evaluate_seed_gold(ruler_nlp, seed_file))
    with pytest.raises(InputError):
        format_report({})


def test_evaluate_dygie_unknown_folder_uses_type_named_labels(ruler_nlp: Language, tmp_path: Path) -> None:
    rec = {"doc_key": "d", "sentences": [["We", "use", "BERT", "on", "SQuAD"]],
           "ner": [[[2, 2, "METHOD"], [4, 4, "Material"]]]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(rec) + "\n")
    result = evaluate_file(ruler_nlp, path)
    assert result["corpus"] is None
    assert result["spans"]["per_type"]["METHOD"] == prf(1, 0, 0)
    assert result["spans"]["micro"] == prf(1, 1, 0)  # SQuAD/TASK is a false positive


def test_evaluate_dygie_unknown_corpus_is_an_error(ruler_nlp: Language, dygie_file: Path) -> None:
    with pytest.raises(InputError, match="unknown corpus"):
        evaluate_dygie(ruler_nlp, dygie_file, corpus="nope")


@pytest.mark.parametrize("resolved", [True, False])
def test_evaluate_seed_gold_scores_concepts_of_a_build(tmp_path, rule_model, resolved):
    import json

    from paperkg.extract.ner.evaluate import evaluate_seed_gold
    from paperkg.extract.ner.pipeline import load_pipeline

    record = {
        "title": "BERT for Question Answering",
        "abstract": "We fine-tune BERT on SQuAD. Question answering improves with GPT-4 labels.",
        "concepts": [
            {"name": "BERT", "aliases": [], "type": "METHOD", "core": True},
            {"name": "Stanford Question Answering Dataset", "aliases": ["SQuAD"], "type": "DATASET", "core": True},
            {"name": "question answering", "aliases": [], "type": "TASK", "core": True},
            {"name": "ImageNet", "aliases": [], "type": "DATASET", "core": False},
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n")
    result = evaluate_seed_gold(load_pipeline(rule_model), path, resolved=resolved)
    # Found: BERT, SQuAD (an alias), question answering (title and abstract, one concept);
    # GPT-4 is not gold; ImageNet is missed.
    assert (result["micro"]["tp"], result["micro"]["fp"], result["micro"]["fn"]) == (3, 1, 1)
    assert result["core_recall"] == {"found": 3, "total": 3, "r": 1.0}
    assert result["resolved"] is resolved
