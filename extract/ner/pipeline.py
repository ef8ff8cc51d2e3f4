"""The extractor seam: one spaCy pipeline, loaded once, turns papers into typed mentions.

Everything downstream (``graph``, ``exports``) sees only :class:`paperkg.extract.records.Mention`
records, so a better pipeline drops in here without touching them.

The pipeline's contract: after ``nlp(text)``, ``doc.ents`` holds the typed spans
(labels METHOD / DATASET / TASK), the sentence boundaries are set, and
:func:`span_score` gives each span's confidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from paperkg.errors import InputError
from paperkg.extract.concepts.keys import concept_key, display_label
from paperkg.extract.records import FIELDS, TYPES, Mention, Paper

__all__ = ["MODEL_DIR", "doc_mentions", "extract", "load_pipeline", "span_score"]

#: Where the shipped, trained pipeline lives inside the installed package.
MODEL_DIR = Path(__file__).parent / "model"


def load_pipeline(model: str | Path = "default", *, use_blis: bool = False) -> Language:
    """Load the extractor pipeline once; pass it to :func:`extract`.

    Parameters
    ----------
    model:
        ``"default"`` for the pipeline shipped in the package, or a path to a pipeline
        directory written by ``nlp.to_disk`` (for example one trained by ``paperkg.extract.ner.train``).
    use_blis:
        ``False`` (default) builds the pipeline's CPU models with thinc's ``NumpyOps`` routing
        matrix products through numpy (OpenBLAS) instead of blis: the same predictions,
        measured 1.6-1.9x faster on the project's 2-core AMD EPYC machine, where blis ran at
        ~25 GFLOP/s against numpy's ~70 (docs/model_card.md). ``True`` keeps thinc's default.
        It only applies while loading (``thinc.api.use_ops`` context), nothing global changes.

    Returns
    -------
    Language
        The loaded pipeline.

    Raises
    ------
    InputError
        If the pipeline directory does not exist. Nothing is ever downloaded.
    """
    import spacy
    from thinc.api import get_current_ops, use_ops

    import paperkg.extract.ner.components  # noqa: F401  (registers paperkg's pipeline components)

    path = MODEL_DIR if str(model) == "default" else Path(model)
    if not (path / "config.cfg").is_file():
        raise InputError(
            f"no spaCy pipeline at {path}: pass a directory written by `python -m paperkg.extract.ner.train`"
        )
    if use_blis or get_current_ops().name != "numpy":
        return spacy.load(path)
    with use_ops("numpy", use_blis=False):
        return spacy.load(path)


def span_score(span) -> float:
    """Return the pipeline's confidence in a typed span (1.0 when it gives none).

    The shipped NER is spaCy's greedy transition-based parser and the rule layer matches
    exactly, so neither gives a calibrated confidence: every span scores 1.0. A pipeline
    with scored spans (a beam NER, a span categorizer) plugs its scores in here.
    """
    return 1.0


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

    Mentions scoring below ``min_score`` are dropped (``None``: the pipeline's own default,
    ``nlp.meta["min_score"]``, or keep all when it names none).

    Papers come back in input order, each as soon as its last field is done. Ids travel beside the texts
    (``nlp.pipe(..., as_tuples=True)``), so the results are plain records.
    """
    def texts() -> Iterator[tuple[str, tuple[Paper, str]]]:
        for paper in papers:
            for name in FIELDS:
                yield paper.text_of(name), (paper, name)

    threshold = nlp.meta.get("min_score", 0.0) if min_score is None else min_score
    mentions: list[Mention] = []
    for doc, (paper, name) in nlp.pipe(
        texts(), as_tuples=True, batch_size=batch_size, n_process=n_process
    ):
        mentions.extend(
            m for m in doc_mentions(doc, paper_id=paper.id, field=name) if m.score >= threshold
        )
        if name == FIELDS[-1]:
            yield paper, mentions
            mentions = []
