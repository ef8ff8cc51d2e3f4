"""paperkg: turn paper titles and abstracts into a queryable paper–concept graph.

The top floor of the project: :mod:`paperkg.api` runs read → extract → resolve →
build → export, and :mod:`paperkg.cli` is the ``paperkg`` command. The layers below
are the packages :mod:`paperkg.extract` (text), :mod:`paperkg.graph` (networkx) and
:mod:`paperkg.exports` (formats).
"""

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

try:
    __version__ = version("paperkg")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

# In a source checkout the parts live in folders beside this one (pyproject.toml maps
# them with ``package-dir``). When this folder is imported straight from the checkout
# (``python -m paperkg`` run in the repository), look for them there too; an installed
# wheel holds them inside this folder and never reaches this fallback.
_checkout = Path(__file__).resolve().parent.parent
if all((_checkout / part / "__init__.py").is_file() for part in ("extract", "graph", "exports")):
    __path__.append(str(_checkout))  # noqa: F821  (the package's own search path)

__all__ = ["__version__"]
