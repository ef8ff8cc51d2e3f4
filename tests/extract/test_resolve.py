"""Corpus-level resolution: acronyms, variants, generic drops, types, labels, thesaurus."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperkg.errors import InputError
from paperkg.extract.records import Mention, Paper
from paperkg.extract.concepts.resolve import RULES, resolve
from paperkg.extract.concepts.thesaurus import Thesaurus


def mention(paper: Paper, text: str, type: str = "METHOD", *, field: str = "abstract", nth: int = 0) -> Mention:
    """A mention of the ``nth`` occurrence of ``text`` in one field of ``paper``."""
    field_text = paper.text_of(field)
    start = -1
    for _ in range(nth + 1):
        start = field_text.index(text, start + 1)
    return Mention(paper.id, field, start, start + len(text), text, type, 1.0, "", "", "")


P1 = Paper(
    "p1",
    "Retrieval-Augmented Generation for LLMs",
    "Large Language Models (LLMs) often hallucinate. Retrieval-Augmented Generation (RAG) helps "
    "LLMs. We compare our method with the baselines on GPT-4 and GPT-3.5.",
)
P2 = Paper(
    "p2",
    "Better large language models",
    "We study large language models and RAG. LLMs with retrieval augmented generation help. "
    "Experiments use ResNet-50 and ResNet-101.",
)
P3 = Paper("p3", "A note on LLM", "An LLM is a large language model. Machine learning is broad.")


def corpus_mentions() -> list[Mention]:
    return [
        mention(P1, "Retrieval-Augmented Generation", field="title"),
        mention(P1, "LLMs", field="title"),
        mention(P1, "Large Language Models (LLMs)"),
        mention(P1, "Retrieval-Augmented Generation"),
        mention(P1, "LLMs", nth=1),
        mention(P1, "our method"),
        mention(P1, "the baselines"),
        mention(P1, "GPT-4"),
        mention(P1, "GPT-3.5"),
        mention(P2, "large language models", field="title"),
        mention(P2, "large language models"),
        mention(P2, "RAG"),
        mention(P2, "LLMs"),
        mention(P2, "retrieval augmented generation"),
        mention(P2, "Experiments"),
        mention(P2, "ResNet-50", "METHOD"),
        mention(P2, "ResNet-101", "METHOD"),
        mention(P3, "LLM", field="title"),
        mention(P3, "LLM"),
        mention(P3, "large language model", "TASK"),
        mention(P3, "Machine learning", "TASK"),
    ]


@pytest.fixture(scope="module")
def result():
    return resolve([P1, P2, P3], corpus_mentions())


def test_resolve_llm_variants_are_one_concept(result):
    info = result.concepts["large language model"]
    assert info.aliases == (
        "LLM", "LLMs", "Large Language Models (LLMs)", "large language model", "large language models",
    )
    assert info.label == "large language models"
    assert info.n_papers == 3
    assert {m.concept for m in result.mentions if "LLM" in m.text or "anguage" in m.text} == {"large language model"}


def test_resolve_rag_variants_are_one_concept(result):
    info = result.concepts["retrieval augmented generation"]
    assert set(info.aliases) == {"RAG", "Retrieval-Augmented Generation", "retrieval augmented generation"}
    assert info.label == "Retrieval-Augmented Generation"


@pytest.mark.parametrize(
    "surface, paper_id, rule",
    [
        ("LLMs", "p1", "abbreviation"),
        ("Large Language Models (LLMs)", "p1", "abbreviation"),
        ("LLMs", "p2", "corpus-acronym"),
        ("RAG", "p2", "corpus-acronym"),
        ("LLM", "p3", "corpus-acronym"),
        ("large language models", "p2", "key"),
        ("our method", "p1", "ignored-generic"),
        ("the baselines", "p1", "ignored-generic"),
        ("Experiments", "p2", "ignored-generic"),
        ("Machine learning", "p3", "ignored-generic"),
    ],
)
def test_resolve_merge_rules(result, surface, paper_id, rule):
    assert rule in {m.rule for m in result.merges if m.surface == surface and m.paper_id == paper_id}


def test_resolve_generic_mentions_dropped(result):
    texts = {m.text for m in result.mentions}
    assert not texts & {"our method", "the baselines", "Experiments", "Machine learning"}
    drops = {m.surface: m.detail for m in result.merges if m.rule == "ignored-generic"}
    assert drops["Machine learning"] == "umbrella" and drops["our method"] == "vague"


def test_resolve_versions_stay_apart(result):
    assert {"GPT 4", "GPT 3.5", "ResNet 50", "ResNet 101"} <= set(result.concepts)


def test_resolve_majority_type_and_counts(result):
    info = result.concepts["large language model"]
    assert info.type == "METHOD"
    assert info.type_counts == {"METHOD": 8, "TASK": 1}
    assert [m.type for m in result.mentions if m.text == "large language model"] == ["TASK"]


def test_resolve_type_tie_is_explained():
    paper = Paper("p", "ZorpNet", "ZorpNet and ZorpNet.")
    r = resolve([paper], [mention(paper, "ZorpNet", "TASK", field="title"), mention(paper, "ZorpNet", "DATASET")],
                spread=False)
    assert r.concepts["ZorpNet"].type == "DATASET"  # the corpus prior: as many DATASET as TASK, DATASET first
    assert r.concepts["ZorpNet"].type_counts == {"DATASET": 1, "TASK": 1}
    assert "tie" in r.concepts["ZorpNet"].type_evidence


def test_resolve_mentions_carry_concept_and_label(result):
    for m in result.mentions:
        assert m.concept in result.concepts
        assert m.label == result.concepts[m.concept].label
    assert len(result.mentions) == len(corpus_mentions()) - 4


def test_resolve_every_mention_explained(result):
    explained = {(m.surface, m.paper_id) for m in result.merges}
    assert all((m.text, m.paper_id) in explained for m in corpus_mentions())
    assert {m.rule for m in result.merges} <= set(RULES)
    assert result.merges == sorted(result.merges)


def ambiguous_corpus():
    papers = [
        Paper("a", "", "We use message passing (MP) on graphs."),
        Paper("b", "", "We propose Moment Probing (MP) for tuning."),
        Paper("c", "", "MP is fast."),
    ]
    mentions = [mention(papers[0], "MP"), mention(papers[1], "MP"), mention(papers[2], "MP"),
                mention(papers[0], "message passing"), mention(papers[1], "Moment Probing")]
    return papers, mentions


def test_resolve_ambiguous_acronym_stays_split_and_reported():
    r = resolve(*ambiguous_corpus())
    assert r.ambiguous_acronyms == {"MP": ["message passing", "moment probing"]}
    concept_of = {(m.paper_id, m.text): m.concept for m in r.mentions}
    assert concept_of["a", "MP"] == "message passing"
    assert concept_of["b", "MP"] == "moment probing"
    assert concept_of["c", "MP"] == "MP"


@pytest.mark.parametrize("n_major, resolved", [(3, True), (2, False)])
def test_resolve_dominant_expansion(n_major, resolved):
    papers = [Paper(f"d{i}", "", "We use message passing (MP).") for i in range(n_major)]
    papers += [Paper("e", "", "We use Moment Probing (MP)."), Paper("f", "", "MP again.")]
    r = resolve(papers, [mention(papers[-1], "MP")])
    assert (r.mentions[0].concept == "message passing") is resolved
    assert ("MP" in r.ambiguous_acronyms) is not resolved


def test_resolve_spelling_variants_merge():
    paper = Paper("p", "", "Pre-training objectives differ; the pretraining objective wins; pretraining objectives too.")
    r = resolve([paper], [mention(paper, "Pre-training objectives"), mention(paper, "pretraining objective"),
                          mention(paper, "pretraining objectives")])
    assert list(r.concepts) == ["pretraining objective"]
    assert {m.rule for m in r.merges if m.rule != "type"} == {"key", "spelling"}


def test_resolve_vague_long_form_keeps_short_form():
    paper = Paper("p", "", "We propose a simple method (SM). SM works.")
    r = resolve([paper], [mention(paper, "SM", nth=1)])
    assert list(r.concepts) == ["SM"]


def test_resolve_acronym_inside_longer_mention():
    paper = Paper("p", "", "An adversarial Markov Decision Process (MDP). Adversarial MDPs are hard.")
    r = resolve([paper], [mention(paper, "adversarial Markov Decision Process"), mention(paper, "Adversarial MDPs")])
    assert list(r.concepts) == ["adversarial markov decision process"]
    assert r.concepts["adversarial markov decision process"].label == "adversarial Markov Decision Process"


def test_resolve_versioned_acronym_not_expanded():
    paper = Paper("p", "", "Generative Pre-trained Transformer (GPT) models such as GPT-4.")
    r = resolve([paper], [mention(paper, "GPT-4")])
    assert list(r.concepts) == ["GPT 4"]


def test_resolve_thesaurus_replace_and_ignore(result):
    thesaurus = Thesaurus.from_pairs(
        [("large language models", "foundation models"), ("GPT-3.5", ""), ("our method", "RAG-Fusion")]
    )
    r = resolve([P1, P2, P3], corpus_mentions(), thesaurus=thesaurus)
    assert "large language model" not in r.concepts
    info = r.concepts["foundation model"]
    assert info.label == "foundation models"
    assert "LLMs" in info.aliases
    assert "GPT 3.5" not in r.concepts
    assert "RAG fusion" in r.concepts  # the thesaurus overrides the generic filter
    rules = {(m.surface, m.paper_id): m.rule for m in r.merges}
    assert rules["GPT-3.5", "p1"] == "thesaurus-ignore"
    assert rules["LLMs", "p2"] == "thesaurus"
    assert rules["our method", "p1"] == "thesaurus"


def test_resolve_deterministic_under_input_order():
    papers, mentions = [P1, P2, P3], corpus_mentions()
    first = resolve(papers, mentions)
    rng = random.Random(7)
    for _ in range(5):
        shuffled = mentions[:]
        rng.shuffle(shuffled)
        again = resolve(papers, shuffled)
        assert again == first
        reordered = resolve(papers[::-1], shuffled)
        assert reordered.concepts == first.concepts
        assert reordered.merges == first.merges
        assert sorted(reordered.mentions, key=repr) == sorted(first.mentions, key=repr)


def test_resolve_unknown_paper_is_an_error():
    with pytest.raises(InputError, match="unknown paper"):
        resolve([P1], [mention(P2, "RAG")])


def test_resolve_empty_corpus():
    r = resolve([], [])
    assert (r.mentions, r.concepts, r.merges, r.ambiguous_acronyms) == ([], {}, [], {})


def test_resolve_capitalised_word_short_form_stays_in_its_paper():
    papers = [Paper("a", "", "Adaptive Moment Estimation (Adam) trains. Adam is fast."),
              Paper("b", "", "Adam ran the study.")]
    r = resolve(papers, [mention(papers[0], "Adam", nth=1), mention(papers[1], "Adam")], spread=False)
    assert [m.concept for m in r.mentions] == ["adaptive moment estimation", "adam"]


def test_resolve_thesaurus_target_follows_acronyms():
    thesaurus = Thesaurus.from_pairs([("retrieval augmented generation", "LLMs")])
    r = resolve([P1, P2, P3], corpus_mentions(), thesaurus=thesaurus)
    assert "retrieval augmented generation" not in r.concepts
    assert "RAG" in r.concepts["large language model"].aliases
    assert r.concepts["large language model"].label == "large language models"


_WORDS = ["Large", "language", "models", "(LLMs)", "LLMs", "RAG", "(RAG)", "retrieval", "the",
          "Retrieval-Augmented", "Generation", "method", "(a)", "MP", "message", "passing", "(MP).",
          "GPT-4", "deep", "learning", "our", "dataset", "ImageNet", "."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=12), min_size=1, max_size=4),
       st.randoms(use_true_random=False))
def test_resolve_invariants_on_generated_corpora(abstracts, rng):
    papers = [Paper(f"p{i}", "", " ".join(words)) for i, words in enumerate(abstracts)]
    mentions = []
    for paper, words in zip(papers, abstracts):
        start = 0
        for word in words:  # every word is a mention
            mentions.append(Mention(paper.id, "abstract", start, start + len(word), word, "METHOD", 1.0, "", "", ""))
            start += len(word) + 1
    result = resolve(papers, mentions)
    for m in result.mentions:
        assert result.concepts[m.concept].label == m.label
    explained = {(r.surface, r.paper_id) for r in result.merges}
    assert all((" ".join(m.text.split()), m.paper_id) in explained for m in mentions)
    shuffled = mentions[:]
    rng.shuffle(shuffled)
    assert resolve(papers, shuffled) == result


@pytest.mark.parametrize(
    "one, two",
    [("AdaGrad", "Adagrad"), ("CIFAR 10", "cifar10"), ("gradient DIFFerences", "gradient difference")],
)
def test_resolve_case_space_and_plural_variants_are_one_concept(one, two):
    p1 = Paper("p1", "T", f"We use {one} here.")
    p2 = Paper("p2", "U", f"We use {two} there.")
    r = resolve([p1, p2], [mention(p1, one), mention(p2, two)])
    assert len(r.concepts) == 1
    assert {x.rule for x in r.merges} <= {"key", "spelling", "type"}


def test_resolve_variants_with_different_versions_stay_apart():
    p1 = Paper("p1", "T", "We use ResNet-50 and ResNet-101 and GPT-4 and GPT-3.5.")
    r = resolve([p1], [mention(p1, t) for t in ("ResNet-50", "ResNet-101", "GPT-4", "GPT-3.5")])
    assert len(r.concepts) == 4


def test_resolve_concepts_with_variant_labels_are_one():
    # "DSI" is expanded where the paper defines it and stays bare elsewhere; both
    # concepts would show the label "Semantic-Enhanced DSI model".
    p1 = Paper("p1", "T", "Differentiable Search Index (DSI) is new. A Semantic-Enhanced DSI model helps.")
    p2 = Paper("p2", "U", "The Semantic-Enhanced DSI model is good.")
    r = resolve([p1, p2], [mention(p1, "Semantic-Enhanced DSI model"), mention(p2, "Semantic-Enhanced DSI model")])
    assert len(r.concepts) == 1


def test_resolve_spreads_distinctive_forms_to_other_papers():
    papers = [Paper("a", "", "Diffusion models~ generate images with GSM8K prompts."),
              Paper("b", "", "We train diffusion models on GSM8K and clustering data."),
              Paper("c", "", "Clustering helps; RLHF too.")]
    found = [mention(papers[0], "Diffusion models~"), mention(papers[0], "GSM8K", "DATASET"),
             mention(papers[1], "clustering", "TASK"), mention(papers[0], "images", "DATASET")]
    r = resolve(papers, found)
    assert r.concepts["diffusion model"].n_papers == 2
    assert r.concepts["GSM8K"].n_papers == 2
    assert r.concepts["clustering"].n_papers == 1  # one plain word does not spread
    spread = [m for m in r.mentions if m.rule == "corpus-match"]
    assert {(m.paper_id, m.text, m.score) for m in spread} == {("b", "diffusion models", 0.0), ("b", "GSM8K", 0.0)}
    assert {(x.paper_id, x.surface) for x in r.merges if x.rule == "corpus-match"} == {
        ("b", "diffusion models"), ("b", "GSM8K")}
    assert resolve(papers, found, spread=False).concepts["diffusion model"].n_papers == 1
