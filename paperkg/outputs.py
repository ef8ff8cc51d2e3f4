"""Safe output: whatever paperkg writes appears whole or not at all, and nothing else moves.

Used by every layer that writes (the saved graph, the exports, a build's folder), so that

* a failure, Ctrl-C or a kill never leaves a half-written file where the user looks: a file
  is written beside its target and renamed into place (:func:`atomic_output`);
* a folder of files (a build, a table export) is one transaction: it is written into a
  staging folder beside the target and swapped in with one rename, under a lock, keeping
  the previous folder until the new one is complete (:func:`staged_folder`);
* nothing the user had is deleted or overwritten: a folder is replaced only if paperkg
  made it (it carries a manifest, :data:`MANIFEST`, listing every file paperkg wrote there)
  and holds nothing else; an existing file is replaced only if it is one paperkg wrote into
  one of its own folders, or the caller says so (``force``).

Every refusal is an :class:`~paperkg.errors.InputError` raised before any work is done.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from paperkg.errors import InputError

__all__ = [
    "MANIFEST",
    "atomic_output",
    "check_file_target",
    "check_folder_target",
    "read_manifest",
    "record_output",
    "staged_folder",
    "store_errors",
    "writing_into",
]

#: The file inside every folder paperkg writes, naming its kind and the files it holds.
MANIFEST = ".paperkg.json"
_STAGING = ".staging"
_OLD = ".old"
#: The file inside a staging folder while it is written: only folders that hold it are
#: ever removed as left over from a killed run (never a folder of the user's that happens
#: to have a staging folder's name).
_STAGING_MARK = ".paperkg-staging"
#: The lock file beside a target is ``.<name>`` followed by this, and holds this text.
_LOCK = ".paperkg-lock"
_LOCK_TEXT = b"paperkg lock\n"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fail(target: Path, err: OSError) -> InputError:
    reason = err.strerror or err.__class__.__name__
    return InputError(f"cannot write {target}: {reason}")


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it to ``path``.

    A writer that fails (or is interrupted) leaves no partial file: the temporary file is
    removed and the old ``path`` (if any) is untouched. The caller decides beforehand
    whether ``path`` may be replaced (:func:`check_file_target`).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise _fail(target, err) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, (0o777 if tmp_path.is_dir() else 0o666) & ~_umask())
        os.replace(tmp_path, target)
    except BaseException:
        if tmp_path.is_dir():
            shutil.rmtree(tmp_path, ignore_errors=True)
        else:
            tmp_path.unlink(missing_ok=True)
        raise


def read_manifest(folder: str | os.PathLike) -> dict | None:
    """Return the manifest of a folder paperkg wrote, or ``None`` for any other folder."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return data


def _foreign(folder: Path, manifest: dict) -> list[str]:
    """Names inside ``folder`` that its manifest does not list (the user's files), and
    inside each listed folder (a table export in a build) what its own manifest does not
    list, as ``sub/name``; a listed folder without a manifest is the user's altogether."""
    listed = set(manifest["files"]) | {MANIFEST}
    found = []
    for path in sorted(folder.iterdir()):
        if path.name not in listed:
            found.append(path.name)
        elif path.is_dir() and not path.is_symlink():
            inner = read_manifest(path)
            if inner is None:
                found.append(f"{path.name}/")
            else:
                found.extend(f"{path.name}/{name}" for name in _foreign(path, inner))
    return found


def _check_path(target: Path) -> None:
    if str(target) in ("", "."):
        raise InputError("the output path is empty: name a new file or folder")
    here = Path.cwd().resolve()
    if target.resolve() in (here, *here.parents):
        raise InputError(f"{target} is the current folder or holds it: name a new folder")
    parent = target.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(f"cannot write {target}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {target}: {parent} is not writable")


def check_folder_target(target: str | os.PathLike, *, kinds: Iterable[str]) -> None:
    """Refuse a folder target that paperkg may not replace.

    The target may be missing, an empty folder, or a folder paperkg wrote with a manifest
    whose kind is one of ``kinds`` and which holds no file the manifest does not list.

    Raises
    ------
    InputError
        Naming the target and why (a file, the user's folder, another kind of output).
    """
    target = Path(target)
    _check_path(target)
    if not target.exists() and not target.is_symlink():
        return
    if not target.is_dir() or target.is_symlink():
        raise InputError(f"{target} exists and is not a folder paperkg made: choose a new folder")
    if not any(target.iterdir()):
        return
    manifest = read_manifest(target)
    kinds = set(kinds)
    if manifest is None:
        raise InputError(
            f"{target} is a folder paperkg did not make and is not empty: "
            "choose a new or empty folder (paperkg never deletes your files)"
        )
    if manifest["kind"] not in kinds:
        raise InputError(
            f"{target} holds a paperkg {manifest['kind']} output, not a {' or '.join(sorted(kinds))}: "
            "choose another folder"
        )
    foreign = _foreign(target, manifest)
    if foreign:
        shown = ", ".join(foreign[:3]) + (" …" if len(foreign) > 3 else "")
        raise InputError(
            f"{target} holds files paperkg did not write ({shown}): move them or choose another folder"
        )


def check_file_target(target: str | os.PathLike, *, force: bool = False) -> None:
    """Refuse a file target that paperkg may not replace.

    A missing file is fine; an existing one only if it is listed in the manifest of the
    paperkg folder it sits in (a file paperkg wrote there), or if ``force`` is true.
    """
    target = Path(target)
    _check_path(target)
    if target.is_dir():
        raise InputError(f"{target} is a folder: name a file")
    if not os.path.lexists(target) or force:  # a link, even one pointing nowhere, is the user's
        return
    manifest = read_manifest(target.parent)
    if manifest is None or target.name not in manifest["files"]:
        raise InputError(f"{target} exists: choose another name, or pass --force to replace it")


def record_output(folder: str | os.PathLike, name: str) -> None:
    """Add ``name`` to the manifest of a paperkg folder (an export written into a build)."""
    manifest = read_manifest(folder)
    if manifest is None or name in manifest["files"]:
        return
    manifest["files"] = sorted({*manifest["files"], name})
    _write_manifest(Path(folder), manifest)


@contextmanager
def store_errors(path: str | os.PathLike) -> Iterator[None]:
    """Turn an SQLite failure while writing the store ``path`` (a full disk, an I/O error)
    into an :class:`OSError` naming the file, as every other write failure is."""
    import sqlite3

    try:
        yield
    except sqlite3.Error as err:
        raise OSError(errno.EIO, f"cannot write {path}: {err}") from None


@contextmanager
def writing_into(folder: str | os.PathLike) -> Iterator[None]:
    """Hold the lock of ``folder`` while something is written into it, if paperkg made it:
    a rebuild of that folder, which replaces it whole, then refuses to start, and one
    under way makes this fail at once (rather than drop the new file with the old
    folder). Any other folder is not locked."""
    folder = Path(folder)
    if read_manifest(folder) is None:
        yield
        return
    with _lock(folder):
        yield


def _write_manifest(folder: Path, manifest: dict) -> None:
    with atomic_output(folder / MANIFEST) as tmp:
        tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``target`` (a lock file beside it) or fail at once."""
    import fcntl

    path = target.parent / f".{target.name}{_LOCK}"
    while True:
        _check_lock_file(path)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o666)
        except OSError as err:
            raise _fail(target, err) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(
                f"another paperkg process is writing {target}: wait for it to finish"
            ) from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, _LOCK_TEXT)
            break
        os.close(fd)  # the lock file was removed by the holder between our open and flock
    try:
        yield
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)


def _check_lock_file(path: Path) -> None:
    """Refuse to take (and later remove) a file at the lock's path that paperkg did not
    write: one that is not a plain file, or that holds anything but the lock's text (a
    lock left by a killed run holds that text, or nothing if the kill came before it)."""
    if not os.path.lexists(path):
        return
    try:
        mine = path.is_file() and not path.is_symlink() and path.read_bytes() in (b"", _LOCK_TEXT)
    except OSError:
        mine = False
    if not mine:
        raise InputError(f"{path} exists and is not paperkg's lock file: move it away")


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_in(stage: Path, target: Path) -> None:
    """Put the finished ``stage`` folder at ``target``; the old target is removed after."""
    if not target.exists():
        os.rename(stage, target)
        return
    if _exchange(stage, target):
        shutil.rmtree(stage)
        return
    # Where the two folders cannot be exchanged in one step: the old one steps aside under
    # a fresh name of its own (never one the user may have), then the new one moves in.
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_OLD, dir=target.parent))
    os.rename(target, old)
    os.rename(stage, target)
    shutil.rmtree(old)


def _clean_stale(target: Path, kinds: set[str]) -> None:
    """Tidy what a killed run left beside ``target`` (we hold its lock): remove its staging
    folders (those holding :data:`_STAGING_MARK`), and put back, or remove, a previous
    ``target`` a kill caught stepping aside in :func:`_swap_in` (a folder of one of
    ``kinds`` with nothing but what its manifest lists). Nothing else is touched."""
    name = glob.escape(target.name)
    for stale in sorted(target.parent.glob(f".{name}.*{_STAGING}")):
        if stale.is_dir() and not stale.is_symlink() and (stale / _STAGING_MARK).is_file():
            shutil.rmtree(stale, ignore_errors=True)
    for old in sorted(target.parent.glob(f".{name}.*{_OLD}")):
        manifest = None if old.is_symlink() or not old.is_dir() else read_manifest(old)
        if manifest is None or manifest["kind"] not in kinds or _foreign(old, manifest):
            continue
        if not target.exists():
            os.rename(old, target)  # a kill fell between the two renames of a swap: restore
        else:
            shutil.rmtree(old, ignore_errors=True)


@contextmanager
def staged_folder(
    target: str | os.PathLike, *, kind: str, replaces: Iterable[str] = ()
) -> Iterator[Path]:
    """Write a folder as one transaction: yield a staging folder, then swap it in.

    The target is checked and locked before the caller does any work, so a bad path or a
    second writer fails at once. On success the staging folder gets a manifest listing
    its files and replaces ``target`` in one rename; on any failure or interrupt it is
    removed and ``target`` is untouched.

    Parameters
    ----------
    target:
        The folder to write.
    kind:
        What the folder is (``"build"``, ``"csv export"``), stored in the manifest.
    replaces:
        Other kinds of paperkg folder this one may replace (besides ``kind``).
    """
    target = Path(target)
    check_folder_target(target, kinds={kind, *replaces})
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _fail(target, err) from None
    with _lock(target):
        _clean_stale(target, {kind, *replaces})
        check_folder_target(target, kinds={kind, *replaces})
        try:
            stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=_STAGING, dir=target.parent))
            (stage / _STAGING_MARK).touch()
        except OSError as err:
            raise _fail(target, err) from None
        try:
            yield stage
            (stage / _STAGING_MARK).unlink()
            files = sorted(p.name for p in stage.iterdir())
            from paperkg import __version__

            _write_manifest(stage, {"kind": kind, "files": files, "paperkg": __version__})
            os.chmod(stage, 0o777 & ~_umask())
            # Again: the user may have put a file into the old folder while this one was written.
            check_folder_target(target, kinds={kind, *replaces})
            _swap_in(stage, target)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
