"""paperkg's text layer: paper records, then three rooms: read, ner, concepts.

Data flows one way through paperkg: ``extract`` (read text, find mentions) →
``graph`` (build and query the paper–concept graph) → ``exports`` (file formats).
This package never imports networkx or rdflib.
"""

from paperkg.errors import InputError
from paperkg.extract.records import Mention, Paper, Source

__all__ = ["InputError", "Mention", "Paper", "Source"]
