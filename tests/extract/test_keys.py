"""Canonical concept keys, display labels and generic mentions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperkg.extract.concepts.generic import generic_kind, is_generic
from paperkg.extract.concepts.inflection import american, singular
from paperkg.extract.concepts.keys import compact_key, concept_key, display_label, strip_modifiers


@pytest.mark.parametrize(
    "variants",
    [
        ["Retrieval-Augmented Generation", "retrieval augmented generation", "Retrieval Augmented  Generation",
         "retrieval\u2011augmented generation", "the retrieval-augmented generation"],
        ["large language models", "Large Language Models", "large language model", "Large Language Model",
         "Large Language Models (LLMs)", "our large language models"],
        ["LLMs", "LLM", "the LLMs"],
        ["graph neural networks", "Graph Neural Networks", "graph-neural-network"],
        ["NeRFs", "NeRF"],
        ["GFlowNets", "GFlowNet"],
        ["Gaussian processes", "Gaussian process", "gaussian Processes"],
        ["policies", "policy"],
        ["hyperparameter optimisation", "hyperparameter optimization"],
        ["language modelling", "language modeling"],
        ["state-of-the-art LLMs", "State-of-the-art LLMs", "state of the art LLMs", "novel LLMs", "LLMs"],
        ["BERT model", "BERT", "the BERT model"],
        ["MATH dataset", "MATH"],
        ["ImageNet dataset", "ImageNet"],
        ["Marching Cubes algorithm", "Marching Cubes"],
        ["sketching technique", "sketching"],
        ["long chain of thoughts", "long chain of thought"],
        ["\uff2c\uff2c\uff2d", "LLM"],  # full-width letters (NFKC)
        ["RAG (retrieval-augmented generation)", "retrieval-augmented generation"],
        ["gradient descent (a)", "gradient descent (ii)", "gradient descent"],
        ["all-reduce", "All-Reduce", "allreduce"],
        ["pre-training objective", "pretraining objective", "pre training objective"],
    ],
)
def test_keys_variants_share_one_key(variants):
    keys = {compact_key(concept_key(v)) for v in variants}
    assert len(keys) == 1, keys
    assert keys != {""}


@pytest.mark.parametrize(
    "a, b",
    [
        ("ResNet-50", "ResNet-101"),
        ("GPT-4", "GPT-3.5"),
        ("GPT-4", "GPT-4o"),
        ("PaLM 2", "PaLM 2-L"),
        ("MATH", "math"),
        ("novel view synthesis", "view synthesis"),
        ("Fast R-CNN", "R-CNN"),
        ("robust PCA", "PCA"),
        ("genetic algorithm", "genetic"),
        ("Hidden Markov model", "Hidden Markov"),
        ("3D model", "3D"),
        ("diffusion model", "diffusion"),
        ("language model", "language"),
        ("multiple instance learning", "instance learning"),
        ("value function approach", "value function"),
    ],
)
def test_keys_different_concepts_stay_apart(a, b):
    assert concept_key(a) != concept_key(b)


@pytest.mark.parametrize(
    "text, key",
    [
        ("GPT-4", "GPT 4"),
        ("ResNet-50", "ResNet 50"),
        ("GPT-3.5", "GPT 3.5"),
        ("CFG++", "CFG++"),
        ("LLMs", "LLM"),
        ("Mixture of Experts", "mixture of expert"),
        ("systems of equations", "system of equation"),
        ("text-to-image models", "text to image model"),
        ("Transformers", "transformer"),
    ],
)
def test_keys_exact(text, key):
    assert concept_key(text) == key


@pytest.mark.parametrize(
    "word",
    ["analysis", "process", "gas", "bias", "class", "loss", "dynamics", "physics", "series",
     "mathematics", "data", "means", "species", "corpus", "thermodynamics", "genomics", "basis"],
)
def test_keys_singular_keeps_exceptions(word):
    assert singular(word) == word
    assert concept_key(f"the {word}") == word


@pytest.mark.parametrize(
    "plural, single",
    [("models", "model"), ("losses", "loss"), ("approaches", "approach"), ("matrices", "matrix"),
     ("strategies", "strategy"), ("analyses", "analysis"), ("biases", "bias"), ("boxes", "box"),
     ("hypotheses", "hypothesis"), ("criteria", "criterion"), ("LLMs", "LLM"), ("CNNs", "CNN"),
     ("caches", "cache"), ("TinyStories", "TinyStories")],
)
def test_keys_singular(plural, single):
    assert singular(plural) == single


@pytest.mark.parametrize(
    "british, us",
    [("optimisation", "optimization"), ("regularisers", "regularizers"), ("modelling", "modeling"),
     ("neighbours", "neighbors"), ("noise", "noise"), ("rise", "rise"), ("supervised", "supervised")],
)
def test_keys_american_spelling(british, us):
    assert american(british) == us


@pytest.mark.parametrize("text", ["", "   ", "the", "our novel", "(a)", "(ii)", "2023", "--", "a new"])
def test_keys_nothing_meaningful_is_empty(text):
    assert concept_key(text) == ""
    assert is_generic(text)


@pytest.mark.parametrize(
    "words, rest",
    [
        ("the proposed method", ["method"]),
        ("their existing approaches", ["approaches"]),
        ("Efficient Coarse-to-Fine Pruning", ["Efficient", "Coarse-to-Fine", "Pruning"]),
        ("efficient attention", ["attention"]),
        ("novel class discovery", ["novel", "class", "discovery"]),
        ("all-reduce", ["all-reduce"]),
    ],
)
def test_keys_strip_modifiers(words, rest):
    assert strip_modifiers(words.split()) == rest


@pytest.mark.parametrize(
    "text, sentence_initial, label",
    [
        ("  the   Graph Neural Networks ", False, "Graph Neural Networks"),
        ("Retrieval-augmented generation", True, "retrieval-augmented generation"),
        ("Retrieval-augmented generation", False, "Retrieval-augmented generation"),
        ("LLMs", True, "LLMs"),
        ("Monte Carlo Tree Search", True, "Monte Carlo Tree Search"),
        ("Q-learning", True, "Q-learning"),
        ("Large Language Models (LLMs)", False, "Large Language Models"),
        ("our novel ResNet-50", False, "ResNet-50"),
        ("\u201cself\u2013attention\u201d", False, "self-attention"),
    ],
)
def test_keys_display_label(text, sentence_initial, label):
    assert display_label(text, sentence_initial=sentence_initial) == label


def test_keys_compact_key_joins_spacing_variants():
    assert compact_key(concept_key("pre-training")) == compact_key(concept_key("pretraining"))
    assert compact_key(concept_key("GPT-4")) == compact_key(concept_key("GPT4"))
    assert compact_key(concept_key("MATH")) != compact_key(concept_key("math"))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("method", "vague"), ("framework", "vague"), ("the model", "vague"), ("this task", "vague"),
        ("existing approaches", "vague"), ("our approach", "vague"), ("the dataset", "vague"),
        ("baselines", "vague"), ("experiments", "vague"), ("extensive experiments", "vague"),
        ("state-of-the-art methods", "vague"), ("neural models", "vague"), ("deep learning methods", "umbrella"),
        ("training data", "vague"), ("machine learning", "umbrella"), ("Deep Learning", "umbrella"),
        ("AI", "umbrella"), ("generative AI", "umbrella"), ("neural networks", "umbrella"),
        ("ANNs", "umbrella"), ("deep neural networks", "umbrella"), ("generative models", "umbrella"),
        ("pre-training", "umbrella"), ("fine-tuning", "umbrella"), ("training", "umbrella"),
        ("BERT", ""), ("graph neural networks", ""), ("language models", ""),
        ("diffusion models", ""), ("retrieval-augmented generation", ""), ("synthetic data", ""),
        ("model selection", ""), ("MATH", ""),
    ],
)
def test_keys_generic_kind(text, kind):
    assert generic_kind(text) == kind
    assert is_generic(text) is bool(kind)


words = st.sampled_from(
    ["the", "Large", "language", "Models", "LLMs", "GPT-4", "ResNet-50", "novel", "of", "data",
     "analysis", "processes", "BERT", "model", "dataset", "(RAG)", "state-of-the-art", "a",
     "Retrieval-Augmented", "Marching", "Cubes", "algorithm", "for", "policies", "\u2013", "3D"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(words, max_size=6).map(" ".join))
def test_keys_idempotent(text):
    key = concept_key(text)
    assert concept_key(key) == key
    assert key == key.strip() and "  " not in key


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30))
def test_keys_idempotent_on_any_text(text):
    key = concept_key(text)
    assert concept_key(key) == key
    assert isinstance(display_label(text, sentence_initial=True), str)
