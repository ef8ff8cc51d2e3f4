"""Safe XML: parse a document without entities, external references or network access.

Every XML input goes through :func:`parse_xml`, which uses ``defusedxml``'s parser (expat
underneath): a document that declares an entity (the "billion laughs" bomb), refers to an
external entity or DTD (XXE: ``<!ENTITY x SYSTEM "file:///etc/passwd">``) is refused with
one line before anything is expanded or fetched; expat never opens a URL or a file itself.
Each element's line is kept (:func:`line_of`) so records are named ``file:line``.

>>> root, lines = parse_xml("<a>\\n<b>x</b></a>", "t.xml")
>>> root[0].text, line_of(lines, root[0])
('x', 2)
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from paperkg.errors import InputError

__all__ = ["Lines", "line_of", "local", "parse_xml"]

#: Element → line, kept beside the tree (ElementTree elements take no extra attributes).
Lines = dict[int, tuple[Element, int]]


class _LineBuilder(TreeBuilder):
    """A tree builder that records the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.parser: DefusedXMLParser | None = None
        self.lines: Lines = {}

    def start(self, tag, attrs):  # noqa: D102 -- TreeBuilder's hook
        element = super().start(tag, attrs)
        line = self.parser.parser.CurrentLineNumber if self.parser is not None else 0
        self.lines[id(element)] = (element, line)
        return element


def parse_xml(text: str, where: str) -> tuple[Element, Lines]:
    """Parse ``text`` safely; return the root element and the lines of its elements.

    Raises
    ------
    InputError
        ``"<where>: XML declares entities ..."`` for any entity declaration, external
        reference or DTD that could fetch or expand anything, and
        ``"<where>:<line>: not well-formed XML (...)"`` for a syntax error.
    """
    builder = _LineBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(text)
        root = parser.close()
    except DefusedXmlException as err:
        raise InputError(
            f"{where}: XML that declares entities or refers to external resources is refused "
            f"({type(err).__name__}); nothing was expanded or fetched"
        ) from None
    except ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else 0
        reason = " ".join(str(err).split(":")[0].split())
        raise InputError(f"{where}:{line}: not well-formed XML ({reason})") from None
    return root, builder.lines


def line_of(lines: Lines, element: Element) -> int:
    """Return the line ``element`` starts on (0 when unknown)."""
    return lines.get(id(element), (element, 0))[1]


def local(tag: str) -> str:
    """Return a tag's local name, without its ``{namespace}``.

    >>> local("{http://www.w3.org/2005/Atom}entry")
    'entry'
    """
    return tag.rpartition("}")[2]
