"""Word forms for concept keys: singular nouns and American spellings.

:func:`paperkg.extract.concepts.keys.concept_key` uses these on case-folded words. English plurals follow
the usual suffix rules with an exception table: nouns that end in "s" but are singular
("analysis", "loss", "bias", "series", "dynamics", "k-means"), invariant "data", irregular
plurals ("matrices", "criteria", "hypotheses"). Acronyms and mixed-case names lose a plural
"s" after a capital or digit ("LLMs", "NeRFs") and "Nets" becomes "Net" ("GFlowNets").
British spellings become American: a small table ("behaviour", "modelling", "centre") and
the suffixes -isation / -iser.

Examples
--------
>>> singular("policies"), singular("LLMs"), singular("analysis"), american("optimisation")
('policy', 'LLM', 'analysis', 'optimization')
"""

from __future__ import annotations

__all__ = ["american", "singular"]

# Singular nouns that end in "s", words whose plural is irregular, and British spellings.
_INVARIANT = frozenset(
    "analysis basis process gas bias class loss series species news means lens chaos cosmos "
    "ethos kudos logos pathos atlas alias canvas bayes corpus virus status consensus census "
    "apparatus nexus radius focus modulus bonus plus minus thus this is was has its yes "
    "perhaps whereas less unless across always sometimes odds physics diabetes mathematics "
    "dynamics statistics economics robotics linguistics semantics pragmatics kinematics "
    "mechanics electronics optics informatics analytics ethics aesthetics acoustics "
    "photonics politics graphics logistics phonetics genetics cybernetics ergonomics "
    "forensics athletics humanities data".split()
)
_INVARIANT_SUFFIXES = ("omics", "ss", "us", "is", "ous", "dynamics", "physics", "statistics")
_IRREGULAR = {
    "criteria": "criterion", "phenomena": "phenomenon", "indices": "index",
    "matrices": "matrix", "vertices": "vertex", "simplices": "simplex", "apices": "apex",
    "hypotheses": "hypothesis", "analyses": "analysis", "syntheses": "synthesis",
    "theses": "thesis", "diagnoses": "diagnosis", "crises": "crisis", "axes": "axis",
    "parentheses": "parenthesis", "ellipses": "ellipsis", "children": "child",
    "people": "person", "men": "man", "women": "woman", "mice": "mouse", "teeth": "tooth",
    "feet": "foot", "geese": "goose", "lemmata": "lemma", "schemata": "schema",
    "formulae": "formula", "spectra": "spectrum", "optima": "optimum", "maxima": "maximum",
    "minima": "minimum", "curricula": "curriculum", "corpora": "corpus", "stimuli": "stimulus",
    "radii": "radius", "foci": "focus", "nuclei": "nucleus", "leaves": "leaf",
    "halves": "half", "shelves": "shelf", "knives": "knife", "lives": "life",
    "wolves": "wolf", "selves": "self", "biases": "bias", "gases": "gas", "buses": "bus",
    "viruses": "virus", "statuses": "status", "caches": "cache", "niches": "niche",
    "heroes": "hero", "potatoes": "potato", "tomatoes": "tomato", "echoes": "echo",
    "vetoes": "veto", "quizzes": "quiz", "movies": "movie", "cookies": "cookie",
    "zombies": "zombie", "ties": "tie", "lies": "lie", "dies": "die", "pies": "pie",
}
_BRITISH = {
    "behaviour": "behavior", "colour": "color", "neighbour": "neighbor",
    "neighbourhood": "neighborhood", "favour": "favor", "labour": "labor",
    "vapour": "vapor", "flavour": "flavor", "centre": "center", "metre": "meter",
    "fibre": "fiber", "modelling": "modeling", "modelled": "modeled", "labelling": "labeling",
    "labelled": "labeled", "signalling": "signaling", "travelling": "traveling",
    "cancelling": "canceling", "tunnelling": "tunneling", "levelling": "leveling",
    "analyse": "analyze", "catalogue": "catalog", "dialogue": "dialog", "programme": "program",
}


def singular(word: str) -> str:
    """Return the singular of one word of a key (already case-folded by :func:`fold_case`).

    Acronyms and mixed-case names lose a plural "s" after an upper-case letter or digit
    ("LLMs", "NeRFs") and "Nets" becomes "Net" ("GFlowNets"); lower-case words follow
    English rules with an exception table.

    Examples
    --------
    >>> [singular(w) for w in ["models", "LLMs", "GFlowNets", "policies", "losses",
    ...                        "approaches", "matrices", "analysis", "dynamics", "data"]]
    ... # doctest: +NORMALIZE_WHITESPACE
    ['model', 'LLM', 'GFlowNet', 'policy', 'loss', 'approach', 'matrix', 'analysis',
     'dynamics', 'data']
    >>> [singular(w) for w in ["TinyStories", "bias", "series", "means", "GPT"]]
    ['TinyStories', 'bias', 'series', 'means', 'GPT']
    """
    if word != word.casefold():  # acronym or mixed-case name
        if len(word) > 2 and word.endswith("s") and (word[-2].isupper() or word[-2].isdigit()):
            return word[:-1]
        if word.endswith("Nets"):
            return word[:-1]
        return word
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if len(word) <= 3 or not word.endswith("s") or not word[:-1].isalpha():
        return word
    if word in _INVARIANT or word.endswith(_INVARIANT_SUFFIXES):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def american(word: str) -> str:
    """Return the American spelling of a lower-case word.

    Examples
    --------
    >>> [american(w) for w in ["optimisation", "modelling", "behaviours", "noise", "supervised"]]
    ['optimization', 'modeling', 'behaviors', 'noise', 'supervised']
    """
    if word in _BRITISH:
        return _BRITISH[word]
    if word.endswith("s") and word[:-1] in _BRITISH:
        return _BRITISH[word[:-1]] + "s"
    for british, american in (("isation", "ization"), ("isations", "izations"),
                              ("iser", "izer"), ("isers", "izers")):
        if word.endswith(british) and len(word) > len(british) + 2:
            return word[: -len(british)] + american
    return word
