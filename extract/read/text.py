"""Bytes to text, safely: every input file goes through :func:`read_text`.

What a reader can rely on after :func:`read_text`:

* the file was a **regular file** (a FIFO, a device or a folder is refused before a byte is
  read, so nothing hangs on ``/dev/zero`` or a named pipe) and could be read (``EIO``,
  ``EACCES`` and the like become one-line :class:`~paperkg.errors.InputError` messages);
* the bytes were **UTF-8**, or UTF-16 / UTF-32 **with a byte-order mark**; the BOM is dropped;
  anything else (binary data, Latin-1, UTF-16 without a BOM) is refused with the encoding named;
* newlines are ``\\n`` (``\\r\\n`` and lone ``\\r`` become ``\\n``); nothing else is changed, so
  character offsets into a text stay valid.

Texts from JSON can still hold **lone surrogates** (``"\\ud800"`` is valid JSON but no
Unicode text); :func:`clean_text` turns each into U+FFFD, the replacement character, so every
text paperkg keeps can be written as UTF-8. Texts longer than :data:`MAX_TEXT_CHARS` are
refused by :func:`check_length` (spaCy refuses a document over 1,000,000 characters; an
abstract is a few thousand).

>>> clean_text("caf\\ud800e")
'caf\\ufffde'
>>> decode_text("Title\\r\\n\\r\\nAbstract.".encode("utf-16"), "p.txt")
'Title\\n\\nAbstract.'
>>> display("a\\nb\\udcff.txt")
'a\\\\nb\\\\udcff.txt'
"""

from __future__ import annotations

import codecs
import gzip
import os
import re
import stat
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO

from paperkg.errors import InputError

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "MAX_LINE_CHARS",
    "MAX_TEXT_CHARS",
    "check_length",
    "clean_text",
    "decode_text",
    "display",
    "file_kind",
    "head_text",
    "is_gzip_name",
    "read_bytes",
    "read_text",
    "text_lines",
]

#: The longest title, abstract or other record field paperkg accepts, in characters. A
#: record over it is refused (naming ``file:line``) rather than split: a paper is one
#: title and one abstract, and splitting would invent papers or cut mention offsets;
#: a field this long is nearly always a whole document pasted into one cell.
MAX_TEXT_CHARS = 100_000

#: The longest line of a line-by-line file (JSON Lines) in characters: twenty fields at
#: :data:`MAX_TEXT_CHARS`. A longer line is refused naming ``file:line`` instead of being
#: held in memory whole.
MAX_LINE_CHARS = 2_000_000
#: The most bytes a gzip-compressed *document* (XML, JSON, BibTeX, RIS, a page) may expand
#: to; line-by-line files are streamed and have no such limit.
MAX_DOCUMENT_BYTES = 512 * 1024 * 1024
_CHUNK = 1 << 20

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


def display(name: str | os.PathLike) -> str:
    """Return ``name`` printable on one line: control characters, line separators and lone
    surrogates (undecodable bytes of a file name) are written as escapes.

    >>> display("plain/name.txt")
    'plain/name.txt'
    """
    text = os.fspath(name)
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
        for c in text
    )


def clean_text(text: str) -> str:
    """Return ``text`` with each lone surrogate replaced by U+FFFD (nothing else changes).

    >>> clean_text("ok") == "ok"
    True
    """
    return _SURROGATE.sub("\ufffd", text)


def check_length(text: str, what: str, where: str) -> str:
    """Return ``text``, or refuse it when it is longer than :data:`MAX_TEXT_CHARS`.

    Raises
    ------
    InputError
        ``"<where>: the <what> is N characters long; ..."``.
    """
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{where}: the {what} is {len(text):,} characters long; paperkg reads at most "
            f"{MAX_TEXT_CHARS:,} per field (is a whole document in one field?)"
        )
    return text


def _reason(err: OSError) -> str:
    return " ".join(str(err.strerror or type(err).__name__).split())


def file_kind(mode: int) -> str:
    """Name the kind of file of an ``st_mode`` that is not a regular file.

    >>> file_kind(stat.S_IFIFO)
    'a named pipe (FIFO)'
    """
    return next((name for test, name in _FILE_KINDS if test(mode)), "a special file")


def is_gzip_name(path: str | os.PathLike) -> bool:
    """Whether ``path`` names a gzip-compressed file (its name ends in ``.gz``).

    >>> is_gzip_name("arxiv.jsonl.GZ"), is_gzip_name("a.json")
    (True, False)
    """
    return os.fspath(path).lower().endswith(".gz")


@contextmanager
def _open_regular(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Open the regular file ``path`` for reading bytes (decompressed when it ends in ``.gz``).

    The file is opened without blocking and checked on the open descriptor, so a FIFO or a
    device is refused, never read. Read errors inside the block (``OSError``, a broken gzip
    stream) become one-line :class:`~paperkg.errors.InputError` messages.
    """
    shown = display(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        broken = os.path.islink(path)
        raise InputError(f"{shown}: {'a broken symbolic link' if broken else 'no such file or folder'}") from None
    except OSError as err:
        raise InputError(f"{shown}: cannot open ({_reason(err)})") from None
    except ValueError:  # a NUL character in the path
        raise InputError(f"{shown}: not a valid path") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{shown}: {file_kind(mode)}, not a regular file")
        with open(fd, "rb", closefd=False) as raw:
            if is_gzip_name(path):
                with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                    yield unzipped
            else:
                yield raw
    except (gzip.BadGzipFile, EOFError, zlib.error) as err:
        raise InputError(f"{shown}: not valid gzip data ({' '.join(str(err).split()) or type(err).__name__})") from None
    except OSError as err:
        raise InputError(f"{shown}: cannot read ({_reason(err)})") from None
    finally:
        os.close(fd)


def read_bytes(path: str | os.PathLike) -> bytes:
    """Return the bytes of the regular file ``path``, decompressed when its name ends in
    ``.gz`` (at most :data:`MAX_DOCUMENT_BYTES` of them).

    Raises
    ------
    InputError
        If the path is missing, not a regular file, cannot be opened or read, is not valid
        gzip data, or expands past the limit.
    """
    with _open_regular(path) as f:
        if not is_gzip_name(path):
            return f.read()
        data = f.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"{display(path)}: expands to more than {MAX_DOCUMENT_BYTES:,} bytes; paperkg streams "
            "only line-by-line files (.jsonl.gz) this large"
        )
    return data


def _wide_encoding(data: bytes) -> str | None:
    """The UTF-16 / UTF-32 variant that ``data`` (with NUL bytes, no BOM) reads as, if any:
    NULs at every other byte (mostly-ASCII text) and a mostly printable decoding."""
    sample = data[:65536]
    sample = sample[: len(sample) - len(sample) % 4]
    if len(sample) < 8 or max(sample[0::2].count(0), sample[1::2].count(0)) < len(sample) // 4:
        return None
    for codec in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text = sample.decode(codec, "replace")
        good = sum((c.isprintable() and c != "\ufffd") or c in "\t\n\r" for c in text)
        if "\x00" not in text and good >= 0.95 * len(text):
            return codec.upper()
    return None


def decode_text(data: bytes, where: str, *, utf8_only: bool = False) -> str:
    """Decode the bytes of a text file (see the module docstring) and normalise newlines.

    With ``utf8_only``, UTF-16 and UTF-32 are refused too (for files that other code
    reopens as UTF-8).

    Raises
    ------
    InputError
        If the bytes are empty, binary, or not UTF-8 / UTF-16 / UTF-32 with a BOM; the
        message starts with ``where``.
    """
    if not data.strip():
        raise InputError(f"{where}: the file is empty")
    codec, name = next(((c, n) for bom, c, n in _BOMS if data.startswith(bom)), ("utf-8", "UTF-8"))
    if utf8_only and name != "UTF-8":
        raise InputError(f"{where}: {name} text; this file must be UTF-8")
    if codec == "utf-8" and b"\x00" in data:
        wide = _wide_encoding(data)
        if wide:
            raise InputError(
                f"{where}: looks like {wide} text without a byte-order mark; save it as UTF-8"
            )
        raise InputError(f"{where}: looks like a binary file, not text")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as err:
        raise InputError(
            f"{where}: not {name} text (byte 0x{data[err.start]:02x} at offset {err.start})"
        ) from None
    if "\x00" in text:
        raise InputError(f"{where}: looks like a binary file, not text (a NUL character)")
    if not text.strip():
        raise InputError(f"{where}: the file is empty")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: str | os.PathLike, *, utf8_only: bool = False) -> str:
    """Return the text of the file ``path``: :func:`read_bytes`, then :func:`decode_text`.

    Raises
    ------
    InputError
        If the file is missing, not a regular file, unreadable, empty, binary or in an
        encoding other than UTF-8 (or UTF-16 / UTF-32 with a BOM, unless ``utf8_only``).
    """
    return decode_text(read_bytes(path), display(path), utf8_only=utf8_only)


def _codec(head: bytes, where: str, utf8_only: bool) -> tuple[str, str]:
    """The codec and display name of a file from its first bytes (see :func:`decode_text`)."""
    codec, name = next(((c, n) for bom, c, n in _BOMS if head.startswith(bom)), ("utf-8", "UTF-8"))
    if utf8_only and name != "UTF-8":
        raise InputError(f"{where}: {name} text; this file must be UTF-8")
    if codec == "utf-8" and b"\x00" in head:
        wide = _wide_encoding(head)
        if wide:
            raise InputError(
                f"{where}: looks like {wide} text without a byte-order mark; save it as UTF-8"
            )
        raise InputError(f"{where}: looks like a binary file, not text")
    return codec, name


def head_text(path: str | os.PathLike, size: int = 65536) -> str:
    """Return about the first ``size`` bytes of ``path`` as text, leniently decoded (for
    telling formats apart; the reader itself checks the whole file).

    Raises
    ------
    InputError
        If the file cannot be opened or read, or is not valid gzip data.
    """
    with _open_regular(path) as f:
        head = f.read(size)
    codec = next((c for bom, c, _ in _BOMS if head.startswith(bom)), "utf-8")
    return codecs.getincrementaldecoder(codec)("replace").decode(head)


def text_lines(path: str | os.PathLike, *, utf8_only: bool = False) -> Iterator[tuple[int, str]]:
    """Yield ``(line number, line)`` for every line of ``path``, reading it as a stream.

    The same rules as :func:`read_text` (regular files; UTF-8, or UTF-16 / UTF-32 with a
    BOM; newlines ``\\r\\n`` and ``\\r`` become ``\\n``; a ``.gz`` file is decompressed),
    but the file is never held in memory whole: lines are split on ``\\n`` only (never on
    U+2028 or U+0085) as the bytes arrive, and a line over :data:`MAX_LINE_CHARS` is refused.

    Raises
    ------
    InputError
        Naming the file (and line) for an unreadable, empty, binary or wrongly encoded file,
        or a line over the limit.
    """
    shown = display(path)
    with _open_regular(path) as f:
        chunk = f.read(_CHUNK)
        codec, name = _codec(chunk, shown, utf8_only)
        decoder = codecs.getincrementaldecoder(codec)("strict")
        number, pending, seen_text = 1, "", False
        while True:
            final = not chunk
            try:
                text = decoder.decode(chunk, final=final)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"{shown}:{number + pending.count(chr(10))}: not {name} text "
                    f"(byte 0x{err.object[err.start]:02x})"
                ) from None
            if "\x00" in text:
                raise InputError(f"{shown}: looks like a binary file, not text (a NUL character)")
            pending += text
            if not final and pending.endswith("\r"):
                keep, pending = "\r", pending[:-1]
            else:
                keep = ""
            pending = pending.replace("\r\n", "\n").replace("\r", "\n")
            lines = pending.split("\n")
            pending = lines.pop() + keep
            for line in lines:
                seen_text = seen_text or bool(line.strip())
                yield number, line
                number += 1
            if len(pending) > MAX_LINE_CHARS:
                raise InputError(
                    f"{shown}:{number}: the line is longer than {MAX_LINE_CHARS:,} characters"
                )
            if final:
                break
            chunk = f.read(_CHUNK)
        if pending:
            seen_text = seen_text or bool(pending.strip())
            yield number, pending
        if not seen_text:
            raise InputError(f"{shown}: the file is empty")
