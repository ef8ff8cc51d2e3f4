"""Clean labels and keys: bracket residue, tildes, dangling words, markup, citation names, metrics."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Span

from paperkg.extract.concepts.generic import generic_kind, parse_terms
from paperkg.extract.concepts.keys import concept_key, display_label
from paperkg.extract.concepts.resolve import resolve
from paperkg.extract.concepts.surface import clean_bounds, has_markup, is_citation_name, latex_accents
from paperkg.extract.ner.components import filter_mentions
from paperkg.extract.records import Mention, Paper


def clean(text: str) -> str:
    start, end = clean_bounds(text)
    return text[start:end]


@pytest.mark.parametrize("text, expected", [
    ("Diffusion models~", "Diffusion models"),
    ("Vision Transformers(ViT", "Vision Transformers"),
    ("Diffusion Exponential Integrator Sampler~(DEIS", "Diffusion Exponential Integrator Sampler"),
    ("Retrieval Augmented Generation) systems retrieve", "Retrieval Augmented Generation"),
    ("LV-HBA)-that", "LV-HBA"),
    ("Bidirectional Encoder Representations from", "Bidirectional Encoder Representations"),
    ("Masked Generative Modeling of", "Masked Generative Modeling"),
    ("sample efficient learning of the", "sample efficient learning"),
    ("of Experts", "Experts"),
    ("(ViT", "ViT"),
])
def test_clean_bounds_cuts_residue(text, expected):
    assert clean(text) == expected


@pytest.mark.parametrize("text", [
    "Large Language Models (LLMs)", "Mixture of Experts", "CIFAR-10", "GPT-3.5", "CFG++",
    "the SQuAD dataset", "text-to-image generation", "Q-learning", "k-means",
])
def test_clean_bounds_keeps_clean_names(text):
    assert clean_bounds(text) == (0, len(text))


def test_clean_bounds_nothing_left():
    assert clean("of the") == "" and clean(" ~ ") == ""


@pytest.mark.parametrize("text, markup", [
    ("64{times}64", True), ("mathcal{O}(Poly(d", True), ("D{=}1", True),
    ("H)/(varepsilon^2 N^{E", True), ("$x$-model", True),
    ('Schr\\"odinger bridge', False), ('na\\"ive gradient backpropagation', False),
    ("C++", False), ("GPT-4o", False), ("times series", False),
])
def test_has_markup(text, markup):
    assert has_markup(text) is markup


def test_latex_accents_and_key():
    assert latex_accents('Schr\\"odinger') == "Schrödinger"
    assert latex_accents("plain") == "plain"
    assert concept_key('Schr\\"odinger Bridges') == concept_key("Schrödinger bridge")
    assert display_label("Diffusion models~") == "Diffusion models"


@pytest.mark.parametrize("text, after, citation", [
    ("Barron", " [1993], this bounds", True),
    ("Rahimi and Recht", " (2007) show", True),
    ("Smith et al.", " show", True),
    ("Vaswani", " et al. introduced", True),
    ("Kingma", ", 2014", True),
    ("BERT", " [12] is", False),          # a numbered reference after a method name
    ("ImageNet", " [1993]", False),       # not a capitalised name word
    ("Barron", " norm of", False),        # no citation follows
    ("Monte Carlo Tree Search", " (MCTS)", False),
])
def test_is_citation_name(text, after, citation):
    assert is_citation_name(text, after) is citation


@pytest.mark.parametrize("text, kind", [
    ("FID", "metric"), ("BLEU-4", "metric"), ("ROUGE-L", "metric"), ("top-1 accuracy", "metric"),
    ("macro F1", "metric"), ("pass@1", "metric"), ("perplexity", "metric"), ("win rate", "metric"),
    ("CLIP score", "metric"), ("Fréchet Inception Distance", "metric"),
    ("FID-guided sampling", ""), ("BLEURT-style reranker", ""), ("CLIP", ""), ("recall-based retriever", ""),
    ("detection", "umbrella"), ("time series", "umbrella"), ("generalization", "umbrella"),
    ("object detection", ""), ("time series forecasting", ""), ("domain generalization", ""),
    ("mathematical reasoning", ""), ("reasoning", ""),
    ("differential equations", "object"), ("PDEs", "object"), ("learning rate", "object"),
    ("neural differential equations", ""), ("diffusion ODE", ""), ("learning rate annealing", ""),
    ("SDE", ""), ("Brownian motion", ""),
])
def test_generic_kind_metrics_objects_and_bare_umbrellas(text, kind):
    assert generic_kind(text) == kind


def test_parse_terms_rejects_unknown_sections():
    with pytest.raises(ValueError, match="unknown section"):
        parse_terms("[nope]\nx\n")
    with pytest.raises(ValueError, match="before any"):
        parse_terms("x\n")


def _doc_with(text: str, *spans: tuple[str, str]):
    nlp = spacy.blank("en")
    doc = nlp(text)
    ents = []
    for surface, label in spans:
        start = text.index(surface)
        ents.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = ents
    return doc


def test_filter_mentions_drops_residue_metrics_and_citation_names():
    text = "By Barron [1993] and 64{times}64 crops , FID of Masked Generative Modeling of images ."
    doc = _doc_with(text, ("Barron", "METHOD"), ("64{times}64", "DATASET"), ("FID", "METHOD"),
                    ("Masked Generative Modeling of", "METHOD"))
    assert [(e.text, e.label_) for e in filter_mentions(doc.ents)] == [
        ("Masked Generative Modeling", "METHOD")
    ]


def test_filter_mentions_keeps_a_token_it_cannot_cut():
    doc = _doc_with("We use Vision Transformers(ViT) here .", ("Vision Transformers(ViT", "METHOD"))
    assert [e.text for e in filter_mentions(doc.ents)] == ["Vision Transformers(ViT"]


def test_filter_mentions_takes_the_whole_hyphenated_compound_on_the_left_only():
    doc = _doc_with("Easy2Hard-Bench and self-attention in BERT-based models .",
                    ("Bench", "DATASET"), ("attention", "METHOD"), ("BERT", "METHOD"))
    assert [e.text for e in filter_mentions(doc.ents)] == ["Easy2Hard-Bench", "self-attention", "BERT"]


def test_filter_mentions_takes_the_whole_compound_a_span_cuts_after_a_hyphen():
    doc = _doc_with("An LLM-as-a-judge model and self-attention-based layers .",
                    ("LLM-as", "METHOD"), ("attention", "METHOD"))
    assert [e.text for e in filter_mentions(doc.ents)] == ["LLM-as-a-judge", "self-attention"]
    doc = _doc_with("A Hessian-free gradient-based algorithm-termed PLV .",
                    ("Hessian-free gradient-based algorithm", "METHOD"))
    assert [e.text for e in filter_mentions(doc.ents)] == ["Hessian-free gradient-based algorithm"]


def test_filter_mentions_joins_the_parts_of_one_compound_typed_by_the_last():
    doc = _doc_with("We release Easy2Hard-Bench today .", ("Easy2Hard", "METHOD"), ("Bench", "DATASET"))
    assert [(e.text, e.label_) for e in filter_mentions(doc.ents)] == [("Easy2Hard-Bench", "DATASET")]
    doc = _doc_with("We train Stable text-to-image models .",
                    ("Stable text", "TASK"), ("image models", "METHOD"))
    assert [(e.text, e.label_) for e in filter_mentions(doc.ents)] == [
        ("Stable text-to-image models", "METHOD")
    ]


def _mention(paper: Paper, text: str, type: str = "METHOD") -> Mention:
    start = paper.abstract.index(text)
    return Mention(paper.id, "abstract", start, start + len(text), text, type, 1.0, "", "", "")


def test_resolve_cuts_mentions_and_drops_residue():
    p1 = Paper("p1", "T", "Diffusion models~ work. We use Vision Transformers(ViT) and "
               "Barron [1993] bounds with 64{times}64 images and FID.")
    p2 = Paper("p2", "U", "We study diffusion models here.")
    r = resolve([p1, p2], [
        _mention(p1, "Diffusion models~"), _mention(p1, "Vision Transformers(ViT"),
        _mention(p1, "Barron"), _mention(p1, "64{times}64", "DATASET"), _mention(p1, "FID"),
        _mention(p2, "diffusion models"),
    ])
    assert sorted(r.concepts) == ["diffusion model", "vision transformer"]
    assert r.concepts["diffusion model"].n_papers == 2
    assert "~" not in r.concepts["diffusion model"].label
    assert r.concepts["vision transformer"].label == "Vision Transformers"
    for m in r.mentions:
        paper = {"p1": p1, "p2": p2}[m.paper_id]
        assert paper.abstract[m.start:m.end] == m.text
    drops = {(x.surface, x.detail) for x in r.merges if x.rule in ("ignored-residue", "ignored-generic")}
    assert drops == {("Barron", "citation"), ("64{times}64", "markup"), ("FID", "metric")}


def test_a_known_dataset_is_labelled_as_papers_with_code_writes_it():
    p1 = Paper("p1", "T", "We train on MNist and report results on MNist.")
    p2 = Paper("p2", "U", "Experiments on MNIST follow.")
    r = resolve([p1, p2], [*[_mention(p1, "MNist", "DATASET")] * 2, _mention(p2, "MNIST", "DATASET")])
    assert [c.label for c in r.concepts.values()] == ["MNIST"]


def test_mention_filter_reads_the_one_list_not_a_saved_copy(tmp_path):
    """A pipeline saved with an old terms.json copy loads, and filters with the package's list."""
    import json

    nlp = spacy.blank("en")
    nlp.add_pipe("paperkg_mention_filter")
    nlp.to_disk(tmp_path / "p")
    copy = tmp_path / "p" / "paperkg_mention_filter"
    copy.mkdir(exist_ok=True)
    (copy / "terms.json").write_text(json.dumps(["zorp"]))  # an old baked copy, ignored
    loaded = spacy.load(tmp_path / "p")
    doc = loaded.make_doc("We report FID of zorp models and the method with BERT .")
    doc.ents = [Span(doc, 2, 3, "METHOD"), Span(doc, 4, 6, "METHOD"), Span(doc, 7, 9, "METHOD"),
                Span(doc, 10, 11, "METHOD")]
    assert [e.text for e in loaded(doc).ents] == ["zorp models", "BERT"]
