"""The training recipe of paperkg's shipped METHOD / DATASET / TASK extractor.

Usage (from the repository root)::

    python -m paperkg.extract.ner.train --corpora ../shared/corpora --out extract/ner/models/fast [--max-steps N --seed S]

Steps, each a function:

1. :func:`build_docbins` reads the *train* splits of all four gold corpora (GSAP-NER, SciER,
   SciNLP, SciERC) with :mod:`paperkg.extract.ner.corpora` (per-corpus label mapping, nested spans
   flattened, long papers chunked, sparse SciNLP sentences filtered) into ``train.spacy``, and
   their *dev* splits (whole documents) into ``dev.spacy``.
2. :func:`train_ner` trains ``extract/ner/configs/ner_cnn.cfg`` (sentencizer + CNN tok2vec + ner, no
   word vectors, no torch) with ``spacy.cli.train.train``: fixed seed, dev F1 of all corpora
   together picks ``model-best``.
3. :func:`assemble` adds paperkg's rule layer and post-processing: a ``span_ruler`` with the
   DATASET cue patterns (``extract/ner/patterns/cue_dataset.jsonl``: "<Name> dataset/benchmark/
   corpus") filling gaps the model leaves, then :mod:`paperkg.extract.ner.components`' mention filter
   (its generic terms: ``extract/concepts/data/generic_terms.txt``, read at run time); the pipeline is written to ``--out``
   with ``nlp.to_disk``.
4. The dev metrics of each corpus (:func:`paperkg.extract.ner.evaluate.evaluate_corpora`) and, when the file
   exists, of the seed-gold dev set, are written to ``<out>/dev_metrics.json``.

The seed-gold dev set is only *evaluated*, never trained on.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.language import Language

from paperkg.extract.concepts.generic import GENERIC_TERMS_FILE
from paperkg.extract.ner.corpora import CORPORA, corpus_docs, write_docbin
from paperkg.errors import InputError

__all__ = [
    "CONFIG",
    "CUE_PATTERNS",
    "GENERIC_TERMS",
    "META",
    "PWC_TASKS",
    "RULES",
    "assemble",
    "build_docbins",
    "main",
    "read_patterns",
    "read_terms",
    "train",
    "train_ner",
]

#: The training config of the shipped model.
CONFIG = Path(__file__).parent / "configs" / "ner_cnn.cfg"
#: paperkg's one list of generic terms (:mod:`paperkg.extract.concepts.generic` reads it).
GENERIC_TERMS = GENERIC_TERMS_FILE
#: Hand-written cue patterns: "X dataset/benchmark/corpus" -> DATASET, "... detection" -> TASK.
CUE_PATTERNS = {"DATASET": Path(__file__).parent / "patterns" / "cue_dataset.jsonl",
                "TASK": Path(__file__).parent / "patterns" / "cue_task.jsonl"}



def read_terms(path: str | Path) -> list[str]:
    """Return the non-empty, non-comment lines of a term list.

    Parameters
    ----------
    path:
        A UTF-8 text file, one term per line; ``#`` starts a comment line.

    Returns
    -------
    list[str]
        The terms, stripped.
    """
    lines = Path(path).read_text(encoding="utf8").splitlines()
    return [t.strip() for t in lines if t.strip() and not t.lstrip().startswith("#")]


def read_patterns(path: str | Path) -> list[dict]:
    """Return the span-ruler patterns of a JSON-lines file.

    Parameters
    ----------
    path:
        One pattern object per line (``label``, ``pattern``, optional ``id``).

    Returns
    -------
    list[dict]
        The patterns.
    """
    with open(path, encoding="utf8") as f:
        return [json.loads(line) for line in f if line.strip()]


def build_docbins(
    corpora: str | Path,
    work: str | Path,
    *,
    names: tuple[str, ...] = CORPORA,
    limit: int | None = None,
) -> tuple[Path, Path, dict]:
    """Write ``train.spacy`` and ``dev.spacy`` from the gold corpora.

    Parameters
    ----------
    corpora:
        The folder holding one sub-folder per corpus with ``train.jsonl`` / ``dev.jsonl``.
    work:
        Where to write the DocBins.
    names:
        The corpora to read.
    limit:
        Read at most this many records per split and corpus (for tests).

    Returns
    -------
    tuple[Path, Path, dict]
        The train and dev DocBin paths and the number of docs per corpus and split.

    Raises
    ------
    InputError
        If a split file is missing.
    """
    corpora, work = Path(corpora), Path(work)
    vocab = spacy.blank("en").vocab
    counts: dict[str, dict[str, int]] = {}
    paths = {}
    for split in ("train", "dev"):
        files = [corpora / name / f"{split}.jsonl" for name in names]
        for file in files:
            if not file.is_file():
                raise InputError(f"missing corpus split {file}")

        def docs(split=split, files=files):
            for name, file in zip(names, files):
                n = 0
                for doc in corpus_docs(file, vocab, corpus=name, training=split == "train",
                                       limit=limit):
                    n += 1
                    yield doc
                counts.setdefault(name, {})[split] = n

        paths[split] = work / f"{split}.spacy"
        write_docbin(docs(), paths[split])
    return paths["train"], paths["dev"], counts


def train_ner(
    train_path: Path,
    dev_path: Path,
    output: Path,
    *,
    config: Path = CONFIG,
    max_steps: int | None = None,
    seed: int | None = None,
    eval_frequency: int | None = None,
) -> Path:
    """Train the config on the DocBins; return the ``model-best`` directory.

    Parameters
    ----------
    train_path, dev_path:
        DocBins from :func:`build_docbins`.
    output:
        spaCy's training output folder (``model-best``, ``model-last``).
    config:
        The training config.
    max_steps, seed, eval_frequency:
        Override ``training.max_steps``, ``system.seed`` and ``training.eval_frequency``.

    Returns
    -------
    Path
        ``output / "model-best"`` (``model-last`` if no evaluation ran).
    """
    from spacy.cli.train import train as spacy_train

    overrides: dict = {"paths.train": str(train_path), "paths.dev": str(dev_path)}
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    if seed is not None:
        overrides["system.seed"] = seed
    if eval_frequency is not None:
        overrides["training.eval_frequency"] = eval_frequency
    spacy_train(config, output_path=output, overrides=overrides, use_gpu=-1)
    best = output / "model-best"
    return best if best.is_dir() else output / "model-last"


#: The shipped pipeline's ``meta.json`` entries (see docs/model_card.md).
#: The four gold corpora both shipped pipelines are trained on, as pipeline meta sources.
CORPUS_SOURCES: list[dict] = [
    {"name": "GSAP-NER", "url": "https://github.com/ottowg/gsap-ner",
     "author": "Otto et al. (Findings of EMNLP 2023)"},
    {"name": "SciER", "url": "https://github.com/edzq/SciER", "license": "GPL-3.0",
     "author": "Zhang et al. (EMNLP 2024)"},
    {"name": "SciNLP", "url": "https://github.com/AKADDC/SciNLP",
     "author": "Duan et al. (arXiv 2509.07801, 2025)"},
    {"name": "SciERC", "url": "http://nlp.cs.washington.edu/sciIE/",
     "author": "Luan et al. (EMNLP 2018)"},
]

META: dict = {
    "name": "paperkg_extractor",
    "version": "0.1.0",
    "description": "METHOD / DATASET / TASK mentions in ML paper titles and abstracts: CNN NER "
                   "trained on GSAP-NER, SciER, SciNLP and SciERC train splits, DATASET cue "
                   "rules, generic-mention filter (docs/model_card.md)",
    "license": "research use only: training data licences GSAP-NER / SciNLP / SciERC not "
               "stated, SciER GPL-3.0 (docs/model_card.md)",
    "sources": CORPUS_SOURCES,
}

#: The rule files the shipped pipeline uses to fill gaps the model leaves. Only the DATASET cue
#: patterns paid on dev; the TASK cues and the train-split gazetteers
#: (:func:`paperkg.extract.ner.components.build_gazetteer`)
#: did not (docs/model_card.md, "What was tried").
#: Papers with Code task names, 2-5 words (:mod:`paperkg.extract.ner.gazetteers`; CC BY-SA 4.0).
PWC_TASKS = Path(__file__).parent / "patterns" / "pwc_tasks.jsonl"
RULES: tuple[Path, ...] = (CUE_PATTERNS["DATASET"], PWC_TASKS)


def assemble(
    nlp: Language,
    *,
    generic_terms: list[str] | None = None,
    rules: tuple[str | Path, ...] | None = None,
) -> Language:
    """Add paperkg's post-processing components to a trained pipeline (in place).

    Parameters
    ----------
    nlp:
        A trained pipeline with ``ner``.
    generic_terms:
        Terms for the generic-mention filter; by default read from :data:`GENERIC_TERMS`.
    rules:
        Span-ruler pattern files; by default :data:`RULES`. With any patterns, a
        ``span_ruler`` named ``paperkg_rules`` runs after ``ner`` and adds its matches to
        ``doc.ents`` only where the model found nothing (existing entities win). Token
        patterns match as written; phrase patterns (plain strings) match case-insensitively.

    Returns
    -------
    Language
        ``nlp``, with ``paperkg_rules`` (if any patterns) and ``paperkg_mention_filter``
        after ``ner``.
    """
    import paperkg.extract.ner.components  # noqa: F401  (registers the factories)

    if generic_terms is None:
        generic_terms = read_terms(GENERIC_TERMS)
    patterns = [p for path in (RULES if rules is None else rules) for p in read_patterns(path)]
    if patterns and "paperkg_rules" not in nlp.pipe_names:
        ruler = nlp.add_pipe("span_ruler", name="paperkg_rules", after="ner", config={
            "annotate_ents": True, "spans_key": None, "overwrite": False,
            "phrase_matcher_attr": "LOWER",
            "ents_filter": {"@misc": "spacy.prioritize_existing_ents_filter.v1"},
        })
        ruler.add_patterns(patterns)

    nlp.meta.update(META)
    if "paperkg_mention_filter" not in nlp.pipe_names:
        filt = nlp.add_pipe("paperkg_mention_filter", last=True)
        filt.initialize(lambda: [], nlp=nlp, terms=generic_terms)
    return nlp


def train(
    corpora: str | Path,
    out: str | Path,
    *,
    config: Path = CONFIG,
    max_steps: int | None = None,
    seed: int | None = None,
    eval_frequency: int | None = None,
    limit: int | None = None,
    seed_gold: str | Path | None = None,
    work: str | Path | None = None,
    checkpoint: str | Path | None = None,
) -> dict:
    """Run the whole recipe: DocBins, training, assembly, ``out``, dev metrics.

    Parameters
    ----------
    corpora:
        The corpora folder.
    out:
        Where the trained pipeline is written (replaced if it exists).
    config, max_steps, seed, eval_frequency:
        See :func:`train_ner`.
    limit:
        Records per corpus split (for quick runs and tests).
    seed_gold:
        Seed-gold dev file to evaluate on (never trained on).
    work:
        Folder for DocBins and spaCy's output; a temporary one by default.
    checkpoint:
        A pipeline already trained by :func:`train_ner` (e.g. ``<work>/output/model-best``):
        skip training and only assemble, write and evaluate it.

    Returns
    -------
    dict
        The dev metrics, also written to ``<out>/dev_metrics.json``.
    """
    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="paperkg-train-") as tmp:
        work_dir = Path(work) if work is not None else Path(tmp)
        train_path, dev_path, counts = build_docbins(corpora, work_dir, limit=limit)
        if checkpoint is not None:
            best = Path(checkpoint)
        else:
            best = train_ner(train_path, dev_path, work_dir / "output", config=config,
                             max_steps=max_steps, seed=seed, eval_frequency=eval_frequency)
        nlp = assemble(spacy.load(best))
        if out.exists():
            shutil.rmtree(out)
        nlp.to_disk(out)
    from paperkg.extract.ner.evaluate import evaluate_corpora

    metrics = evaluate_corpora(nlp, corpora, seed_gold=seed_gold)
    metrics["docs"] = counts
    (out / "dev_metrics.json").write_text(json.dumps(metrics, indent=2), encoding="utf8")
    return metrics


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m paperkg.extract.ner.train --corpora DIR --out DIR [...]``."""
    parser = argparse.ArgumentParser(prog="python -m paperkg.extract.ner.train", description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", required=True, type=Path, help="folder of the gold corpora")
    parser.add_argument("--out", required=True, type=Path, help="output pipeline directory")
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--eval-frequency", type=int, default=None)
    parser.add_argument("--limit", type=int, default=None, help="records per corpus split")
    parser.add_argument("--seed-gold", type=Path, default=None, help="seed-gold dev file to score")
    parser.add_argument("--work", type=Path, default=None, help="keep DocBins and checkpoints here")
    parser.add_argument("--checkpoint", type=Path, default=None,
                        help="skip training: assemble this trained pipeline (e.g. WORK/output/model-best)")
    args = parser.parse_args(argv)
    try:
        metrics = train(args.corpora, args.out, config=args.config, max_steps=args.max_steps,
                        seed=args.seed, eval_frequency=args.eval_frequency, limit=args.limit,
                        seed_gold=args.seed_gold, work=args.work, checkpoint=args.checkpoint)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    from paperkg.extract.ner.evaluate import format_report

    for name, result in metrics.items():
        if name != "docs":
            print(f"== {name}\n{format_report(result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
