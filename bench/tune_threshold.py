"""Choose the encoder pipeline's default minimum mention score on the dev sets.

Usage (from the repository root)::

    python bench/tune_threshold.py --model extract/ner/models/default \\
        --corpora ../shared/corpora --seed-gold ../shared/seed_gold/dev.jsonl \\
        [--thresholds 0,0.4,0.5,0.6,0.7,0.8] [--json OUT.json] [--plain-typing]

For each threshold the pipeline (its encoder's ``min_score`` set to it, so the rule layer fills
the gaps the dropped spans leave, exactly as at run time) is scored with
:func:`paperkg.extract.ner.evaluate.evaluate_corpora`: the exact-span micro F1 on each corpus dev
split and the resolved seed-gold F1 (the ``paperkg eval`` default). The encoder's outputs are
computed once and cached (it is deterministic), so each threshold only reruns the cheap steps.
The chosen threshold maximises the mean of the seed-gold F1 and the mean corpus F1 (ties: the
lower threshold). At that threshold the script also prints the precision, on the seed-gold dev
set, of the raw typed spans by source: the encoder's, and those the CNN or the rules added in its
gaps (the figure the assembled pipeline's ``--fill-score`` takes). The seed-gold dev set is used
for tuning only, never for training. ``--plain-typing`` types concepts by their mentions'
votes alone (:func:`plain_typing`), for the ablation of typing by evidence.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from paperkg.extract.ner.encoder import SCORES_KEY  # noqa: E402
from paperkg.extract.ner.evaluate import evaluate_corpora, normalise  # noqa: E402
from paperkg.extract.ner.pipeline import load_pipeline  # noqa: E402


def cache_predictions(tagger) -> None:
    """Memoise ``tagger.predict`` by text (the encoder is deterministic)."""
    predict, memo = tagger.predict, {}

    def cached(texts):
        todo = [t for t in dict.fromkeys(texts) if t not in memo]
        if todo:
            memo.update(zip(todo, predict(todo)))
        return [memo[t] for t in texts]

    tagger.predict = cached


def summary(metrics: dict) -> dict:
    """Return the F1 figures (percent) of an ``evaluate_corpora`` result."""
    row = {name: round(100 * r["spans"]["micro"]["f"], 1) for name, r in metrics.items() if name != "seed_gold"}
    seed = metrics["seed_gold"]
    row.update({
        "seed_p": round(100 * seed["micro"]["p"], 1), "seed_r": round(100 * seed["micro"]["r"], 1),
        "seed_f": round(100 * seed["micro"]["f"], 1),
        "seed_dataset_p": round(100 * seed["per_type"]["DATASET"]["p"], 1),
        "seed_task_r": round(100 * seed["per_type"]["TASK"]["r"], 1),
        "core_r": round(100 * seed["core_recall"]["r"], 1),
    })
    corpora = [v for k, v in row.items() if k in metrics and k != "seed_gold"]
    row["objective"] = round((row["seed_f"] + sum(corpora) / len(corpora)) / 2, 2)
    return row


def plain_typing() -> None:
    """Type concepts without the evidence of :mod:`paperkg.extract.concepts.evidence`: the most
    summed mention score wins, ties fall to METHOD; no known names, training annotations, task
    heads or corpus prior (the ablation row "without typing by evidence")."""
    from paperkg.extract.concepts import groups
    from paperkg.extract.concepts.evidence import TypeDecision
    from paperkg.extract.records import TYPES

    def decide(scores, *, key, prior=TYPES, names=None):
        best = max(scores, key=lambda t: (scores[t], t == "METHOD"))
        return TypeDecision(best, dict(scores), f"{best}: most votes (plain typing)")

    groups.decide_type = decide


def source_precision(nlp, seed_gold: Path, threshold: float) -> dict:
    """Seed-gold precision of the final typed spans, by source: encoder, or filled by CNN / rules."""
    counts = {"encoder": [0, 0], "fill": [0, 0]}
    with open(seed_gold, encoding="utf8") as f:
        papers = [json.loads(line) for line in f if line.strip()]
    for paper in papers:
        gold = {(c["type"], normalise(form)) for c in paper["concepts"]
                for form in [c["name"], *c.get("aliases", [])]}
        for doc in nlp.pipe([paper.get("title") or "", paper.get("abstract") or ""]):
            group = doc.spans[SCORES_KEY]
            for ent in doc.ents:
                own = any(s.label == ent.label and s.start_char <= ent.start_char
                          and ent.end_char <= s.end_char and score >= threshold
                          for s, score in zip(group, group.attrs["scores"]))
                c = counts["encoder" if own else "fill"]
                c[0] += (ent.label_, normalise(ent.text)) in gold
                c[1] += 1
    return {k: {"correct": a, "spans": n, "p": round(a / n, 3) if n else None} for k, (a, n) in counts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default="default")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--seed-gold", type=Path, default=ROOT.parent / "shared" / "seed_gold" / "dev.jsonl")
    parser.add_argument("--thresholds", default="0,0.4,0.5,0.6,0.7,0.8")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--plain-typing", action="store_true",
                        help="type concepts by their mentions' votes alone (ablation)")
    args = parser.parse_args(argv)
    if args.plain_typing:
        plain_typing()

    nlp = load_pipeline(args.model)
    tagger = nlp.get_pipe("paperkg_encoder")
    cache_predictions(tagger)
    rows = {}
    for t in (float(x) for x in args.thresholds.split(",")):
        tagger.min_score = t
        rows[t] = summary(evaluate_corpora(nlp, args.corpora, seed_gold=args.seed_gold))
        print(f"min_score {t:.2f}: {json.dumps(rows[t])}", flush=True)
    best = max(rows, key=lambda t: (rows[t]["objective"], -t))
    print(f"best min_score {best:.2f} (objective {rows[best]['objective']})")
    tagger.min_score = best
    sources = source_precision(nlp, args.seed_gold, best)
    print(f"seed-gold dev precision by source at {best:.2f}: {json.dumps(sources)}")
    if args.json:
        args.json.write_text(json.dumps({"rows": {str(k): v for k, v in rows.items()}, "best": best,
                                          "sources": sources}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
