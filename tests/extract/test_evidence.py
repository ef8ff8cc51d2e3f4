"""Type by evidence: score-weighted votes, known names, explained ties."""

from __future__ import annotations

import pytest

from paperkg.extract.concepts.evidence import KnownNames, decide_type, known_names
from paperkg.extract.concepts.pwc import clean_dataset_name, dataset_names
from paperkg.extract.concepts.resolve import resolve
from paperkg.extract.records import Mention, Paper

NAMES = KnownNames(
    datasets=frozenset({"GSM8K", "MNIST", "MATH", "CIFAR10"}),
    tasks=frozenset({"musicgeneration", "clustering"}),
    task_heads=frozenset({"generation", "disambiguation"}),
)


@pytest.mark.parametrize("scores, key, expected", [
    ({"METHOD": 2.0}, "GSM8K", "DATASET"),                  # a known dataset, every vote METHOD
    ({"METHOD": 1.0, "DATASET": 1.0}, "MNIST", "DATASET"),
    ({"METHOD": 1.0}, "CIFAR 10", "DATASET"),               # matched by compact key
    ({"METHOD": 1.0}, "math", "METHOD"),                    # "MATH" the dataset keeps its case
    ({"METHOD": 1.0}, "RewardBench", "DATASET"),            # a benchmark name
    ({"METHOD": 1.0}, "MT Bench", "DATASET"),
    ({"METHOD": 1.0}, "workbench", "METHOD"),
    ({"DATASET": 3.0, "TASK": 1.0}, "acronym disambiguation", "TASK"),  # a task head is no dataset
    ({"DATASET": 1.0, "TASK": 1.0}, "symbolic music generation", "TASK"),
    ({"DATASET": 2.0}, "music generation", "TASK"),         # a known task name, only DATASET votes
    ({"METHOD": 4.0, "DATASET": 4.0}, "continual learning", "METHOD"),
    ({"METHOD": 3.0, "TASK": 1.0}, "clustering", "TASK"),    # a known task name pins TASK
    ({"METHOD": 1.0}, "clustering", "TASK"),
    ({"METHOD": 0.4, "DATASET": 0.45, "TASK": 0.3}, "Foo", "DATASET"),  # scores, not counts
    ({"METHOD": 0.9, "TASK": 0.6, "DATASET": 0.7}, "Foo", "METHOD"),
])
def test_decide_type(scores, key, expected):
    assert decide_type(scores, key=key, names=NAMES).type == expected


def test_decide_type_tie_goes_to_the_corpus_prior_and_says_so():
    tie = {"METHOD": 1.0, "DATASET": 1.0}
    first = decide_type(tie, key="Foo", prior=("DATASET", "METHOD", "TASK"), names=NAMES)
    second = decide_type(tie, key="Foo", prior=("METHOD", "TASK", "DATASET"), names=NAMES)
    assert (first.type, second.type) == ("DATASET", "METHOD")
    assert "tie" in first.evidence and "prior" in first.evidence


def test_decide_type_explains_the_pin():
    decision = decide_type({"METHOD": 2.0}, key="GSM8K", names=NAMES)
    assert decision.evidence.startswith("DATASET: a known dataset name")
    assert decision.scores == {"METHOD": 2.0}


def test_a_known_task_name_annotated_in_training_papers_goes_by_the_votes():
    names = KnownNames(datasets=NAMES.datasets, tasks=NAMES.tasks, task_heads=NAMES.task_heads,
                       annotated={"clustering": {"METHOD": 1}})
    decision = decide_type({"METHOD": 1.0, "TASK": 1.5}, key="clustering", names=names)
    assert decision.type == "METHOD" and "seed-gold training annotations" in decision.evidence
    assert decide_type({"METHOD": 1.0}, key="clustering", names=NAMES).evidence.startswith(
        "TASK: a known task name")


def test_shipped_known_names():
    names = known_names()
    assert {"GSM8K", "MNIST", "MATH", "ImageNet"} <= names.datasets
    assert "SGD" not in names.datasets  # an optimiser in the corpora's train gold
    assert {"generation", "detection"} <= names.task_heads
    assert not {"eng", "model", "video"} & names.task_heads


@pytest.mark.parametrize("raw, name", [
    ("COCO test-dev", "COCO"), ("BDD100K val", "BDD100K"), ("ObjectNet (ImageNet classes)", "ObjectNet"),
    ("N/A", ""), ("VisDrone- 1% labeled data", ""), ("MNLI + SNLI", ""), ("GSM8K", "GSM8K"),
])
def test_clean_dataset_name(raw, name):
    assert clean_dataset_name(raw) == name


def test_dataset_names_filters_by_gold(tmp_path):
    from collections import Counter

    path = tmp_path / "detailed.csv"
    path.write_text(
        "Category,Task Name,Common Datasets (Top 10),Benchmarks\n"
        'x,y,"SGD; GSM8K; Weather; Natural Questions","CIFAR-10 test"\n', encoding="utf-8")
    gold = {"METHOD": Counter({"SGD": 5}), "DATASET": Counter({"SGD": 1})}
    assert dataset_names(path, gold) == ["CIFAR-10", "GSM8K", "Natural Questions"]


def _m(paper, text, type, score=1.0):
    start = paper.abstract.index(text)
    return Mention(paper.id, "abstract", start, start + len(text), text, type, score, "", "", "")


def test_resolve_types_by_evidence_and_logs_it():
    p1 = Paper("p1", "A", "We fine-tune on GSM8K and MNIST with Foo.")
    p2 = Paper("p2", "B", "Results on GSM8K and MNIST use Foo.")
    r = resolve([p1, p2], [
        _m(p1, "GSM8K", "METHOD"), _m(p2, "GSM8K", "METHOD"),
        _m(p1, "MNIST", "METHOD"), _m(p2, "MNIST", "DATASET"),
        _m(p1, "Foo", "DATASET", 0.4), _m(p2, "Foo", "METHOD", 0.9),
    ])
    assert {k: c.type for k, c in r.concepts.items()} == {
        "GSM8K": "DATASET", "MNIST": "DATASET", "foo": "METHOD"
    }
    foo = r.concepts["foo"]
    assert foo.type_counts == {"METHOD": 1, "DATASET": 1}
    assert foo.type_scores == {"METHOD": 0.9, "DATASET": 0.4}
    logged = {(x.concept, x.paper_id): x.detail for x in r.merges if x.rule == "type"}
    assert set(logged) == {(c, p) for c in r.concepts for p in ("p1", "p2")}
    assert logged["GSM8K", "p1"] == r.concepts["GSM8K"].type_evidence
    assert "known dataset" in logged["GSM8K", "p1"]
