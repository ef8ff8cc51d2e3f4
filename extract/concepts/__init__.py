"""Concept resolution: from mentions to one node per concept, corpus-wide.

Keys (:mod:`~paperkg.extract.concepts.keys`), inflection, abbreviations and corpus
acronyms, generic terms, the user thesaurus, spelling groups and labels
(:mod:`~paperkg.extract.concepts.groups`) and :func:`~paperkg.extract.concepts.resolve.resolve`.
"""
