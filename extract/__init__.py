"""paperkg's text layer: paper records, input readers and the concept extractor.

Data flows one way through paperkg: ``extract`` (read text, find mentions) →
``graph`` (build and query the paper–concept graph) → ``exports`` (file formats).
This package never imports networkx or rdflib.
"""

from extract.errors import InputError
from extract.records import Mention, Paper, Source

__all__ = ["InputError", "Mention", "Paper", "Source"]
