"""The extraction cache: each text's mentions under each model, in the build's SQLite store.

Extraction is most of a build's time, and most papers of a rebuild are the papers of the
previous build. Every build stores what the extractor found for each paper in two tables
of its store (``graph.sqlite``, beside ``graph.json``), keyed by the paper's
:func:`text_hash` and the extractor's :func:`model_identity`:

``extractions(model, text_hash, paper_id, mentions)``
    one row per text extracted: the paper it was extracted for and how many mentions;
``mentions(model, text_hash, seq, field, start, "end", text, type, score, sentence, concept, label, rule)``
    the mentions, in the order the extractor gave them.

The next build into the same folder opens the previous store read-only
(:meth:`ExtractionCache.lookup`), takes the mentions of every paper whose title and abstract
and model are unchanged, extracts only the rest, and writes the store anew in its staging
folder: the cache holds exactly the papers of the last build, and a failed build leaves the
previous one (and its cache) as it was. Corpus-wide resolution always re-runs over all
mentions, so a rebuild gives the same graph as a build from scratch.

Examples
--------
>>> import tempfile, pathlib
>>> from paperkg.extract.records import Mention, Paper
>>> p = Paper("p1", "BERT", "We fine-tune BERT.")
>>> m = Mention("p1", "abstract", 13, 17, "BERT", "METHOD", 0.9, "We fine-tune BERT.", "BERT", "BERT")
>>> db = pathlib.Path(tempfile.mkdtemp()) / "graph.sqlite"
>>> with ExtractionCache.create(db, "model-x") as cache:
...     cache.add(p, [m])
>>> renamed = Paper("p2", "BERT", "We fine-tune BERT.")
>>> hits = ExtractionCache.lookup(db, "model-x", [renamed])
>>> [(x.paper_id, x.text) for x in hits["p2"]]
[('p2', 'BERT')]
>>> ExtractionCache.lookup(db, "model-y", [renamed])
{}
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path

from paperkg.extract.records import Mention, Paper
from paperkg.outputs import store_errors

__all__ = ["ExtractionCache", "code_digest", "model_identity", "text_hash"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS extractions (
    model TEXT NOT NULL, text_hash TEXT NOT NULL, paper_id TEXT NOT NULL, mentions INTEGER NOT NULL,
    PRIMARY KEY (model, text_hash));
CREATE TABLE IF NOT EXISTS mentions (
    model TEXT NOT NULL, text_hash TEXT NOT NULL, seq INTEGER NOT NULL,
    field TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL,
    type TEXT NOT NULL, score REAL NOT NULL, sentence TEXT NOT NULL, concept TEXT NOT NULL,
    label TEXT NOT NULL, rule TEXT NOT NULL,
    PRIMARY KEY (model, text_hash, seq));
"""
_COLUMNS = 'field, start, "end", text, type, score, sentence, concept, label, rule'
#: Hashes looked up per query (well under SQLite's limit on bound parameters).
_CHUNK = 500


def text_hash(paper: Paper) -> str:
    """The SHA-256 of what the extractor reads of ``paper``: its title and abstract."""
    return hashlib.sha256(json.dumps([paper.title, paper.abstract]).encode("utf-8")).hexdigest()


def model_identity(model_dir: str | os.PathLike, *, min_score: float | None, version: str) -> str:
    """A string naming one extractor exactly: its files' digest, ``min_score``, paperkg's
    version and the digest of its extraction code.

    Two builds share cached mentions only when every file of the pipeline folder is the
    same, they ran with the same ``min_score`` and the same paperkg code turned the model's
    output into mentions (:func:`code_digest`: a changed decoding or mention filter is a
    new extractor even where the version number stayed).
    """
    score = "model-default" if min_score is None else repr(float(min_score))
    return (f"sha256:{_files_digest(Path(model_dir), Path(model_dir).rglob('*'))} "
            f"min_score={score} paperkg={version} code={code_digest()}")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The digest of the code that turns a model's output into mentions: every Python file
    of ``paperkg.extract`` but the readers (a reader's change shows in the texts' hashes)."""
    root = Path(__file__).resolve().parent
    return _files_digest(root, (p for p in root.rglob("*.py") if "read" not in p.relative_to(root).parts))


def _files_digest(root: Path, paths: Iterable[Path]) -> str:
    """SHA-256 (first 32 hex digits) of the files' paths relative to ``root`` and their bytes."""
    digest = hashlib.sha256()
    for path in sorted(p for p in paths if p.is_file()):
        digest.update(str(path.relative_to(root).as_posix()).encode() + b"\0")
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


class ExtractionCache:
    """A writer of the cache tables into a build's store (a context manager: commits on exit)."""

    def __init__(self, connection: sqlite3.Connection, model: str, path: Path | None = None):
        self._db = connection
        self._model = model
        self._path = path or Path("graph.sqlite")

    @classmethod
    def create(cls, path: str | os.PathLike, model: str) -> ExtractionCache:
        """Open (creating) the store at ``path`` to record extractions made under ``model``.

        Meant for a store inside a build's staging folder: it is written without a journal.
        """
        with store_errors(path):
            db = sqlite3.connect(path, isolation_level=None)
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.executescript(_SCHEMA)
            db.execute("BEGIN")
        return cls(db, model, Path(path))

    def add(self, paper: Paper, mentions: Sequence[Mention]) -> None:
        """Record the mentions extracted from ``paper`` (a text already recorded is skipped)."""
        with store_errors(self._path):
            self._add(paper, mentions)

    def _add(self, paper: Paper, mentions: Sequence[Mention]) -> None:
        key = text_hash(paper)
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO extractions VALUES (?, ?, ?, ?)",
            (self._model, key, paper.id, len(mentions)),
        )
        if cursor.rowcount == 0:
            return
        self._db.executemany(
            f"INSERT INTO mentions (model, text_hash, seq, {_COLUMNS}) VALUES "
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (self._model, key, seq, m.field, m.start, m.end, m.text, m.type, m.score,
                 m.sentence, m.concept, m.label, m.rule)
                for seq, m in enumerate(mentions)
            ],
        )

    def close(self) -> None:
        """Commit and close."""
        try:
            with store_errors(self._path):
                if self._db.in_transaction:
                    self._db.execute("COMMIT")
        finally:
            self._db.close()

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @staticmethod
    def lookup(path: str | os.PathLike, model: str, papers: Iterable[Paper]) -> dict[str, list[Mention]]:
        """Return, by paper id, the stored mentions of each of ``papers`` extracted under ``model``.

        Papers whose text was never extracted under ``model`` are absent. A missing store,
        or one that is unreadable or from an older paperkg, is an empty cache: the build
        then extracts everything, as from scratch.
        """
        path = Path(path)
        if not path.is_file():
            return {}
        wanted: dict[str, list[str]] = {}
        for paper in papers:
            wanted.setdefault(text_hash(paper), []).append(paper.id)
        found: dict[str, list[Mention]] = {}
        try:
            db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error:
            return {}
        try:
            hashes = list(wanted)
            for i in range(0, len(hashes), _CHUNK):
                chunk = hashes[i : i + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT text_hash FROM extractions WHERE model = ? AND text_hash IN ({marks})",
                    [model, *chunk],
                ).fetchall()
                for (key,) in rows:
                    for paper_id in wanted[key]:
                        found[paper_id] = []
                mention_rows = db.execute(
                    f"SELECT text_hash, {_COLUMNS} FROM mentions WHERE model = ? AND text_hash IN ({marks}) "
                    "ORDER BY text_hash, seq",
                    [model, *chunk],
                ).fetchall()
                for key, *values in mention_rows:
                    for paper_id in wanted[key]:
                        if paper_id in found:
                            found[paper_id].append(_mention(paper_id, values))
        except sqlite3.Error:
            return {}
        finally:
            db.close()
        return found


def _mention(paper_id: str, values: list) -> Mention:
    field, start, end, text, type_, score, sentence, concept, label, rule = values
    return Mention(paper_id, field, start, end, text, type_, score, sentence, concept, label, rule)
