"""sha256 of files, remembered by their ``stat`` (what git's index does for ``git status``).

``check`` compares the sha256 of every input and every generated file with the manifest; at
ten thousand pages, reading them all is most of its time. A :class:`FileHashes` remembers,
per project, the sha256 of each file together with the ``stat`` fields that change whenever
its bytes do, and hashes again only a file whose fields differ: size, mtime, ctime and inode.
The ctime is set by the kernel on every change and cannot be set back, so even a copy that
restores the mtime (``cp -p`` onto the file) is seen.

A hash is remembered only when it is safe to: the file did not change while it was read (its
``fstat`` before and after), and its last change lies far enough in the past that a later
change, even within the file system's timestamp granularity, cannot leave the fields as they
were (git's "racily clean" entries): :data:`FINE_NS` where the file system keeps timestamps
finer than a second (the kernel's clock moves in ticks of at most 10 ms), :data:`RACY_NS`
where it keeps whole seconds. ``generate`` remembers the hashes of what it read and wrote on
the same terms (:meth:`FileHashes.remember`, :meth:`FileHashes.remember_written`).

The table lives in ``SOAPGEN_CACHE`` (one entry per output folder), never in the project: the
committed manifest holds content hashes only and stays the same on every machine. Like every
cache of soapgen's it is never the only copy of anything: a lost or unreadable table only
makes the next check read the files again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable
from typing import Any

from ..core import store as _store
from .inputs import InputError, limit_for, read_stable, sha256

# caches tools drop into generated packages: never hand edits, and gone after the next generate
SKIP_DIRS = frozenset({"__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache"})
RACY_NS = 2_000_000_000  # whole-second timestamps: a change less than 2 s ago is not remembered
FINE_NS = 100_000_000  # finer timestamps: 100 ms, ten of the kernel clock's coarsest ticks
_FILE = "filehashes.sqlite"
_VERSION = 1

Key = tuple[int, ...]


def key_of(st: os.stat_result) -> Key:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _settled(st: os.stat_result, now_ns: int) -> bool:
    last = max(st.st_mtime_ns, st.st_ctime_ns)
    whole = st.st_mtime_ns % 1_000_000_000 == 0 and st.st_ctime_ns % 1_000_000_000 == 0
    return last < now_ns - (RACY_NS if whole else min(FINE_NS, RACY_NS))


class FileHashes:
    """The remembered hashes of one project (keyed by its output folder)."""

    def __init__(self, output_dir: str) -> None:
        self.scope = hashlib.sha256(os.path.abspath(output_dir).encode("utf-8", "replace"))
        self.id = f"{_VERSION}:{self.scope.hexdigest()}"
        self.known: dict[str, tuple[Key, str]] = {}
        self.changed = False
        self.hashed = 0  # files read this time (the others were answered by their stat)
        store = _store.Store(_store.CACHE_DIR, _FILE)
        try:
            blob = store.get_many([self.id]).get(self.id)
        finally:
            store.close()
        if blob is not None:
            try:
                known = pickle.loads(blob)
            except Exception:  # another soapgen's table, or a damaged one: start afresh
                known = None
            if isinstance(known, dict):
                self.known = known

    # --- answers ------------------------------------------------------------------------

    def input_sha(self, path: str, st: os.stat_result | None = None) -> str:
        """sha256 of a spec file (what :func:`soapgen.read.inputs.hash_input` gives)."""
        return self._sha(path, st, output=False)

    def output_sha(self, path: str, st: os.stat_result | None = None) -> str | None:
        """sha256 of a generated file; None when it is not a regular file."""
        digest = self._sha(path, st, output=True)
        return None if digest.startswith("unreadable:") else digest

    def _sha(self, path: str, st: os.stat_result | None, output: bool) -> str:
        try:
            st = st or os.stat(path)
        except OSError as exc:
            return f"unreadable: {exc.strerror or exc}"
        key = key_of(st)
        hit = self.known.get(path)
        if hit is not None and hit[0] == key:
            return hit[1]
        self.hashed += 1
        try:
            data, opened = read_stable(path, st.st_size if output else limit_for(path))
        except InputError as exc:
            return f"unreadable: {exc}"
        digest = sha256(data)
        if opened is not None and _settled(opened, time.time_ns()):
            self.known[path] = (key_of(opened), digest)
            self.changed = True
        elif hit is not None:
            del self.known[path]
            self.changed = True
        return digest

    # --- what generate read and wrote ---------------------------------------------------

    def remember(self, files: dict[str, str], since_ns: int) -> None:
        """Remember that each file (absolute path -> sha256) held those bytes at since_ns
        (when generate started reading, or writing): true for a file whose last change lies
        more than RACY_NS before then, as the kernel sets the ctime on every change."""
        for path, digest in files.items():
            try:
                st = os.stat(path)
            except OSError:
                continue
            if _settled(st, since_ns):
                key = key_of(st)
                if self.known.get(path) != (key, digest):
                    self.known[path] = (key, digest)
                    self.changed = True

    def remember_written(self, written: dict[str, tuple[Key, str]]) -> None:
        """Remember files generate wrote: path -> (their key right after the write, sha256 of
        the bytes written). A file whose key is still that one was not changed since; it is
        remembered once its last change is settled."""
        now = time.time_ns()
        for path, (key, digest) in written.items():
            try:
                st = os.stat(path)
            except OSError:
                continue
            if key_of(st) == key and _settled(st, now) and self.known.get(path) != (key, digest):
                self.known[path] = (key, digest)
                self.changed = True

    def forget_missing(self, keep: Callable[[str], bool]) -> None:
        """Drop what is remembered of the files keep says no to (removed inputs and outputs)."""
        for path in [p for p in self.known if not keep(p)]:
            del self.known[path]
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        store = _store.Store(_store.CACHE_DIR, _FILE)
        try:
            blob: Any = pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL)
            store.put_many({self.id: blob})
        finally:
            store.close()
        self.changed = False


def stat_tree(root: str) -> dict[str, tuple[str, os.stat_result | None]]:
    """{path relative to root (posix): (absolute path, its stat or None)} of every file below
    root, skipping tool cache folders; one scandir per folder (walk order does not matter)."""
    found: dict[str, tuple[str, os.stat_result | None]] = {}
    stack = [(root, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError:
            continue
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                if entry.name not in SKIP_DIRS and not entry.is_symlink():
                    stack.append((entry.path, prefix + entry.name + "/"))
                elif entry.is_symlink():
                    found[prefix + entry.name] = (entry.path, None)
                continue
            try:
                st: os.stat_result | None = entry.stat()
            except OSError:
                st = None
            found[prefix + entry.name] = (entry.path, st)
    return found
