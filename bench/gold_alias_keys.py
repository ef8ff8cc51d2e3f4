"""How well concept keys merge the seed-gold alias sets (issue 4).

For every gold concept (name + aliases) of ``dev.jsonl`` the script keys each written form
and counts the concepts whose forms do not all reach one concept: by
:func:`paperkg.extract.concepts.keys.concept_key` alone, with spelling variants merged
(:func:`paperkg.extract.concepts.keys.compact_key`), and with the paper's own abbreviation definitions and
the corpus acronym map of the 60 dev papers, as :func:`paperkg.extract.concepts.resolve.resolve` does.
It also counts the aliases that reach their name's concept, and *collisions*: two different gold concepts of one paper that reach one key.

Run: ``python bench/gold_alias_keys.py [path/to/dev.jsonl] [--show]``.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from paperkg.extract.concepts.keys import compact_key, concept_key
from paperkg.extract.records import Paper
from paperkg.extract.concepts.acronyms import acronym_map, expand_acronyms, paper_definitions

GOLD = Path("/work/shared/seed_gold/dev.jsonl")


def baseline_key(text: str) -> str:
    """The minimal key paperkg had before issue 4."""
    label = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return label if label.isupper() else label.casefold()


def main(argv: list[str]) -> None:
    path = Path(next((a for a in argv if not a.startswith("--")), GOLD))
    show = "--show" in argv
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    papers = [Paper(str(i), r["title"], r["abstract"]) for i, r in enumerate(records)]
    definitions = {p.id: paper_definitions(p) for p in papers}
    corpus, _ = acronym_map(definitions)

    def resolved(form: str, paper_id: str) -> str:
        key = compact_key(concept_key(form))
        own = definitions[paper_id]
        if key in own:
            return compact_key(own[key][0])
        if key in corpus:
            return compact_key(corpus[key])
        return compact_key(expand_acronyms(concept_key(form), own, corpus)[0])

    stages = {
        "baseline key": lambda form, _: baseline_key(form),
        "concept_key": lambda form, _: concept_key(form),
        "+ spelling": lambda form, _: compact_key(concept_key(form)),
        "+ abbreviations": resolved,
    }
    with_aliases = sum(1 for r in records for c in r["concepts"] if c["aliases"])
    total = sum(len(r["concepts"]) for r in records)
    n_aliases = sum(len(c["aliases"]) for r in records for c in r["concepts"])
    print(f"{len(records)} papers, {total} gold concepts, {with_aliases} with aliases")
    for name, keyer in stages.items():
        split, collisions, joined, shown = 0, 0, 0, []
        for paper, record in zip(papers, records):
            seen: dict[str, str] = {}
            for concept in record["concepts"]:
                forms = [concept["name"], *concept["aliases"]]
                keys = {keyer(form, paper.id) for form in forms}
                joined += sum(keyer(a, paper.id) == keyer(forms[0], paper.id) for a in forms[1:])
                if len(keys) > 1:
                    split += 1
                    shown.append(f"  split {forms} -> {sorted(keys)}")
                for key in keys:
                    if key in seen and seen[key] != concept["name"]:
                        collisions += 1
                        shown.append(f"  collision {seen[key]!r} / {concept['name']!r} -> {key!r}")
                    seen.setdefault(key, concept["name"])
        print(
            f"{name:16} split alias sets: {split:3d} / {with_aliases}   "
            f"aliases keyed as their name: {joined:3d} / {n_aliases}   collisions: {collisions}"
        )
        if show and name == "+ abbreviations":
            print("\n".join(shown))


if __name__ == "__main__":
    main(sys.argv[1:])
