"""The shipped pipelines (``default``: encoder, ``fast``: CNN) load through the extractor seam and find obvious concepts."""

from __future__ import annotations

import pytest

from paperkg.extract.ner.pipeline import MODELS, doc_mentions, load_pipeline

SHIPPED = [pytest.param(name, marks=pytest.mark.skipif(
    not (path / "config.cfg").is_file(), reason=f"shipped model {name!r} not built"))
    for name, path in MODELS.items()]

ABSTRACT = (
    "We fine-tune BERT on the SQuAD dataset for question answering. "
    "Our model also improves object detection on the COCO benchmark with a ResNet-50 backbone."
)


@pytest.fixture(scope="module", params=SHIPPED)
def nlp(request):
    return load_pipeline(request.param)


@pytest.fixture(scope="module")
def fast():
    if not (MODELS["fast"] / "config.cfg").is_file():
        pytest.skip("shipped model 'fast' not built")
    return load_pipeline("fast")


def _ents(doc) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in doc.ents}


def test_model_pipeline_contract(nlp) -> None:
    assert "paperkg_rules" in nlp.pipe_names and "paperkg_mention_filter" in nlp.pipe_names
    doc = nlp(ABSTRACT)
    assert doc.has_annotation("SENT_START")
    assert len(list(doc.sents)) == 2
    assert {e.label_ for e in doc.ents} <= {"METHOD", "DATASET", "TASK"}


def test_model_finds_obvious_concepts(nlp) -> None:
    found = _ents(nlp(ABSTRACT))
    expected = {("BERT", "METHOD"), ("SQuAD", "DATASET"), ("question answering", "TASK"),
                ("object detection", "TASK"), ("COCO", "DATASET"), ("ResNet-50", "METHOD")}
    assert expected <= found, f"missing {expected - found}"


@pytest.mark.parametrize("text", ["Our model outperforms the method on the dataset.",
                                  "We propose a novel framework and a new benchmark.",
                                  "Deep learning and machine learning models are trained on data."])
def test_model_drops_generic_mentions(nlp, text: str) -> None:
    assert _ents(nlp(text)) == set()


def test_model_mentions_point_into_text(nlp) -> None:
    mentions = doc_mentions(nlp(ABSTRACT), paper_id="p", field="abstract")
    assert mentions
    for m in mentions:
        assert ABSTRACT[m.start:m.end] == m.text


def test_model_fast_is_the_cnn(fast) -> None:
    assert set(fast.get_pipe("ner").labels) == {"METHOD", "DATASET", "TASK"}


def test_model_numpy_ops_match_blis(fast) -> None:
    nlp = fast
    assert nlp.get_pipe("tok2vec").model.ops.use_blis is False
    blis = load_pipeline("fast", use_blis=True)
    assert blis.get_pipe("tok2vec").model.ops.use_blis is True
    texts = [ABSTRACT, "Graph neural networks for molecule property prediction on QM9."]
    assert [_ents(d) for d in nlp.pipe(texts)] == [_ents(d) for d in blis.pipe(texts)]


def test_rule_patterns_have_no_unbounded_run_of_a_predicate_token():
    """spaCy's Matcher keeps a partial match per start token through a run of "+" or "*": on
    a record of 22,222 capitalised words one such pattern took 89 s (quadratic). Runs are
    bounded ("{1,8}"), in the source patterns and in both shipped pipelines."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "extract" / "ner"
    files = [*root.glob("patterns/*.jsonl"), *root.glob("models/*/paperkg_rules/patterns")]
    assert len(files) >= 3
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            for token in json.loads(line)["pattern"] if line.strip() else []:
                if isinstance(token, dict) and len(token) > 1:  # a predicate, not a fixed word
                    assert token.get("OP") not in ("+", "*"), (path.name, token)
