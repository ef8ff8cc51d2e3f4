"""Assemble the shipped encoder pipeline from an ONNX checkpoint folder.

Usage (from the repository root)::

    python -m paperkg.extract.ner.assemble --encoder /work/encoder/run1/ckpt-N \\
        --out extract/ner/models/default [--min-score 0.6] [--fill-score 0.43] [--no-cnn]

The pipeline is spaCy's English tokenizer → ``sentencizer`` → ``paperkg_encoder``
(:mod:`paperkg.extract.ner.encoder`: the checkpoint's ``model.onnx``, ``tokenizer.json``,
``labels.json``, ``encoder.json``; entities scoring at least ``--min-score``) → ``tok2vec`` +
``ner`` (the CNN of ``fast``, filling the tokens the encoder left; ``--no-cnn`` leaves it out)
→ ``paperkg_rules`` → ``paperkg_mention_filter``. The tokenizer, the sentencizer, the CNN, the
rule layer (DATASET cue phrases, Papers with Code task names, filling gaps only) and the
generic-mention filter are copied, data and all, from the ``fast`` pipeline. ``meta.json`` names the sources and licences
(:data:`META`) and the checkpoint's training settings (``encoder.json``).

The pipeline is written into a fresh folder beside ``--out`` and renamed into place; an
existing ``--out`` is replaced only when it is a paperkg pipeline (its ``meta.json`` names
``paperkg_extractor``), never a foreign folder.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from spacy.language import Language

from paperkg.errors import InputError
from paperkg.extract.ner.train import CORPUS_SOURCES

__all__ = ["META", "assemble_encoder", "main", "write_pipeline"]

#: The encoder pipeline's ``meta.json`` entries (see docs/model_card.md).
META: dict = {
    "name": "paperkg_extractor_encoder",
    "version": "0.2.0",
    "description": "METHOD / DATASET / TASK mentions in ML paper titles and abstracts: "
                   "all-MiniLM-L6-v2 fine-tuned for BIO token classification (int8 ONNX, "
                   "onnxruntime), the CNN NER of the fast model filling its gaps, DATASET cue "
                   "and Papers with Code task rules, generic-mention filter; scored mentions "
                   "(docs/model_card.md)",
    "license": "research use only: encoder all-MiniLM-L6-v2 Apache-2.0; fine-tuning data "
               "GSAP-NER / SciNLP / SciERC licence not stated, SciER GPL-3.0, paperkg seed-gold "
               "train split; Papers with Code task names CC BY-SA 4.0 (docs/model_card.md)",
    "sources": [
        {"name": "all-MiniLM-L6-v2", "url": "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2",
         "license": "Apache-2.0", "author": "sentence-transformers (Reimers and Gurevych)"},
        *CORPUS_SOURCES,
        {"name": "Papers with Code task names", "license": "CC BY-SA 4.0"},
    ],
}


def assemble_encoder(
    encoder: str | Path,
    *,
    base: str | Path | None = None,
    min_score: float = 0.0,
    fill_score: float = 1.0,
    threads: int = 0,
    cnn: bool = True,
) -> Language:
    """Return the encoder pipeline built from a checkpoint folder and the ``fast`` pipeline.

    Parameters
    ----------
    encoder:
        A checkpoint folder (``model.onnx``, ``tokenizer.json``, ``labels.json``, ``encoder.json``).
    base:
        The pipeline whose tokenizer, sentencizer, ``paperkg_rules`` and
        ``paperkg_mention_filter`` are copied; by default the shipped ``fast`` pipeline.
    min_score, fill_score, threads:
        The encoder component's settings (:class:`paperkg.extract.ner.encoder.EncoderTagger`).
    cnn:
        Add the base pipeline's ``tok2vec`` and ``ner`` after the encoder to fill its gaps.

    Returns
    -------
    Language
        The pipeline, meta set.

    Raises
    ------
    InputError
        If the checkpoint or the base pipeline is incomplete.
    """
    import spacy

    import paperkg.extract.ner.components  # noqa: F401  (registers the factories)
    import paperkg.extract.ner.encoder  # noqa: F401
    from paperkg.extract.ner.pipeline import load_pipeline

    source = load_pipeline("fast" if base is None else base)
    for name in ("sentencizer", "tok2vec", "ner", "paperkg_rules", "paperkg_mention_filter"):
        if name not in source.pipe_names:
            raise InputError(f"the base pipeline has no {name!r} component")
    nlp = spacy.blank("en")
    nlp.tokenizer.from_bytes(source.tokenizer.to_bytes())
    nlp.add_pipe("sentencizer", source=source)
    tagger = nlp.add_pipe("paperkg_encoder", config={
        "min_score": float(min_score), "fill_score": float(fill_score), "threads": int(threads),
        "fill_missing": bool(cnn)})
    tagger.load(encoder)
    if cnn:
        nlp.add_pipe("tok2vec", source=source)
        nlp.add_pipe("ner", source=source)
    nlp.add_pipe("paperkg_rules", source=source)
    nlp.add_pipe("paperkg_mention_filter", source=source)
    nlp.meta.update(json.loads(json.dumps(META)))
    settings = tagger.settings
    nlp.meta["paperkg_encoder"] = {
        "checkpoint": Path(encoder).name,
        **{k: settings[k] for k in ("encoder", "encoder_license", "max_length", "data_mix",
                                    "seed", "epochs", "step", "lr", "commit")
           if k in settings},
        "min_score": float(min_score),
        "fill_score": float(fill_score),
        "cnn_fill": bool(cnn),
    }
    return nlp


def _ours(path: Path) -> bool:
    """Whether ``path`` is a pipeline folder paperkg wrote (its meta names paperkg_extractor)."""
    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf8"))
    except (OSError, ValueError):
        return False
    return str(meta.get("name", "")).startswith("paperkg_extractor")


def write_pipeline(nlp: Language, out: str | Path) -> Path:
    """Write ``nlp`` to ``out`` through a fresh sibling folder and one rename.

    Raises
    ------
    InputError
        If ``out`` exists, is not empty and is not a paperkg pipeline.
    """
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not _ours(out):
        raise InputError(f"{out} exists and is not a paperkg pipeline: refusing to replace it")
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        nlp.to_disk(stage / "pipeline")
        if out.exists():
            old = stage / "old"
            out.rename(old)
        (stage / "pipeline").rename(out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m paperkg.extract.ner.assemble --encoder DIR --out DIR``."""
    parser = argparse.ArgumentParser(prog="python -m paperkg.extract.ner.assemble",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--encoder", required=True, type=Path, help="ONNX checkpoint folder")
    parser.add_argument("--out", required=True, type=Path, help="output pipeline folder")
    parser.add_argument("--base", default=None, help="pipeline to copy rules and filter from (default: fast)")
    parser.add_argument("--min-score", type=float, default=0.0, help="default confidence threshold")
    parser.add_argument("--fill-score", type=float, default=1.0,
                        help="score of mentions the encoder did not produce (CNN and rule fill)")
    parser.add_argument("--no-cnn", action="store_true", help="leave out the CNN gap filling")
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime threads (0: its choice)")
    args = parser.parse_args(argv)
    try:
        nlp = assemble_encoder(args.encoder, base=args.base, min_score=args.min_score,
                               fill_score=args.fill_score, threads=args.threads, cnn=not args.no_cnn)
        write_pipeline(nlp, args.out)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"wrote {args.out} ({', '.join(nlp.pipe_names)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
