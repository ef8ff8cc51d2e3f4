"""The training recipe runs end to end on a few documents and writes a loadable pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from paperkg.extract.ner.corpora import CORPORA, MAPPINGS, chunk_record, corpus_docs
from paperkg.extract.ner.pipeline import load_pipeline
from paperkg.extract.ner.train import main, read_terms, GENERIC_TERMS



def _record(words, spans):
    return {"doc_key": "d", "sentences": [words], "ner": [spans], "relations": [[]]}


@pytest.fixture
def mini_corpora(tmp_path: Path) -> Path:
    """Four corpus folders with two small hand-made docs per split (original label sets)."""
    labels = {"gsap_ner": ("MLModel", "Dataset", "Task"), "scier": ("Method", "Dataset", "Task"),
              "scinlp": ("method", "dataset", "task"), "scierc": ("Method", "Material", "Task")}
    for name, (m, d, t) in labels.items():
        folder = tmp_path / "corpora" / name
        folder.mkdir(parents=True)
        recs = [
            _record("We fine-tune BERT on SQuAD for question answering .".split(),
                    [[2, 2, m], [4, 4, d], [6, 7, t]]),
            _record("ResNet is trained on ImageNet for image classification .".split(),
                    [[0, 0, m], [4, 4, d], [6, 7, t]]),
        ]
        for split in ("train", "dev"):
            (folder / f"{split}.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")
    return tmp_path / "corpora"


def test_train_recipe_writes_loadable_pipeline(mini_corpora: Path, tmp_path: Path) -> None:
    out = tmp_path / "model"
    rc = main(["--corpora", str(mini_corpora), "--out", str(out), "--max-steps", "4",
               "--eval-frequency", "2", "--seed", "3"])
    assert rc == 0
    nlp = load_pipeline(out)
    assert {"sentencizer", "tok2vec", "ner", "paperkg_mention_filter"} <= set(nlp.pipe_names)
    assert set(nlp.get_pipe("ner").labels) == {"METHOD", "DATASET", "TASK"}
    doc = nlp("We use BERT. It works.")
    assert doc.has_annotation("SENT_START")
    assert "paperkg_rules" in nlp.pipe_names
    metrics = json.loads((out / "dev_metrics.json").read_text())
    assert set(CORPORA) <= set(metrics)
    assert metrics["docs"]["scier"] == {"train": 2, "dev": 2}
    # re-assembling a trained pipeline without training gives the same components
    again = tmp_path / "again"
    assert main(["--corpora", str(mini_corpora), "--out", str(again), "--checkpoint", str(out)]) == 0
    assert load_pipeline(again).pipe_names == nlp.pipe_names


def test_train_missing_corpus_is_an_error(tmp_path: Path) -> None:
    assert main(["--corpora", str(tmp_path), "--out", str(tmp_path / "m")]) == 1


def test_corpus_docs_maps_labels_and_flattens_nested(tmp_path: Path) -> None:
    folder = tmp_path / "gsap_ner"
    folder.mkdir()
    rec = _record("the BERT-base model on SQuAD".split(),
                  [[0, 2, "MLModelGeneric"], [1, 1, "MLModel"], [1, 2, "Method"], [4, 4, "Datasource"]])
    (folder / "dev.jsonl").write_text(json.dumps(rec) + "\n")
    import spacy

    (doc,) = corpus_docs(folder / "dev.jsonl", spacy.blank("en").vocab)
    assert [(e.text, e.label_) for e in doc.ents] == [("BERT-base model", "METHOD"), ("SQuAD", "DATASET")]


def test_corpus_docs_mapping_override(tmp_path: Path) -> None:
    folder = tmp_path / "scierc"
    folder.mkdir()
    (folder / "dev.jsonl").write_text(json.dumps(_record("a b".split(), [[0, 0, "Generic"]])) + "\n")
    import spacy

    vocab = spacy.blank("en").vocab
    assert list(corpus_docs(folder / "dev.jsonl", vocab))[0].ents == ()
    (doc,) = corpus_docs(folder / "dev.jsonl", vocab, mapping={"Generic": "METHOD"})
    assert [e.label_ for e in doc.ents] == ["METHOD"]


def test_chunk_record_keeps_span_offsets() -> None:
    rec = {"doc_key": "p", "sentences": [["x"] * 5, ["y"] * 5, ["z"] * 5],
           "ner": [[[1, 2, "A"]], [[6, 6, "B"]], [[10, 14, "C"]]]}
    chunks = chunk_record(rec, max_tokens=10)
    assert [c["ner"] for c in chunks] == [[[[1, 2, "A"]], [[6, 6, "B"]]], [[[0, 4, "C"]]]]
    assert [c["ner"] for c in chunk_record(rec, max_tokens=10, keep_empty=False)] == \
        [[[[1, 2, "A"]], [[6, 6, "B"]]], [[[0, 4, "C"]]]]


def test_mappings_cover_three_types() -> None:
    for mapping in MAPPINGS.values():
        assert set(mapping.values()) == {"METHOD", "DATASET", "TASK"}
    assert "method" in read_terms(GENERIC_TERMS)
