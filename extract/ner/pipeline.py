"""The extractor seam: one spaCy pipeline, loaded once, turns papers into typed mentions.

Everything downstream (``graph``, ``exports``) sees only :class:`paperkg.extract.records.Mention`
records, so a better pipeline drops in here without touching them.

The pipeline's contract: after ``nlp(text)``, ``doc.ents`` holds the typed spans
(labels METHOD / DATASET / TASK), the sentence boundaries are set, and
:func:`span_score` gives each span's confidence. Two pipelines ship (:data:`MODELS`):
``default``, a fine-tuned MiniLM encoder run by onnxruntime with real scores, and ``fast``,
the CNN; both share the rule layer and the mention filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from paperkg.errors import InputError
from paperkg.extract.concepts.keys import concept_key, display_label
from paperkg.extract.records import FIELDS, TYPES, Mention, Paper

__all__ = ["MODEL_DIR", "MODELS", "MODELS_DIR", "doc_mentions", "extract", "load_pipeline",
           "min_score_of", "resolve_model", "span_score"]

#: Where the shipped, trained pipelines live inside the installed package.
MODELS_DIR = Path(__file__).parent / "models"

#: The shipped pipelines by name (docs/model_card.md): ``default`` is the fine-tuned MiniLM
#: encoder (int8 ONNX, scored mentions), ``fast`` the CNN tok2vec + NER.
MODELS: dict[str, Path] = {
    "default": MODELS_DIR / "default",
    "fast": MODELS_DIR / "fast",
}

#: The default pipeline's folder.
MODEL_DIR = MODELS["default"]


def resolve_model(model: str | Path = "default") -> Path:
    """Return the folder of a shipped pipeline name or of a pipeline path.

    Raises
    ------
    InputError
        For an unknown name (a string that is neither a shipped name nor an existing path)
        or a folder without a spaCy pipeline.
    """
    if isinstance(model, str) and model in MODELS:
        path = MODELS[model]
    else:
        path = Path(model)
        if isinstance(model, str) and not path.exists() and "/" not in model and "\\" not in model:
            raise InputError(f"unknown model {model!r}: use one of {', '.join(MODELS)} or a pipeline directory")
    if not (path / "config.cfg").is_file():
        raise InputError(
            f"no spaCy pipeline at {path}: pass a directory written by `python -m paperkg.extract.ner.train` "
            "or `python -m paperkg.extract.ner.assemble`"
        )
    return path


def load_pipeline(model: str | Path = "default", *, use_blis: bool = False) -> Language:
    """Load the extractor pipeline once; pass it to :func:`extract`.

    Parameters
    ----------
    model:
        A shipped pipeline by name (:data:`MODELS`: ``"default"``, the MiniLM encoder;
        ``"fast"``, the CNN), or a path to a pipeline directory written by ``nlp.to_disk``
        (for example one built by ``paperkg.extract.ner.train`` or ``paperkg.extract.ner.assemble``).
    use_blis:
        ``False`` (default) builds the pipeline's thinc models (the CNN of ``fast``) with
        ``NumpyOps`` routing matrix products through numpy (OpenBLAS) instead of blis: the same
        predictions, measured 1.6-1.9x faster on the project's 2-core AMD EPYC machine, where
        blis ran at ~25 GFLOP/s against numpy's ~70 (docs/model_card.md). ``True`` keeps
        thinc's default. It only applies while loading (``thinc.api.use_ops`` context), nothing
        global changes. The encoder runs in onnxruntime either way.

    Returns
    -------
    Language
        The loaded pipeline.

    Raises
    ------
    InputError
        For an unknown model name or a directory without a pipeline. Nothing is ever downloaded.
    """
    import spacy
    from thinc.api import get_current_ops, use_ops

    import paperkg.extract.ner.components  # noqa: F401  (registers paperkg's pipeline components)
    import paperkg.extract.ner.encoder  # noqa: F401

    path = resolve_model(model)
    try:
        skip = _before_rulers(path)
        if use_blis or get_current_ops().name != "numpy":
            nlp = spacy.load(path, disable=skip)
        else:
            with use_ops("numpy", use_blis=False):
                nlp = spacy.load(path, disable=skip)
    except InputError:
        raise
    except (Exception, RecursionError) as err:  # a damaged or foreign pipeline folder
        raise InputError(f"cannot load the pipeline at {path}: {_first_line(err)}") from None
    for name in skip:
        nlp.enable_pipe(name)
    return nlp


def _first_line(err: BaseException) -> str:
    """The first line of an error's message (spaCy's and confection's run over many)."""
    text = str(err).strip().splitlines()
    line = text[0] if text else type(err).__name__
    return line if len(line) <= 200 else line[:199] + "…"


#: Phrase attributes a ruler reads from the tokenizer alone (no pipe has to run first).
_TOKEN_ATTRS = {None, "ORTH", "TEXT", "LOWER", "NORM"}
_RULERS = {"span_ruler", "entity_ruler"}


def _before_rulers(path: Path) -> list[str]:
    """The enabled pipes before the first ruler, when no ruler needs them to compile its patterns.

    A ruler compiles its phrase patterns with every pipe before it (``nlp.pipe``): for the
    shipped pipelines that ran the encoder over ~3,000 phrases, 9 of the 10 s a load took.
    Their rulers match the tokenizer's ``LOWER`` / ``ORTH``, so those pipes are disabled
    while loading and enabled after: the same pipeline, loaded in a second.
    """
    from spacy.util import load_config

    nlp_cfg = load_config(path / "config.cfg")
    names = list(nlp_cfg["nlp"]["pipeline"])
    components = nlp_cfg["components"]
    rulers = [i for i, name in enumerate(names) if components[name].get("factory") in _RULERS]
    if not rulers or any(components[names[i]].get("phrase_matcher_attr") not in _TOKEN_ATTRS for i in rulers):
        return []
    disabled = set(nlp_cfg["nlp"].get("disabled", []))
    return [name for name in names[: rulers[0]] if name not in disabled]


def span_score(span) -> float:
    """Return the pipeline's confidence in a typed span, in (0, 1].

    With the encoder pipeline (``default``) it is the encoder's score of the span
    (:func:`paperkg.extract.ner.encoder.span_score`: the mean probability of the tags chosen
    for its tokens), and for a span the CNN or the rule layer added in the encoder's gaps the
    encoder's ``fill_score`` (their measured precision on the seed-gold dev set).
    The ``fast`` pipeline's greedy transition-based NER gives no confidence: 1.0.
    """
    from paperkg.extract.ner.encoder import span_score as encoder_score

    return encoder_score(span, default=1.0)


def min_score_of(nlp: Language) -> float:
    """Return the pipeline's default minimum mention score (its encoder's ``min_score``, else 0)."""
    for name, pipe in nlp.pipeline:
        if hasattr(pipe, "min_score") and hasattr(pipe, "fill_score"):
            return float(pipe.min_score)
    return 0.0


def doc_mentions(doc: Doc, *, paper_id: str, field: str) -> list[Mention]:
    """Return the typed mentions the pipeline found in ``doc`` (one field of one paper)."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in TYPES:
            continue
        key = concept_key(ent.text)
        if not key:
            continue
        mentions.append(
            Mention(
                paper_id=paper_id,
                field=field,
                start=ent.start_char,
                end=ent.end_char,
                text=ent.text,
                type=ent.label_,
                score=span_score(ent),
                sentence=ent.sent.text if doc.has_annotation("SENT_START") else doc.text,
                concept=key,
                label=display_label(ent.text),
                rule=ent.ent_id_ or "model",
            )
        )
    return mentions


def extract(
    nlp: Language,
    papers: Iterable[Paper],
    *,
    batch_size: int = 64,
    n_process: int = 1,
    min_score: float | None = None,
) -> Iterator[tuple[Paper, list[Mention]]]:
    """Run ``nlp`` over each paper's title and abstract; yield each paper with its mentions.

    Papers come back in input order, each as soon as its last field is done. Ids travel beside the texts
    (``nlp.pipe(..., as_tuples=True)``), so the results are plain records.

    Parameters
    ----------
    nlp:
        A pipeline from :func:`load_pipeline`.
    papers:
        The papers.
    batch_size, n_process:
        Passed to ``nlp.pipe``.
    min_score:
        ``None`` (default): the pipeline as shipped, its encoder keeping the spans that score at
        least its own threshold (:func:`min_score_of`, chosen on dev) and the CNN and rules
        filling the rest. A number ``t``: the encoder keeps its spans scoring at least ``t``, and
        only mentions scoring at least ``t`` (:func:`span_score`) are returned; the ones the CNN
        or the rules add score the encoder's ``fill_score``, so a ``t`` above it keeps only the
        encoder's confident spans. With ``fast`` every mention scores 1.0.

    Raises
    ------
    InputError
        If ``min_score`` is not a number in [0, 1].
    """
    if min_score is None:
        threshold, cfg = 0.0, {}
    elif isinstance(min_score, (int, float)) and 0.0 <= min_score <= 1.0:
        threshold = float(min_score)
        cfg = {name: {"min_score": threshold} for name, pipe in nlp.pipeline
               if hasattr(pipe, "min_score") and hasattr(pipe, "fill_score")}
    else:
        raise InputError(f"min_score must be a number from 0 to 1, not {min_score!r}")

    def texts() -> Iterator[tuple[str, tuple[Paper, str]]]:
        for paper in papers:
            for name in FIELDS:
                yield paper.text_of(name), (paper, name)

    mentions: list[Mention] = []
    for doc, (paper, name) in nlp.pipe(
        texts(), as_tuples=True, batch_size=batch_size, n_process=n_process, component_cfg=cfg
    ):
        mentions.extend(m for m in doc_mentions(doc, paper_id=paper.id, field=name)
                        if m.score >= threshold)
        if name == FIELDS[-1]:
            yield paper, mentions
            mentions = []
