"""Quick dev scores of an exported encoder checkpoint, for choosing among checkpoints.

Usage (in an environment with ``onnxruntime`` and ``tokenizers``)::

    python -m paperkg.extract.ner.encoder_eval CKPT_DIR --corpora ../shared/corpora \\
        --seed-gold ../shared/seed_gold [--gsap-limit 150 --threads 1]

Dev texts are windowed exactly like the training data (:mod:`paperkg.extract.ner.encoder_data`),
the int8 ``model.onnx`` tags every wordpiece, and gold and predicted tag sequences are decoded
the same way (:func:`decode`): a span is a ``B-X`` followed by ``I-X`` wordpieces, and an
``I-X`` that does not continue a span of type ``X`` starts one. Scores are micro precision,
recall and F1 of exact wordpiece spans with their type, per dev set. This is a strict,
wordpiece-level proxy for choosing checkpoints; the authoritative figures are those of
``paperkg eval`` on the spaCy pipeline. The seed-gold dev concepts are projected onto the
text like the training files (mention level, not document-level concepts).

>>> sorted(decode(["O", "B-TASK", "I-TASK", "I-METHOD", "O", "I-TASK"]))
[(1, 3, 'TASK'), (3, 4, 'METHOD'), (5, 6, 'TASK')]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from paperkg.extract.ner.encoder_data import (
    LABELS, Window, corpus_examples, seed_examples, windows,
)

__all__ = ["decode", "dev_windows", "main", "score"]


def decode(tags: Sequence[str]) -> set[tuple[int, int, str]]:
    """Spans ``(start, end, type)`` (``end`` exclusive) of a BIO tag sequence."""
    spans = set()
    start, kind = None, None
    for i, tag in enumerate([*tags, "O"]):
        prefix, _, label = tag.partition("-")
        if start is not None and not (prefix == "I" and label == kind):
            spans.add((start, i, kind))
            start, kind = None, None
        if prefix == "B" or (prefix == "I" and start is None):
            start, kind = i, label
    return spans


def dev_windows(corpora: Path, seed_gold: Path, tokenizer, *, gsap_limit: int = 150,
                max_length: int = 256) -> dict[str, list[Window]]:
    """The dev windows of each dev set (GSAP-NER limited to its first ``gsap_limit`` records)."""
    sets: dict[str, list[Window]] = {}
    for name in ("gsap_ner", "scier", "scinlp", "scierc"):
        examples = list(corpus_examples(corpora / name / "dev.jsonl", name))
        if name == "gsap_ner":
            examples = examples[:gsap_limit]
        sets[name] = [w for ex in examples for w in windows(ex, tokenizer, max_length=max_length)]
    sets["seed_dev"] = [w for ex in seed_examples(seed_gold / "dev.jsonl")
                        for w in windows(ex, tokenizer, max_length=max_length)]
    return sets


def score(session, wins: list[Window], batch_size: int = 16) -> dict[str, float]:
    """Micro P/R/F1 of exact typed wordpiece spans of ``session``'s predictions on ``wins``."""
    import numpy as np

    tp = n_pred = n_gold = 0
    wins = sorted(wins, key=lambda w: len(w.input_ids))
    for i in range(0, len(wins), batch_size):
        batch = wins[i:i + batch_size]
        width = max(len(w.input_ids) for w in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for j, w in enumerate(batch):
            ids[j, :len(w.input_ids)] = w.input_ids
            mask[j, :len(w.input_ids)] = 1
        logits = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
        for j, w in enumerate(batch):
            n = len(w.input_ids) - 1
            gold = decode([LABELS[k] for k in w.labels[1:n]])
            pred = decode([LABELS[k] for k in logits[j, 1:n].argmax(-1)])
            tp += len(gold & pred)
            n_pred += len(pred)
            n_gold += len(gold)
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return {"p": round(100 * p, 2), "r": round(100 * r, 2),
            "f1": round(200 * p * r / (p + r), 2) if p + r else 0.0, "gold": n_gold}


def main(argv: list[str] | None = None) -> None:
    """The command line: print one JSON line of scores per dev set, also saved in the folder."""
    import onnxruntime as ort

    from paperkg.extract.ner.train_encoder import load_tokenizer

    p = argparse.ArgumentParser(prog="python -m paperkg.extract.ner.encoder_eval")
    p.add_argument("checkpoint")
    p.add_argument("--corpora", required=True)
    p.add_argument("--seed-gold", required=True)
    p.add_argument("--gsap-limit", type=int, default=150)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    folder = Path(args.checkpoint)
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(str(folder / "model.onnx"), options,
                                   providers=["CPUExecutionProvider"])
    sets = dev_windows(Path(args.corpora), Path(args.seed_gold), load_tokenizer(folder),
                       gsap_limit=args.gsap_limit)
    scores = {name: score(session, wins) for name, wins in sets.items()}
    (folder / "dev_scores.json").write_text(json.dumps(scores, indent=2) + "\n", encoding="utf8")
    for name, s in scores.items():
        print(json.dumps({"set": name, **s}))


if __name__ == "__main__":
    main()
