"""Write a folder completely, then put it in place: nothing published is lost or left
half-written by a run that fails midway or is killed.

A package folder is written into a hidden staging folder beside its target
(``.<name>.<random>``) and then swapped in:

* on Linux, with one ``renameat2(RENAME_EXCHANGE)`` call: the new folder and the old one
  change places atomically, so at every instant ``<name>`` is either the whole old package or
  the whole new one; the old one, now under the staging name, is then deleted;
* elsewhere (or on a file system without exchange), with two renames: ``<name>`` ->
  ``.<name>.old``, staging -> ``<name>``. A kill between the two leaves the good package as
  ``.<name>.old``; :func:`recover_leftovers` puts it back at the start of the next run.

:func:`recover_leftovers` also removes staging folders of runs that died. It must only run
while the output folder's lock is held (:func:`yusuan.core.output_lock.output_lock`), so that it
never removes the staging folder of a run still writing.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RETIRED_SUFFIX = ".old"
# .<name>.<8 characters of tempfile.mkdtemp> (staging) or .<name>.old (retired)
_LEFTOVER = re.compile(r"^\.(?P<name>[a-z0-9][a-z0-9_-]*)\.(?P<tag>old|[a-z0-9_]{8})$")
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@contextmanager
def staged_folder(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on success it replaces ``target``;
    on failure it is removed and ``target`` is untouched."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        replace_folder(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_folder(staging: Path, target: Path) -> None:
    """Put ``staging`` in place of ``target`` (atomically where the system can)."""
    staging.chmod(0o755)
    if not target.exists():
        staging.rename(target)
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old folder
        return
    retired = target.with_name(f".{target.name}{RETIRED_SUFFIX}")
    shutil.rmtree(retired, ignore_errors=True)
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one system call (Linux renameat2 RENAME_EXCHANGE).

    False when the system or file system cannot: the caller falls back to two renames.
    """
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(code, os.strerror(code), str(second))


@functools.cache
def _renameat2() -> Any:
    """libc's renameat2, looked up once (None where the C library has none)."""
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def recover_leftovers(folder: Path) -> list[str]:
    """Clean what killed runs left in ``folder``; returns what was done, one line each.

    ``.<name>.old`` without ``<name>`` is a package retired by a run killed between its two
    renames: it is put back. Any other ``.<name>.old`` and every staging folder ``.<name>.*``
    is removed. Call it only while holding the folder's lock.
    """
    done: list[str] = []
    if not folder.is_dir():
        return done
    # only hidden names can be leftovers: the other entries (10,000 package folders in a large
    # output folder) are not made into paths nor sorted (that took 0.14 s of every catalogue run)
    with os.scandir(folder) as entries:
        hidden = sorted(entry.name for entry in entries if entry.name.startswith("."))
    for name in hidden:
        path = folder / name
        left = _LEFTOVER.match(name)
        if not left or not path.is_dir() or path.is_symlink():
            continue  # not ours (.cache, .git, a user's file)
        target = folder / left["name"]
        if left["tag"] == RETIRED_SUFFIX[1:] and not target.exists():
            path.rename(target)
            done.append(f"{target.name}: restored from {path.name} (a run was stopped while replacing it)")
            continue
        shutil.rmtree(path, ignore_errors=True)
        done.append(f"{path.name}: removed (left by a run that was stopped)")
    return done
