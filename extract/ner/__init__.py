"""The spaCy extractor: the shipped pipeline, its components, training and evaluation.

:func:`paperkg.extract.ner.pipeline.load_pipeline` loads a pipeline once and
:func:`paperkg.extract.ner.pipeline.extract` turns papers into
:class:`~paperkg.extract.records.Mention` records. Nothing is loaded at import.
"""
