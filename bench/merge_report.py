"""Concept merging on the seed pages: nodes before and after resolution, largest merges.

    python bench/merge_report.py [--model default]

Prints the number of concepts if every distinct surface form were its own node, if
each mention's own canonical key were (no abbreviations, no corpus map), and after
corpus-wide resolution; the 20 concepts that merged the most surface forms, with their
rules; and every acronym with more than one expansion.
"""

from __future__ import annotations

import argparse
from collections import Counter, defaultdict

from paperkg.extract.concepts.keys import concept_key
from paperkg.extract.ner.pipeline import extract, load_pipeline
from paperkg.extract.read.readers import read_papers
from paperkg.extract.concepts.resolve import resolve
from paperkg.api import seeds_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="default")
    args = parser.parse_args()
    papers = read_papers([seeds_dir()])
    nlp = load_pipeline(args.model)
    mentions = [m for _, found in extract(nlp, papers) for m in found]
    result = resolve(papers, mentions)
    surfaces = {m.text for m in mentions}
    own_keys = {concept_key(m.text) for m in mentions} - {""}
    print(f"papers: {len(papers)}, mentions: {len(mentions)}, kept after generic filter: "
          f"{len(result.mentions)}")
    print(f"concept nodes if every surface form were one: {len(surfaces)}")
    print(f"concept nodes by each mention's own key:      {len(own_keys)}")
    print(f"concept nodes after corpus-wide resolution:    {len(result.concepts)}")
    rules = Counter(r.rule for r in result.merges)
    print("merge log rules:", ", ".join(f"{k} {v}" for k, v in sorted(rules.items())))

    forms: dict[str, set[str]] = defaultdict(set)
    how: dict[str, Counter] = defaultdict(Counter)
    for record in result.merges:
        if record.concept in result.concepts:
            forms[record.concept].add(record.surface)
            how[record.concept][record.rule] += 1
    print("\nlargest merges (distinct surface forms → concept):")
    largest = sorted(forms, key=lambda c: (-len(forms[c]), c))[:20]
    for concept in largest:
        info = result.concepts[concept]
        shown = sorted(forms[concept], key=str.casefold)
        extra = f" … (+{len(shown) - 6})" if len(shown) > 6 else ""
        print(f"  {len(shown):3d}  {info.label} [{info.type}, {info.n_papers} papers] "
              f"← {' | '.join(shown[:6])}{extra}   rules: "
              + ", ".join(f"{r} {n}" for r, n in sorted(how[concept].items())))
    print("\nacronyms with more than one expansion (kept apart):")
    for short, expansions in result.ambiguous_acronyms.items():
        print(f"  {short}: {' | '.join(expansions)}")


if __name__ == "__main__":
    main()
