"""paperkg: turn paper titles and abstracts into a queryable paper–concept graph.

The top floor of the project: :mod:`paperkg.api` runs read → extract → resolve →
build → export, and :mod:`paperkg.cli` is the ``paperkg`` command. The layers below
are the packages ``extract`` (text), ``graph`` (networkx) and ``exports`` (formats).
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("paperkg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
