"""The encoder component: pure decoding steps, and the shipped ``default`` pipeline end to end."""

from __future__ import annotations

import numpy as np
import pytest
import spacy

from paperkg.errors import InputError
from paperkg.extract.ner.encoder import (
    SCORES_KEY, THREADS_ENV, decode, softmax, span_score, token_spans, windows,
)
from paperkg.extract.ner.pipeline import MODELS_DIR, doc_mentions, extract, load_pipeline, min_score_of
from paperkg.extract.records import Paper

DEFAULT = MODELS_DIR / "default"
LABELS = ["O", "B-METHOD", "I-METHOD", "B-DATASET", "I-DATASET", "B-TASK", "I-TASK"]

ABSTRACT = (
    "Retrieval-augmented generation (RAG) grounds large language models in documents. "
    "We fine-tune BERT and a ResNet-50 backbone and evaluate on SQuAD, Natural Questions and "
    "the COCO benchmark for question answering and object detection. Our method improves "
    "exact match by 3 points over dense passage retrieval with a FAISS index."
)


def _one_hot(tags: list[str], p: float = 0.9) -> np.ndarray:
    probs = np.full((len(tags), len(LABELS)), (1 - p) / (len(LABELS) - 1), dtype=np.float32)
    for i, tag in enumerate(tags):
        probs[i, LABELS.index(tag)] = p
    return probs


@pytest.mark.parametrize("n,size,stride", [(0, 4, 1), (5, 5, 2), (6, 5, 2), (100, 30, 10), (1000, 254, 32)])
def test_encoder_windows_cover_every_wordpiece_in_order(n, size, stride):
    spans = windows(n, size, stride)
    assert spans[0][0] == 0 and spans[-1][1] == n
    assert all(e - s <= size for s, e in spans)
    assert all(b[0] <= a[1] and b[0] > a[0] for a, b in zip(spans, spans[1:]))


def test_encoder_decode_bio_to_scored_char_spans():
    offsets = [(0, 2), (3, 7), (8, 12), (13, 15), (16, 21), (22, 27)]
    tags = ["O", "B-METHOD", "I-METHOD", "O", "I-TASK", "B-DATASET"]
    spans = decode(_one_hot(tags), offsets, LABELS)
    assert [(s, e, t) for s, e, t, _ in spans] == [(3, 12, "METHOD"), (16, 21, "TASK"), (22, 27, "DATASET")]
    # the score is the probability of B-X then I-X...: "I-TASK" never began, so it scores low
    assert [round(score, 4) for *_, score in spans] == [0.9, round(0.1 / 6, 4), 0.9]


def test_encoder_decode_keeps_a_name_whole_when_its_type_wavers():
    # "ARC-C": METHOD on "ARC" and "-", DATASET on "C" -> one span, typed by most probability
    offsets = [(0, 3), (3, 4), (4, 5), (6, 9)]
    probs = np.array([
        [0.05, 0.60, 0.00, 0.35, 0.00, 0.0, 0.0],
        [0.05, 0.00, 0.45, 0.00, 0.50, 0.0, 0.0],
        [0.05, 0.00, 0.30, 0.00, 0.65, 0.0, 0.0],
        [0.95, 0.00, 0.05, 0.00, 0.00, 0.0, 0.0],
    ], dtype=np.float32)
    [(start, end, kind, score)] = decode(probs, offsets, LABELS)
    assert (start, end, kind) == (0, 5, "DATASET")  # 0.35 + 0.50 + 0.65 against 0.60 + 0.45 + 0.30
    assert abs(score - (0.35 + 0.50 + 0.65) / 3) < 1e-4


def test_encoder_token_spans_decide_a_split_word_at_its_start():
    doc = spacy.blank("en")("on GSM8K today")
    assert [t.text for t in doc] == ["on", "GSM8", "K", "today"]  # spaCy splits "8K"
    # wordpieces: on | gs | ##m | ##8 | ##k | today; "##k" says B-DATASET, but "K" is part
    # of the word "GSM8K", which reads "gs"
    offsets = [(0, 2), (3, 5), (5, 6), (6, 7), (7, 8), (9, 14)]
    probs = _one_hot(["O", "B-DATASET", "I-DATASET", "I-DATASET", "B-DATASET", "O"])
    assert [(s, e, t) for s, e, t, _ in token_spans(doc, probs, offsets, LABELS)] == [(3, 8, "DATASET")]


def test_encoder_softmax_rows_sum_to_one():
    probs = softmax(np.array([[1000.0, 0.0, -5.0], [0.0, 0.0, 0.0]], dtype=np.float32))
    assert np.allclose(probs.sum(axis=-1), 1.0) and np.isfinite(probs).all()


def test_encoder_token_spans_read_each_tokens_first_wordpiece():
    doc = spacy.blank("en")("We use ResNets today")
    # wordpieces: we | use | res | ##nets | today; "##nets" says O but the token reads "res"
    offsets = [(0, 2), (3, 6), (7, 10), (10, 14), (15, 20)]
    probs = _one_hot(["O", "O", "B-METHOD", "O", "O"])
    assert [(s, e, t) for s, e, t, _ in token_spans(doc, probs, offsets, LABELS)] == [(7, 14, "METHOD")]


def test_encoder_span_score_without_encoder_is_default():
    doc = spacy.blank("en")("We fine-tune BERT .")
    doc.ents = [doc.char_span(13, 17, label="METHOD")]
    assert span_score(doc.ents[0]) == 1.0


def test_encoder_unknown_model_name_is_input_error():
    with pytest.raises(InputError, match="unknown model 'acurate'.*default, fast"):
        load_pipeline("acurate")


def test_encoder_fast_model_still_loads():
    nlp = load_pipeline("fast")
    assert "ner" in nlp.pipe_names and min_score_of(nlp) == 0.0


needs_default = pytest.mark.skipif(not (DEFAULT / "config.cfg").is_file(),
                                   reason="encoder pipeline not assembled (python -m paperkg.extract.ner.assemble)")


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(DEFAULT)


def _scored(doc) -> list[tuple[int, int, str, float]]:
    return [(e.start_char, e.end_char, e.label_, span_score(e)) for e in doc.ents]


@needs_default
def test_encoder_pipeline_contract(nlp):
    assert nlp.pipe_names == ["sentencizer", "paperkg_encoder", "tok2vec", "ner", "paperkg_rules",
                              "paperkg_mention_filter"]
    doc = nlp(ABSTRACT)
    assert doc.has_annotation("SENT_START") and len(list(doc.sents)) == 3
    assert {e.label_ for e in doc.ents} <= {"METHOD", "DATASET", "TASK"}
    assert 0.0 <= min_score_of(nlp) < 1.0


@needs_default
def test_encoder_scores_are_real_confidences(nlp):
    mentions = doc_mentions(nlp(ABSTRACT), paper_id="p", field="abstract")
    fill = nlp.get_pipe("paperkg_encoder").fill_score
    model = [m for m in mentions if m.rule == "model" and m.score != fill]
    assert len(model) >= 5
    assert all(0.0 < m.score <= 1.0 for m in mentions)
    assert len({m.score for m in model}) > 1
    assert all(ABSTRACT[m.start:m.end] == m.text for m in mentions)
    assert len({"BERT", "SQuAD", "ResNet-50", "COCO", "FAISS"} & {m.text for m in model}) >= 3


@needs_default
def test_encoder_round_trips_to_disk(nlp, tmp_path):
    nlp.to_disk(tmp_path / "pipe")
    again = load_pipeline(tmp_path / "pipe")
    assert again.pipe_names == nlp.pipe_names
    assert again.get_pipe("paperkg_encoder").min_score == nlp.get_pipe("paperkg_encoder").min_score
    assert _scored(again(ABSTRACT)) == _scored(nlp(ABSTRACT))


@needs_default
def test_encoder_output_is_deterministic(nlp):
    texts = [ABSTRACT, "Graph neural networks for molecule property prediction on QM9.", ""]
    first = [_scored(d) for d in nlp.pipe(texts)]
    assert first == [_scored(d) for d in nlp.pipe(list(reversed(texts)))][::-1]
    assert first == [_scored(nlp(t)) for t in texts]


@needs_default
def test_encoder_windows_run_at_once_give_what_one_at_a_time_gives(monkeypatch):
    texts = [ABSTRACT, "Graph neural networks for molecule property prediction on QM9.", "",
             " ".join([ABSTRACT] * 4)]  # a long text: several windows of one doc
    monkeypatch.setenv(THREADS_ENV, "1")
    alone = load_pipeline(DEFAULT)
    monkeypatch.setenv(THREADS_ENV, "3")
    together = load_pipeline(DEFAULT)
    assert together.get_pipe("paperkg_encoder")._concurrency == 3
    assert alone.get_pipe("paperkg_encoder")._concurrency == 1
    expected = [_scored(d) for d in alone.pipe(texts)]
    assert any(expected) and [_scored(d) for d in together.pipe(texts)] == expected


@needs_default
def test_encoder_threshold_drops_low_score_mentions(nlp):
    paper = Paper(id="p", title="Dense retrieval for open-domain question answering", abstract=ABSTRACT)
    (_, every), = extract(nlp, [paper], min_score=0.0)
    scores = sorted({m.score for m in every})
    cut = scores[len(scores) // 2]
    (_, kept), = extract(nlp, [paper], min_score=cut)
    assert kept and all(m.score >= cut for m in kept)
    assert len(kept) < len(every) and any(m.score < cut for m in every)
    (_, shipped), = extract(nlp, [paper])
    assert shipped and all(m.score > 0 for m in shipped)
    with pytest.raises(InputError):
        list(extract(nlp, [paper], min_score=1.5))


@needs_default
def test_encoder_long_text_gets_mentions_in_its_tail(nlp):
    filler = " ".join(["The weather was mild and the committee met on Tuesday to discuss budgets."] * 60)
    text = filler + " " + ABSTRACT
    enc = nlp.get_pipe("paperkg_encoder")
    assert len(enc._tokenizer.encode(text).ids) > 3 * enc.max_length
    doc = nlp(text)
    tail = [e for e in doc.ents if e.start_char >= len(filler)]
    assert len({"BERT", "SQuAD", "ResNet-50", "COCO", "FAISS"} & {e.text for e in doc.spans[SCORES_KEY]
                                                                 if e.start_char >= len(filler)}) >= 3
    assert tail
