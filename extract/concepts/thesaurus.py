"""A user thesaurus: merge or ignore concepts by hand, in the spirit of VOSviewer.

The file is CSV or TSV with a header row naming the columns ``label`` and ``replace by``
(any case, any order; other columns are ignored). Each row maps a term to its replacement;
an empty ``replace by`` means the term is ignored. Terms are compared by concept key
(:func:`paperkg.extract.concepts.keys.concept_key`) with spaces removed, so "LLMs", "large-language models"
and "Large Language Model" all name the same row. The delimiter is a tab for ``.tsv`` /
``.tab`` files, a comma for ``.csv``, and otherwise whichever of the two the header holds.

A row without its ``replace by`` cell counts as empty. Replacements are followed through
chains (a -> b, b -> c gives a -> c); a cycle is an error.

Examples
--------
>>> t = Thesaurus.from_pairs([("LLMs", "large language models"), ("our method", "")])
>>> t.lookup("LLM")
('large language model', 'large language models')
>>> t.lookup("Our Methods")
('', '')
>>> t.lookup("BERT") is None
True
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.errors import InputError
from paperkg.extract.concepts.keys import compact_key, concept_key, display_label

__all__ = ["Thesaurus", "load_thesaurus"]

_LABEL = "label"
_REPLACE = "replace by"


@dataclass(frozen=True)
class Thesaurus:
    """Term -> replacement, keyed by compact concept key.

    ``entries`` maps the compact key of a term (:func:`paperkg.extract.concepts.keys.compact_key`) to the
    pair ``(replacement key, replacement label)``, both "" when the term is ignored.
    """

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def from_pairs(
        cls, pairs: Iterable[tuple[str, str]], *, source: str = "thesaurus"
    ) -> Thesaurus:
        """Build a thesaurus from ``(label, replace_by)`` pairs ("" replacement: ignore).

        Parameters
        ----------
        pairs:
            Terms and replacements, as a user writes them.
        source:
            Named in error messages.

        Raises
        ------
        InputError
            On a term with no key, a term given two different replacements, or a cycle.

        Examples
        --------
        >>> Thesaurus.from_pairs([("NNs", "neural nets"), ("neural net", "ANN")]).lookup("NN")
        ('ANN', 'ANN')
        """
        direct: dict[str, tuple[str, str]] = {}
        for label, replace_by in pairs:
            key = concept_key(label)
            if not key:
                raise InputError(f"{source}: term {label!r} has no usable words")
            target = ("", "")
            if replace_by.strip():
                target = (concept_key(replace_by), display_label(replace_by))
            if replace_by.strip() and not target[0]:
                raise InputError(f"{source}: replacement {replace_by!r} has no usable words")
            name = compact_key(key)
            if name in direct and direct[name] != target:
                raise InputError(f"{source}: term {label!r} is given two different replacements")
            if target[0] and compact_key(target[0]) == name:
                continue  # a term replaced by itself changes nothing
            direct[name] = target
        # Follow each chain to its end once: every term on it gets that end (linear time
        # however long the chains).
        entries: dict[str, tuple[str, str]] = {}
        for name in direct:
            chain, step = [], name
            while step not in entries:
                chain.append(step)
                target = direct[step]
                following = compact_key(target[0]) if target[0] else ""
                if following not in direct:
                    end = target
                    break
                if following in chain:
                    raise InputError(f"{source}: replacements form a cycle through {target[1]!r}")
                step = following
            else:
                end = entries[step]
            for term in chain:
                entries[term] = end
        return cls(entries=dict(sorted(entries.items())))

    def lookup(self, text: str) -> tuple[str, str] | None:
        """Return ``(key, label)`` of the replacement of ``text``, ``("", "")`` to ignore it,
        or None when the thesaurus does not mention it. ``text`` may be a surface form or a key.
        """
        key = concept_key(text)
        return self.entries.get(compact_key(key)) if key else None

    def __len__(self) -> int:
        return len(self.entries)


def _delimiter(path: Path, header: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".tab"):
        return "\t"
    if suffix == ".csv":
        return ","
    return "\t" if "\t" in header else ","


def load_thesaurus(path: str | Path) -> Thesaurus:
    """Read a thesaurus file (CSV or TSV with a ``label`` / ``replace by`` header).

    Parameters
    ----------
    path:
        The file. Its suffix (``.csv``, ``.tsv``) or its header line picks the delimiter.

    Returns
    -------
    Thesaurus

    Raises
    ------
    InputError
        With a one-line message when the file is missing, unreadable, empty, has no
        ``label`` and ``replace by`` columns, or has a malformed row.

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "thesaurus.tsv")
    ...     rows = "label\\treplace by\\nLLMs\\tlarge language models\\nbaseline\\t\\n"
    ...     _ = open(p, "w").write(rows)
    ...     t = load_thesaurus(p)
    >>> t.lookup("LLM"), t.lookup("baselines")
    (('large language model', 'large language models'), ('', ''))
    """
    from paperkg.extract.read.text import read_text

    path = Path(path)
    if not path.exists():
        raise InputError(f"thesaurus file not found: {path}")
    try:  # the same decoding as any input: UTF-8, or UTF-16/32 with a byte-order mark
        text = read_text(path)
    except InputError as error:
        raise InputError(f"thesaurus file {error}") from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"thesaurus file is empty: {path}")
    header_line = next(line for line in lines if line.strip())
    # strict: a quote left open is an error, not a cell that swallows the rows after it
    rows = csv.reader(io.StringIO(text), delimiter=_delimiter(path, header_line), strict=True)
    header: list[str] | None = None
    pairs: list[tuple[str, str]] = []
    try:
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().casefold() for cell in row]
                if _LABEL not in header or _REPLACE not in header:
                    raise InputError(
                        f"{path}:{rows.line_num}: the header must name the columns "
                        f"'{_LABEL}' and '{_REPLACE}', found {row!r}"
                    )
                continue
            if len(row) > len(header):
                raise InputError(
                    f"{path}:{rows.line_num}: expected {len(header)} columns, found {len(row)}"
                )
            row = row + [""] * (len(header) - len(row))  # a missing "replace by": ignore
            label, replace_by = row[header.index(_LABEL)], row[header.index(_REPLACE)]
            if not label.strip():
                raise InputError(f"{path}:{rows.line_num}: empty label")
            pairs.append((label, replace_by))
    except csv.Error as error:
        raise InputError(f"{path}:{rows.line_num}: malformed row: {error}") from None
    return Thesaurus.from_pairs(pairs, source=str(path))
