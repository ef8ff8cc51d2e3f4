"""The training recipe of the fine-tuned encoder extractor (all-MiniLM-L6-v2, ONNX int8).

Usage (from the repository root, in an environment with the ``train`` extra)::

    python -m paperkg.extract.ner.train_encoder --corpora ../shared/corpora \\
        --seed-gold ../shared/seed_gold --encoder <all-MiniLM-L6-v2 dir> --out DIR \\
        [--epochs 2 --seed 17 --max-minutes 90 --gsap-fraction 0.5 --seed-repeat 2]

The shipped checkpoint came from three commands (``docs/model_card.md``): a first run
(``--epochs 2 --gsap-fraction 0.6``), a second stage from its last checkpoint on every
GSAP-NER window (``--init RUN1/ckpt-N --epochs 1 --gsap-fraction 1.0 --lr 7e-5 --seed 18``),
and the average of the two (``--average RUN1/ckpt-N RUN2/ckpt-M --out DIR``; two or more
checkpoints).

Steps, each a function:

1. :func:`build_mix` makes labelled windows (:mod:`paperkg.extract.ner.encoder_data`) from the
   *train* splits of the gold corpora and the seed-gold training files (``train.jsonl`` repeated
   ``--seed-repeat`` times, ``train_scierc.jsonl`` once, neither with ``--seed-repeat 0``; the
   SciERC records re-annotated there are left out of the SciERC corpus so no text carries two
   annotations). GSAP-NER windows are subsampled to ``--gsap-fraction``. The seed-gold ``dev.jsonl`` is never read.
2. :func:`train` fine-tunes a token-classification head (the 7 BIO labels of
   :data:`~paperkg.extract.ner.encoder_data.LABELS`, every wordpiece labelled) with AdamW,
   linear warmup then linear decay; the decay runs to zero at the last planned step or at
   ``--max-minutes``, whichever comes first, so a time-limited run still ends annealed. Batches
   hold windows of similar length (shuffled, seeded). Loss and throughput go to ``train_log.jsonl``.
3. Every ``--ckpt-minutes`` and at the end, :func:`export` writes ``DIR/ckpt-<step>/``:
   ``model.onnx`` (int8, per-channel dynamic quantization; inputs ``input_ids`` and
   ``attention_mask`` int64 [batch, seq], output ``logits`` float32 [batch, seq, 7]),
   ``tokenizer.json`` (truncation and padding off), ``labels.json``, ``encoder.json`` (settings,
   data mix, int8/fp32 argmax agreement) and ``hf/`` (the fp32 weights); ``DIR/LATEST`` names it.

torch and transformers are imported inside the functions, so this module imports without them.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import time
from pathlib import Path

from paperkg.extract.ner.encoder_data import (
    LABELS, Window, corpus_examples, seed_examples, windows,
)

__all__ = ["ENCODER_NAME", "average", "build_mix", "export", "load_tokenizer", "main", "make_batches", "train"]

#: The source encoder (Apache-2.0), as named on the Hugging Face hub.
ENCODER_NAME = "sentence-transformers/all-MiniLM-L6-v2"
_CORPORA = ("gsap_ner", "scier", "scinlp", "scierc")


def load_tokenizer(encoder: str | Path):
    """The encoder's fast tokenizer (``tokenizer.json``) with truncation and padding off."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(Path(encoder) / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def build_mix(corpora: Path, seed_gold: Path, tokenizer, *, max_length: int = 256,
              gsap_fraction: float = 0.5, seed_repeat: int = 2, seed: int = 17,
              limit: int | None = None) -> tuple[list[Window], dict]:
    """The training windows and a per-source summary (examples, windows, wordpieces, copies).

    ``seed_repeat=0`` leaves the seed-gold training files out altogether (the SciERC corpus
    then keeps every record): the "without in-domain abstracts" row of the ablation.

    ``limit`` keeps the first ``limit`` windows of each source (for smoke runs).
    """
    rng = random.Random(seed)
    in_domain = (("train", seed_repeat), ("train_scierc", 1)) if seed_repeat > 0 else ()
    rescored = {json.loads(line).get("doc_key")
                for line in open(seed_gold / "train_scierc.jsonl", encoding="utf8") if line.strip()
                } if in_domain else set()
    sources: dict[str, tuple[list[Window], int]] = {}
    for name in _CORPORA:
        examples = [ex for ex in corpus_examples(corpora / name / "train.jsonl", name)
                    if not (name == "scierc" and ex.key.rsplit("#", 1)[0] in rescored)]
        wins = [w for ex in examples for w in windows(ex, tokenizer, max_length=max_length)]
        if name == "gsap_ner" and gsap_fraction < 1:
            wins = sorted(rng.sample(wins, round(len(wins) * gsap_fraction)), key=lambda w: w.key)
        sources[name] = (wins, 1)
    for name, copies in in_domain:
        examples = seed_examples(seed_gold / f"{name}.jsonl")
        wins = [w for ex in examples for w in windows(ex, tokenizer, max_length=max_length)]
        sources[f"seed_gold/{name}"] = (wins, copies)
    mix: list[Window] = []
    summary = {}
    for name, (wins, copies) in sources.items():
        wins = wins[:limit] if limit else wins
        mix.extend(wins * copies)
        summary[name] = {"windows": len(wins), "wordpieces": sum(len(w.input_ids) for w in wins),
                         "copies": copies}
    return mix, summary


def make_batches(mix: list[Window], batch_size: int, rng: random.Random) -> list[list[Window]]:
    """One epoch of batches: shuffle, sort pools of 50 batches by length, shuffle the batches."""
    order = mix[:]
    rng.shuffle(order)
    pool = batch_size * 50
    batches = []
    for i in range(0, len(order), pool):
        chunk = sorted(order[i:i + pool], key=lambda w: len(w.input_ids))
        batches.extend(chunk[j:j + batch_size] for j in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def _tensors(batch: list[Window]):
    import torch

    width = max(len(w.input_ids) for w in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), -100, dtype=torch.long)
    for i, w in enumerate(batch):
        n = len(w.input_ids)
        ids[i, :n] = torch.tensor(w.input_ids)
        mask[i, :n] = 1
        labels[i, :n] = torch.tensor(w.labels)
    return ids, mask, labels


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def export(model, encoder: Path, folder: Path, meta: dict, probe: list[Window]) -> dict:
    """Write the ONNX int8 handover folder for ``model`` and return its ``encoder.json`` dict.

    ``probe`` windows measure the argmax agreement of int8 ONNX with torch fp32 (real tokens).
    """
    import numpy as np
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    model.eval()

    class Logits(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask).logits

    fp32 = folder / "model.fp32.onnx"
    ids, mask, _ = _tensors(probe[:2])
    torch.onnx.export(  # exporting re-sets train mode on the wrapper's children: eval() after
        Logits(model).eval(), (ids, mask), str(fp32), input_names=["input_ids", "attention_mask"],
        output_names=["logits"], opset_version=17, dynamo=False,
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                      "logits": {0: "batch", 1: "seq"}},
    )
    quantize_dynamic(str(fp32), str(folder / "model.onnx"), per_channel=True,
                     weight_type=QuantType.QInt8)
    fp32.unlink()
    model.eval()
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    session = ort.InferenceSession(str(folder / "model.onnx"), options,
                                   providers=["CPUExecutionProvider"])
    agree = total = 0
    with torch.no_grad():
        for i in range(0, len(probe), 8):
            ids, mask, _ = _tensors(probe[i:i + 8])
            ref = model(input_ids=ids, attention_mask=mask).logits.argmax(-1).numpy()
            got = session.run(["logits"], {"input_ids": ids.numpy(),
                                           "attention_mask": mask.numpy()})[0].argmax(-1)
            real = mask.numpy().astype(bool)
            agree += int((ref == got)[real].sum())
            total += int(real.sum())
    model.save_pretrained(folder / "hf")
    load_tokenizer(encoder).save(str(folder / "tokenizer.json"))
    (folder / "labels.json").write_text(json.dumps(list(LABELS)) + "\n", encoding="utf8")
    info = {**meta, "int8_fp32_argmax_agreement": round(agree / max(total, 1), 5),
            "agreement_wordpieces": total,
            "model_onnx_bytes": (folder / "model.onnx").stat().st_size}
    (folder / "encoder.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf8")
    (folder.parent / "LATEST").write_text(folder.name + "\n", encoding="utf8")
    model.train()
    return info


def train(args: argparse.Namespace) -> Path:
    """Run the recipe (see the module docstring); return the last checkpoint folder."""
    import torch
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer = load_tokenizer(args.encoder)
    mix, summary = build_mix(Path(args.corpora), Path(args.seed_gold), tokenizer,
                             max_length=args.max_length, gsap_fraction=args.gsap_fraction,
                             seed_repeat=args.seed_repeat, seed=args.seed, limit=args.limit)
    probe = sorted(mix, key=lambda w: w.key)[:: max(1, len(mix) // 64)][:64]
    epochs = [make_batches(mix, args.batch_size, rng) for _ in range(args.epochs)]
    planned = sum(len(e) for e in epochs)
    if args.max_steps:
        planned = min(planned, args.max_steps)
    warmup = max(1, round(planned * args.warmup))
    meta = {
        "encoder": ENCODER_NAME, "encoder_license": "Apache-2.0",
        "max_length": args.max_length, "lowercase": True, "labels": list(LABELS),
        "labelling": "BIO on every wordpiece; [CLS]/[SEP] ignored",
        "inputs": ["input_ids", "attention_mask"], "output": "logits [batch, seq, 7]",
        "data_mix": summary, "mix_wordpieces_per_epoch": sum(len(w.input_ids) for w in mix),
        "seed": args.seed, "epochs": args.epochs, "planned_steps": planned,
        "batch_size": args.batch_size, "lr": args.lr, "warmup_steps": warmup,
        "gsap_fraction": args.gsap_fraction, "seed_repeat": args.seed_repeat,
        "max_minutes": args.max_minutes, "commit": _commit(),
        "init": str(args.init) if args.init else None,
    }
    (out / "recipe.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf8")
    model = AutoModelForTokenClassification.from_pretrained(
        Path(args.init) / "hf" if args.init else args.encoder, num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={label: i for i, label in enumerate(LABELS)}, attn_implementation="eager")
    model.train()
    decay = [p for n, p in model.named_parameters() if not n.endswith("bias") and "LayerNorm" not in n]
    rest = [p for n, p in model.named_parameters() if n.endswith("bias") or "LayerNorm" in n]
    optim = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                               {"params": rest, "weight_decay": 0.0}], lr=args.lr)
    start = last_ckpt = time.monotonic()
    budget = args.max_minutes * 60
    log = open(out / "train_log.jsonl", "a", encoding="utf8")
    step = seen = 0
    losses: list[float] = []
    folder = out
    done = False
    for epoch, batches in enumerate(epochs, 1):
        for batch in batches:
            elapsed = time.monotonic() - start
            progress = max(step / planned, elapsed / budget)
            if step >= planned or progress >= 1:
                done = True
                break
            scale = min((step + 1) / warmup, max(0.0, 1 - progress) / max(1e-9, 1 - warmup / planned))
            for group in optim.param_groups:
                group["lr"] = args.lr * min(1.0, scale)
            ids, mask, labels = _tensors(batch)
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optim.step()
            optim.zero_grad()
            step += 1
            seen += int(mask.sum())
            losses.append(loss.item())
            if step % args.log_every == 0:
                elapsed = time.monotonic() - start
                log.write(json.dumps({"step": step, "epoch": epoch, "loss": round(sum(losses) / len(losses), 4),
                                      "lr": optim.param_groups[0]["lr"], "wordpieces": seen,
                                      "minutes": round(elapsed / 60, 2),
                                      "wordpieces_per_s": round(seen / elapsed, 1)}) + "\n")
                log.flush()
                losses.clear()
            if time.monotonic() - last_ckpt > args.ckpt_minutes * 60:
                folder = out / f"ckpt-{step:05d}"
                export(model, Path(args.encoder), folder,
                       {**meta, "step": step, "epoch": epoch, "wordpieces_seen": seen}, probe)
                last_ckpt = time.monotonic()
        if done:
            break
    folder = out / f"ckpt-{step:05d}"
    info = export(model, Path(args.encoder), folder,
                  {**meta, "step": step, "epoch": epoch, "wordpieces_seen": seen, "final": True,
                   "minutes": round((time.monotonic() - start) / 60, 2)}, probe)
    log.write(json.dumps({"final": str(folder), "agreement": info["int8_fp32_argmax_agreement"]}) + "\n")
    log.close()
    return folder


def average(checkpoints: list[Path], args: argparse.Namespace) -> Path:
    """Write ``DIR/ckpt-average`` (:func:`export`): the mean of the checkpoints' weights.

    Averaging fine-tuned runs from one start (a "model soup", Wortsman et al., ICML 2022)
    keeps what each learnt from its own data mix and data order. The mean is summed in the
    order given, then divided (for two checkpoints this equals ``0.5 * a + 0.5 * b`` bit for
    bit, the formula of the shipped two-run average).
    """
    import torch
    from transformers import AutoModelForTokenClassification

    torch.set_num_threads(args.threads)
    models = [AutoModelForTokenClassification.from_pretrained(Path(c) / "hf", attn_implementation="eager")
              for c in checkpoints]
    states = [m.state_dict() for m in models]
    mixed = {k: sum((s[k] for s in states[1:]), v) / len(states) if v.is_floating_point() else v
             for k, v in states[0].items()}
    models[0].load_state_dict(mixed)
    tokenizer = load_tokenizer(args.encoder)
    mix, _ = build_mix(Path(args.corpora), Path(args.seed_gold), tokenizer, max_length=args.max_length,
                       limit=8, seed=args.seed)
    meta = json.loads((Path(checkpoints[-1]) / "encoder.json").read_text(encoding="utf8"))
    meta = {k: v for k, v in meta.items() if k not in ("int8_fp32_argmax_agreement", "agreement_wordpieces")}
    meta["average"] = {"checkpoints": [str(c) for c in checkpoints], "weights": "uniform"}
    out = Path(args.out) / "ckpt-average"
    export(models[0], Path(args.encoder), out, meta, mix[:16])
    return out


def main(argv: list[str] | None = None) -> None:
    """The command line (see the module docstring)."""
    p = argparse.ArgumentParser(prog="python -m paperkg.extract.ner.train_encoder",
                                description=__doc__.splitlines()[0])
    p.add_argument("--corpora", required=True)
    p.add_argument("--seed-gold", required=True)
    p.add_argument("--encoder", required=True, help="folder with config.json, weights, tokenizer.json")
    p.add_argument("--out", required=True)
    p.add_argument("--init", help="a checkpoint folder (with hf/) to go on training from: a second stage")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--max-minutes", type=float, default=90.0)
    p.add_argument("--max-steps", type=int, default=0, help="stop after this many steps (0: no limit)")
    p.add_argument("--ckpt-minutes", type=float, default=15.0)
    p.add_argument("--lr", type=float, default=1e-4)
    p.add_argument("--warmup", type=float, default=0.06, help="warmup, as a fraction of the steps")
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--max-length", type=int, default=256)
    p.add_argument("--gsap-fraction", type=float, default=0.5)
    p.add_argument("--seed-repeat", type=int, default=2)
    p.add_argument("--limit", type=int, default=0, help="windows per source (0: all); for smoke runs")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--log-every", type=int, default=10)
    p.add_argument("--average", nargs="+", metavar="CKPT",
                   help="average these checkpoints' weights (two or more) into DIR/ckpt-average "
                        "instead of training")
    args = p.parse_args(argv)
    if args.average:
        if len(args.average) < 2:
            p.error("--average needs two or more checkpoints")
        print(average([Path(c) for c in args.average], args))
        return
    if Path(args.out).exists() and any(Path(args.out).glob("ckpt-*")):
        p.error(f"{args.out} already holds checkpoints; choose a new --out")
    print(train(args))


if __name__ == "__main__":
    main()
