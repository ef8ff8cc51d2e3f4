"""Generic mentions: surface forms that never become concepts.

Two kinds, following the seed-gold guidelines (``GUIDELINES.md``, "Excluded"):

* **vague** -- a vague noun, alone or after generic modifiers: "method", "the model",
  "this task", "existing approaches", "our approach", "the dataset", "baselines",
  "extensive experiments", "deep learning models", "training data";
* **umbrella** -- a field-wide umbrella term: machine learning, deep learning, AI, generative
  AI, bare neural network(s) (also ANN, DNN, deep neural networks), bare generative models,
  and bare pretraining, fine-tuning or training.

Both are judged on the concept key (:func:`paperkg.extract.concepts.keys.concept_key`), so determiners,
evaluatives, case, hyphens and plurals do not matter. A mention that is more specific than
its generic head stays ("graph neural network", "language model", "diffusion model").
:mod:`paperkg.extract.concepts.resolve` treats the kinds differently in one place: a short form defined by a
vague long form ("our method (OM)") keeps its own name.

Examples
--------
>>> [is_generic(t) for t in ["the model", "existing approaches", "Deep Learning", "LLMs"]]
[True, True, True, False]
>>> generic_kind("neural networks"), generic_kind("our framework"), generic_kind("BERT")
('umbrella', 'vague', '')
"""

from __future__ import annotations

from paperkg.extract.concepts.keys import concept_key

__all__ = ["GENERIC_MODIFIERS", "UMBRELLA_TERMS", "VAGUE_HEADS", "generic_kind", "is_generic"]

#: Nouns too vague to be a concept on their own (singular, as keys).
VAGUE_HEADS: frozenset[str] = frozenset(
    """
    method approach framework model algorithm technique system task problem dataset data
    benchmark baseline experiment result performance architecture network module
    component strategy scheme procedure pipeline tool toolkit solution paper work study
    setting application domain feature representation objective function mechanism
    process paradigm variant extension implementation agent formulation design idea
    analysis evaluation metric measure score challenge issue technology library platform
    resource collection set sample instance input output prediction estimate estimator
    learner classifier predictor solver backbone layer block operation parameter
    hyperparameter theory principle step stage phase unit property quality accuracy
    efficiency effectiveness improvement advance advancement capability ability
    alternative counterpart case example scenario condition configuration version family
    class category type kind form structure goal aim way means manner practice research
    field area topic literature survey overview
    """.split()
)
#: Modifiers that leave a vague head vague ("deep learning models", "training data").
GENERIC_MODIFIERS: frozenset[str] = frozenset(
    [
        "deep learning", "machine learning", "learning based", "data driven", "neural", "deep",
        "baseline", "prior", "previous", "standard", "traditional", "conventional", "classical",
        "typical", "alternative", "general", "simple", "generic", "specific", "overall", "final",
        "underlying", "corresponding", "resulting", "original", "benchmark", "real world",
        "large scale", "public", "publicly available", "downstream", "training", "test",
        "testing", "evaluation", "learning", "AI", "ML", "DL", "pre trained", "pretrained",
        "trained", "base", "key", "main", "extensive", "comprehensive", "empirical", "numerical",
        "theoretical", "thorough", "experimental", "additional", "further", "same", "similar",
        "related", "relevant", "prior art", "competing", "comparable", "two", "three", "four",
        "multiple", "single", "several", "various", "diverse", "reference", "target", "source",
        "proposed", "computational", "statistical", "mathematical", "model", "optimization",
        "existing", "current",
    ]
)
#: Field-wide umbrella terms, as written; compared by key.
UMBRELLA_TERMS: tuple[str, ...] = (
    "machine learning", "deep learning", "artificial intelligence", "AI", "generative AI",
    "GenAI", "ML", "DL", "neural network", "artificial neural network", "ANN",
    "deep neural network", "DNN", "neural net", "deep network", "generative model",
    "deep generative model", "pretraining", "pre-training", "fine-tuning", "finetuning",
    "training", "model training", "learning", "deep learning model", "AI model",
)

_UMBRELLA_KEYS = frozenset(concept_key(term) for term in UMBRELLA_TERMS)


def generic_kind(text: str) -> str:
    """Return "umbrella", "vague" or "" (not generic) for a surface form.

    Parameters
    ----------
    text:
        A surface form or a concept key.

    Returns
    -------
    str
        "umbrella" for an umbrella term, "vague" for a vague noun (also for text with no key
        at all, such as "the" or "novel"), "" otherwise.

    Examples
    --------
    >>> [generic_kind(t) for t in ["AI", "fine-tuning", "state-of-the-art methods", "novel"]]
    ['umbrella', 'umbrella', 'vague', 'vague']
    >>> [generic_kind(t) for t in ["graph neural networks", "diffusion model", "MATH"]]
    ['', '', '']
    """
    key = concept_key(text)
    if not key:
        return "vague"
    if key in _UMBRELLA_KEYS:
        return "umbrella"
    words = key.split(" ")
    while words:
        for n in (3, 2, 1):
            if len(words) > n and " ".join(words[:n]) in GENERIC_MODIFIERS:
                words = words[n:]
                break
        else:
            break
    if len(words) == 1 and words[0] in VAGUE_HEADS:
        return "vague"
    if " ".join(words) in _UMBRELLA_KEYS:
        return "umbrella"
    return ""


def is_generic(text: str) -> bool:
    """Return whether a surface form is generic and never becomes a concept.

    Examples
    --------
    >>> [is_generic(t) for t in ["method", "this task", "our approach", "the dataset",
    ...                          "baselines", "experiments", "machine learning"]]
    [True, True, True, True, True, True, True]
    >>> [is_generic(t) for t in ["ResNet-50", "retrieval-augmented generation", "language models"]]
    [False, False, False]
    """
    return bool(generic_kind(text))
