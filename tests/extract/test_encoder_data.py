"""Training data of the encoder extractor: seed-gold projection, BIO tags, windows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from paperkg.extract.ner.encoder_data import (
    LABELS,
    Example,
    bio_tags,
    project_concepts,
    record_example,
    seed_example,
    windows,
)


def concept(name, *aliases, type_="METHOD"):
    return {"name": name, "aliases": list(aliases), "type": type_, "core": False}


def texts(text, spans):
    return [(text[s:e], label) for s, e, label in spans]


# --- projection of document-level concepts onto the text -------------------------------------

def test_every_occurrence_case_insensitive():
    text = "Transformers beat RNNs. A transformer is fast; TRANSFORMER wins."
    spans = project_concepts(text, [concept("transformer", "Transformers")])
    assert texts(text, spans) == [
        ("Transformers", "METHOD"), ("transformer", "METHOD"), ("TRANSFORMER", "METHOD")]


def test_word_boundaries():
    text = "GANs and organ donors; a GAN-based model; GANomaly."
    spans = project_concepts(text, [concept("generative adversarial network", "GAN", "GANs")])
    assert texts(text, spans) == [("GANs", "METHOD"), ("GAN", "METHOD")]


def test_longest_form_first_and_no_overlap():
    text = "We study graph neural networks, unlike neural networks."
    spans = project_concepts(text, [
        concept("neural networks"),
        concept("graph neural networks", type_="TASK"),
    ])
    assert texts(text, spans) == [("graph neural networks", "TASK"), ("neural networks", "METHOD")]


def test_spans_sorted_and_types_kept():
    text = "ImageNet classification with ResNet on ImageNet."
    spans = project_concepts(text, [
        concept("ResNet"),
        concept("ImageNet", type_="DATASET"),
        concept("ImageNet classification", type_="TASK"),
    ])
    assert spans == sorted(spans)
    assert texts(text, spans) == [
        ("ImageNet classification", "TASK"), ("ResNet", "METHOD"), ("ImageNet", "DATASET")]


def test_forms_with_regex_characters_and_empty_aliases():
    text = "C++ and A* search (A*) beat C."
    spans = project_concepts(text, [concept("A* search", "A*", ""), concept("C++")])
    assert texts(text, spans) == [("C++", "METHOD"), ("A* search", "METHOD"), ("A*", "METHOD")]


def test_seed_example_places_title_and_abstract():
    record = {"title": "BERT for NER", "abstract": "We apply BERT. It works.",
              "concepts": [concept("BERT"), concept("named entity recognition", "NER", type_="TASK")]}
    ex = seed_example(record, "p1")
    assert ex.text == "BERT for NER\n\nWe apply BERT. It works."
    assert texts(ex.text, ex.spans) == [("BERT", "METHOD"), ("NER", "TASK"), ("BERT", "METHOD")]
    assert ex.sent_starts == (0, 14, 29)


def test_record_example_maps_and_flattens():
    record = {"doc_key": "d", "sentences": [["Deep", "Q", "networks", "play", "Atari"]],
              "ner": [[[0, 2, "Method"], [1, 1, "Method"], [4, 4, "Dataset"], [3, 3, "Metric"]]]}
    ex = record_example(record, {"Method": "METHOD", "Dataset": "DATASET"})
    assert texts(ex.text, ex.spans) == [("Deep Q networks", "METHOD"), ("Atari", "DATASET")]


# --- BIO tags and windows ------------------------------------------------------------------

def test_bio_tags_mark_every_wordpiece():
    # "resnet" -> "res" "##net"; a wordpiece belongs to the span it starts in
    offsets = [(0, 2), (3, 6), (6, 9), (10, 12), (13, 18)]
    assert bio_tags(offsets, [(3, 9, "METHOD"), (13, 18, "DATASET")]) == [
        "O", "B-METHOD", "I-METHOD", "O", "B-DATASET"]


@dataclass
class _Encoding:
    ids: list[int]
    offsets: list[tuple[int, int]]


class PieceTokenizer:
    """Whitespace words cut into pieces of at most 3 characters; id = 1000 + piece length."""

    def encode(self, text, add_special_tokens=False):
        ids, offsets, pos = [], [], 0
        for word in text.split():
            start = text.index(word, pos)
            for a in range(start, start + len(word), 3):
                b = min(a + 3, start + len(word))
                ids.append(1000 + b - a)
                offsets.append((a, b))
            pos = start + len(word)
        return _Encoding(ids, offsets)


def tags_of(window):
    return [LABELS[i] for i in window.labels[1:-1]]


def test_windows_pack_whole_sentences():
    text = "aa bb. cc dd. ee ff."
    ex = Example("k", text, (0, 7, 14), ((3, 5, "TASK"), (17, 19, "METHOD")))
    wins = windows(ex, PieceTokenizer(), max_length=6)  # room for 4 pieces: 2 sentences of 2
    assert [len(w.input_ids) for w in wins] == [6, 4]
    assert all(w.input_ids[0] == 101 and w.input_ids[-1] == 102 for w in wins)
    assert all(w.labels[0] == w.labels[-1] == -100 for w in wins)
    assert tags_of(wins[0]) == ["O", "B-TASK", "O", "O"]
    assert tags_of(wins[1]) == ["O", "B-METHOD"]


def test_long_sentence_is_split_and_restarts_with_b():
    text = "abcdefghijkl xyz"  # 4 + 1 pieces, one sentence
    ex = Example("k", text, (0,), ((0, 12, "METHOD"),))
    wins = windows(ex, PieceTokenizer(), max_length=5)  # room for 3
    assert [tags_of(w) for w in wins] == [
        ["B-METHOD", "I-METHOD", "I-METHOD"], ["B-METHOD", "O"]]
    assert sum(len(w.input_ids) - 2 for w in wins) == 5


def test_windows_with_a_wordpiece_tokenizer():
    tokenizers = pytest.importorskip("tokenizers")
    from tokenizers import models, normalizers, pre_tokenizers

    vocab = {t: i for i, t in enumerate(
        ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "we", "use", "res", "##net", "on", "image", "##net", "."])}
    tok = tokenizers.Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    text = "We use ResNet on ImageNet."
    ex = Example("k", text, (0,), ((7, 13, "METHOD"), (17, 25, "DATASET")))
    (win,) = windows(ex, tok, cls_id=2, sep_id=3)
    pieces = [tok.id_to_token(i) for i in win.input_ids]
    assert pieces == ["[CLS]", "we", "use", "res", "##net", "on", "image", "##net", ".", "[SEP]"]
    assert tags_of(win) == [
        "O", "O", "B-METHOD", "I-METHOD", "O", "B-DATASET", "I-DATASET", "O"]
