"""Plain records that cross every seam of paperkg: papers and the mentions found in them.

They hold only strings, numbers and tuples, so they pickle, compare and hash, and can
cross process boundaries (``nlp.pipe(n_process=...)``).

Examples
--------
>>> p = Paper(id="p1", title="BERT for QA", abstract="We fine-tune BERT on SQuAD.")
>>> m = Mention(paper_id="p1", field="abstract", start=13, end=17, text="BERT",
...             type="METHOD", score=1.0, sentence="We fine-tune BERT on SQuAD.",
...             concept="BERT", label="BERT")
>>> p.text_of(m.field)[m.start:m.end] == m.text
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["FIELDS", "TYPES", "Mention", "Paper", "Source"]

#: The concept types paperkg extracts, in display order.
TYPES: tuple[str, ...] = ("METHOD", "DATASET", "TASK")
#: The paper fields mentions point into.
FIELDS: tuple[str, ...] = ("title", "abstract")


@dataclass(frozen=True, order=True)
class Source:
    """Where a paper was read: a file name, the record's position in it, and the page date."""

    file: str
    line: int
    date: str = ""


@dataclass(frozen=True)
class Paper:
    """One paper: its stable id, text exactly as given, and where it came from.

    ``date`` is the publication date as ISO ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY``) when
    a source gives one, else the earliest page date ("Mar 14") or the record's ``date``
    field; ``url`` is the record's own link when it had one; ``code_urls`` are
    code-repository URLs found in the abstract. ``authors`` (display names, in order),
    ``venue`` (journal, proceedings or arXiv's journal reference), ``categories`` (arXiv
    categories, keywords, topics) and ``ids`` (normalised ``"scheme:value"`` identifiers:
    ``doi:…``, ``arxiv:…``, ``openalex:…``, ``s2:…``, see
    :mod:`paperkg.extract.read.ids`) come from bibliographic sources and are empty otherwise.
    """

    id: str
    title: str
    abstract: str
    date: str = ""
    url: str = ""
    sources: tuple[Source, ...] = ()
    code_urls: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    venue: str = ""
    categories: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()

    def text_of(self, field_name: str) -> str:
        """Return the text of ``field_name`` ("title" or "abstract")."""
        if field_name == "title":
            return self.title
        if field_name == "abstract":
            return self.abstract
        raise KeyError(f"unknown paper field {field_name!r}; known: {', '.join(FIELDS)}")


@dataclass(frozen=True)
class Mention:
    """A typed mention of a concept in one field of one paper.

    ``start``/``end`` are character offsets into that field's text exactly as given,
    so ``paper.text_of(field)[start:end] == text``. ``concept`` is the canonical key
    (see :func:`paperkg.extract.concepts.keys.concept_key`) and ``label`` its display label.
    """

    paper_id: str
    field: str
    start: int
    end: int
    text: str
    type: str
    score: float
    sentence: str
    concept: str
    label: str
    rule: str = field(default="model", compare=False)
