"""A concept's type, decided on the evidence of all its mentions in the corpus.

:func:`decide_type` weighs, in order:

0. **The project's own training annotations.** A concept whose key was annotated in the
   seed-gold training papers (``extract/concepts/data/seed_gold_types.tsv``,
   :mod:`paperkg.extract.concepts.annotated`) in two or more papers, with one type in at least
   two thirds of them, takes that type ("backpropagation": METHOD). A weaker annotation (one
   paper, or mixed types) adds one vote per paper to step 2.
1. **Known names pin their type.** A concept whose key is a dataset name known from
   Papers with Code (``extract/concepts/data/pwc_names.tsv``, :mod:`paperkg.extract.concepts.pwc`;
   "GSM8K", "MNIST", "MATH") or whose last word is a benchmark name's cue ("RewardBench",
   "MT-Bench", "Long Range Arena benchmark"; a trailing "dataset" or "corpus") is a DATASET,
   whatever its mentions say: an extractor types a bare name from its context, and a
   dataset's name is often written where a method's would be ("fine-tuned on GSM8K"). A
   concept whose key is a Papers with Code task name ("model compression", "graph
   generation", "federated learning") and that no training paper annotated is a TASK, for
   the same reason ("we apply model compression" reads like a method).
2. **Mention votes.** Each mention votes for the type the extractor gave it with its
   ``score``, the extractor's confidence (the CNN gives 1.0 to every span, so votes are
   counts; the encoder gives probabilities). The type with the most votes wins.
3. **Task heads are not datasets.** A concept whose key ends in a *task head* -- a
   nominalisation ("-tion", "-sion", "-ing", "-ment", "-sis", "-ance", "-ence", "-al") that
   ends five or more Papers with Code task names ("generation", "disambiguation", "editing",
   "retrieval") -- does not become a DATASET while any mention calls it something else, and
   it takes TASK when TASK ties ("symbolic music generation").
4. **Ties** (equal votes) go to the corpus's most common type among those tied: with equal
   evidence, the type most mentions of the corpus have is the likelier one. It is recorded as
   a tie, never silently.

Every decision says why (:attr:`TypeDecision.evidence`); concept resolution writes it to the
merge log (rule ``type``), so ``paperkg concepts --explain X`` shows it.

Examples
--------
>>> decide_type({"METHOD": 2.0}, key="GSM8K").type
'DATASET'
>>> d = decide_type({"METHOD": 1.0, "DATASET": 1.0}, key="ZorpNet", prior=("METHOD", "TASK", "DATASET"))
>>> d.type, d.evidence
('METHOD', 'METHOD: tie (DATASET 1, METHOD 1) broken by the corpus prior (METHOD, TASK, DATASET)')
>>> decide_type({"METHOD": 0.9, "TASK": 0.4, "DATASET": 0.7}, key="graph sampler").type
'METHOD'
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from paperkg.extract.concepts.keys import compact_key, concept_key
from paperkg.extract.records import TYPES

__all__ = [
    "ANNOTATED_FILE", "ANNOTATED_MIN_PAPERS", "ANNOTATED_SHARE", "KNOWN_NAMES_FILE", "KnownNames",
    "TypeDecision", "decide_type", "known_names",
]

#: Known dataset and task names (``TYPE<TAB>name``), derived from Papers with Code.
KNOWN_NAMES_FILE: Path = Path(__file__).parent / "data" / "pwc_names.tsv"
#: Types of the seed-gold training annotations (``TYPE<TAB>papers<TAB>key``).
ANNOTATED_FILE: Path = Path(__file__).parent / "data" / "seed_gold_types.tsv"
#: An annotation decides a type from this many training papers, with this share of them.
ANNOTATED_MIN_PAPERS, ANNOTATED_SHARE = 2, 2 / 3
_BENCH = re.compile(r"(?:[A-Za-z0-9]*Bench|bench|benchmark|dataset|corpus)")
_TIE = 1e-9
_NOMINAL = ("tion", "sion", "ing", "ment", "sis", "ance", "ence", "al")
_MIN_HEAD_NAMES = 5


@dataclass(frozen=True)
class KnownNames:
    """Known names as matching forms: datasets by compact key (case kept), tasks case-folded,
    task heads (last words of task names, see the module docstring), and the training
    annotations (compact key -> papers per type)."""

    datasets: frozenset[str]
    tasks: frozenset[str]
    task_heads: frozenset[str] = frozenset()
    annotated: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Every known dataset name exactly as Papers with Code writes it ("MNIST", "CIFAR-10").
    written: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TypeDecision:
    """A concept's type, its summed mention scores per type and why it won."""

    type: str
    scores: dict[str, float]
    evidence: str


@functools.cache
def known_names(
    path: str | Path = KNOWN_NAMES_FILE, annotated: str | Path | None = ANNOTATED_FILE
) -> KnownNames:
    """Return the known names of ``path`` and ``annotated`` (default: the shipped files), cached."""
    datasets, tasks, heads, written = set(), set(), Counter(), set()
    for line in Path(path).read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, name = line.partition("\t")
        key = compact_key(concept_key(name))
        if not key:
            continue
        if kind == "DATASET":
            datasets.add(key)
            written.add(name)
        elif kind == "TASK":
            tasks.add(key.casefold())
            words = concept_key(name).casefold().split(" ")
            if len(words) > 1 and words[-1].endswith(_NOMINAL):
                heads[words[-1]] += 1
    task_heads = frozenset(h for h, n in heads.items() if n >= _MIN_HEAD_NAMES)
    types: dict[str, dict[str, int]] = {}
    if annotated is not None:
        for line in Path(annotated).read_text(encoding="utf-8").split("\n"):
            if line.strip() and not line.startswith("#"):
                kind, papers, key = line.split("\t")
                entry = types.setdefault(compact_key(key), {})
                entry[kind] = entry.get(kind, 0) + int(papers)
    return KnownNames(frozenset(datasets), frozenset(tasks), task_heads, types, frozenset(written))


def _dataset_cue(key: str) -> bool:
    """Whether a key's last word marks a dataset ("RewardBench", "MT Bench", "X benchmark").

    >>> [_dataset_cue(k) for k in ["RewardBench", "MT Bench", "long range arena benchmark",
    ...                            "workbench", "benchmarking", "BenchPress"]]
    [True, True, True, False, False, False]
    """
    words = key.split(" ")
    if not _BENCH.fullmatch(words[-1]):
        return False
    return len(words) > 1 or words[-1][:1] != "b" or words[-1] == "bench"


def _order(kind: str) -> int:
    return TYPES.index(kind) if kind in TYPES else len(TYPES)


def _votes(scores: dict[str, float]) -> str:
    return ", ".join(f"{t} {scores[t]:.3g}" for t in sorted(scores, key=lambda t: (-scores[t], t)))


def decide_type(
    scores: dict[str, float],
    *,
    key: str,
    prior: tuple[str, ...] = TYPES,
    names: KnownNames | None = None,
) -> TypeDecision:
    """Return a concept's type from its mentions' summed scores per type and its key.

    Parameters
    ----------
    scores:
        Type -> sum of the ``score`` of the concept's mentions of that type.
    key:
        The concept's key (:func:`paperkg.extract.concepts.keys.concept_key`).
    prior:
        Types from the corpus's most common to its least (ties go to the earlier).
    names:
        Known names; default :func:`known_names` (the shipped file).

    Returns
    -------
    TypeDecision

    Examples
    --------
    >>> decide_type({"DATASET": 3.0, "TASK": 1.0}, key="acronym disambiguation").type
    'TASK'
    >>> decide_type({"METHOD": 1.0}, key="ZorpBench").evidence
    'DATASET: a benchmark name (ZorpBench); votes METHOD 1'
    """
    names = known_names() if names is None else names
    scores = {t: float(s) for t, s in scores.items() if s > 0} or dict.fromkeys(scores, 0.0)
    votes = _votes(scores)
    compact = compact_key(key)
    gold = names.annotated.get(compact, {})
    if gold:
        kind, papers = max(gold.items(), key=lambda item: (item[1], -_order(item[0])))
        total = sum(gold.values())
        if total >= ANNOTATED_MIN_PAPERS and papers >= ANNOTATED_SHARE * total:
            return TypeDecision(
                kind, scores, f"{kind}: annotated so in {papers} of {total} seed-gold training papers; votes {votes}"
            )
        scores = {t: scores.get(t, 0.0) + gold.get(t, 0) for t in sorted({*scores, *gold}, key=_order)}
        votes = f"{_votes(scores)}, with seed-gold training annotations"
    if compact in names.datasets:
        return TypeDecision("DATASET", scores, f"DATASET: a known dataset name (Papers with Code); votes {votes}")
    if key and _dataset_cue(key):
        return TypeDecision("DATASET", scores, f"DATASET: a benchmark name ({key}); votes {votes}")
    if compact.casefold() in names.tasks and not gold:
        return TypeDecision("TASK", scores, f"TASK: a known task name (Papers with Code); votes {votes}")
    head = key.casefold().rsplit(" ", 1)[-1]
    task_note = f"a task head ({head})" if " " in key and head in names.task_heads else ""
    candidates = dict(scores)
    if task_note and "DATASET" in scores:
        candidates = {t: s for t, s in scores.items() if t != "DATASET"} or {"TASK": 0.0}
        task_note += ", not a DATASET"
    best = max(candidates.values(), default=0.0)
    tied = [t for t, s in candidates.items() if best - s <= _TIE] or [prior[0]]
    note = f"; {task_note}" if task_note else ""
    if len(tied) == 1:
        return TypeDecision(tied[0], scores, f"{tied[0]}: most votes ({votes}){note}")
    if task_note and "TASK" in tied:
        return TypeDecision("TASK", scores, f"TASK: tie ({votes}) broken by {task_note}")
    order = {t: i for i, t in enumerate(prior)}
    chosen = min(tied, key=lambda t: (order.get(t, len(order)), t))
    return TypeDecision(
        chosen, scores, f"{chosen}: tie ({votes}) broken by the corpus prior ({', '.join(prior)}){note}"
    )
