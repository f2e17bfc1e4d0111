"""How soapgen touches input files: which entries of a specs folder it reads, how big a file
may be, and reading one file without ever blocking on it or reading without end.

**The policy** (README, "Diagnostics"): below the specs folder, names starting with ``.`` are
ignored; so are files whose suffix is not a spec suffix. Symbolic links, to files and to
folders, are followed when they resolve inside the specs folder; a link that resolves outside
it, a broken link (dangling, or a loop of links), a folder link that loops back into a folder
it lies in, and a spec-named entry that is not a regular file (a FIFO, a device, a socket) are
not read, each with a ``LOAD004`` error naming it. A file is opened only when ``os.stat`` says
it is a regular file, opened non-blocking and checked again once open, and read up to its
limit (:data:`LIMITS`) and never further, so that a file growing while it is read is refused
too. Files a WSDL imports are read the same way (:func:`read_input`, :data:`IMPORT_LIMIT`).
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable

MB = 1024 * 1024

# --- limits: what one input may weigh ------------------------------------------------------
# The largest real inputs: a SuperOffice WSDL page (Services88-List.md) is 1.0 MB, the largest
# Travelport schema file 0.5 MB (a whole Travelport schema set a few MB), ServiceStack pages
# tens of KB. Reading a WSDL page costs about 14 bytes of memory per byte and 0.1 s per MB (the
# 1 MB page: 14 MB, 0.11 s; a 100 MB WSDL took 16 s and 2.6 GB), so 8 MB keeps one file near
# 1 s and 120-200 MB, with 8x room above the largest real file.
PAGE_LIMIT = 8 * MB  # a documentation page: SuperOffice markdown (.md, .txt), ServiceStack pages
WSDL_LIMIT = 8 * MB  # a raw WSDL file (.wsdl)
METADATA_LIMIT = 8 * MB  # ServiceStack metadata.json
IMPORT_LIMIT = 8 * MB  # one file a WSDL imports (xs:import, xs:include, wsdl:import)
IMPORTS_TOTAL_LIMIT = 16 * MB  # every file one WSDL imports, together
OTHER_LIMIT = 8 * MB  # any other spec file (.xsd, .xml: hashed, read only when imported)

LIMITS: dict[str, int] = {
    ".md": PAGE_LIMIT,
    ".txt": PAGE_LIMIT,
    ".html": PAGE_LIMIT,
    ".htm": PAGE_LIMIT,
    ".json": METADATA_LIMIT,
    ".wsdl": WSDL_LIMIT,
    ".xsd": OTHER_LIMIT,
    ".xml": OTHER_LIMIT,
}
SPEC_SUFFIXES = tuple(LIMITS)


def limit_for(path: str) -> int:
    """The size limit of a spec file, by its suffix."""
    return LIMITS.get(os.path.splitext(path)[1].lower(), OTHER_LIMIT)


def size_text(n: int) -> str:
    return f"{n // MB} MB" if n % MB == 0 else f"{n} bytes"


class InputError(Exception):
    """A file that is not read: the message says why (not a regular file, an OS error)."""


class TooBig(InputError):
    """A file over its size limit (or one that grew past it while it was read)."""


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def kind_of(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _refuse_size(size: int, limit: int, what: str) -> InputError:
    return TooBig(f"{size} bytes: larger than the {size_text(limit)} limit for {what}; not read")


def read_input(path: str, limit: int, what: str = "a spec file") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; InputError otherwise.

    Never opens anything but a regular file (``os.stat`` first; the open is non-blocking and
    checked with ``fstat``, in case the entry was swapped in between) and never reads more
    than ``limit + 1`` bytes (a file that grows past its limit while being read is refused).
    """
    return read_stable(path, limit, what)[0]


def read_stable(
    path: str, limit: int, what: str = "a spec file"
) -> tuple[bytes, os.stat_result | None]:
    """read_input, and the file's fstat when it was opened if it is the same once the bytes
    are read (size, mtime, ctime, inode); None when the file changed meanwhile."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{kind_of(st.st_mode)}, not a regular file; not read")
    if st.st_size > limit:
        raise _refuse_size(st.st_size, limit, what)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"{kind_of(st.st_mode)}, not a regular file; not read")
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(limit + 1 - got, max(st.st_size + 1, 64 * 1024), 1 * MB))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        end = os.fstat(fd)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if got > limit:
        raise TooBig(
            f"grew past the {size_text(limit)} limit for {what} while it was read; not read"
        )
    same = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (
        end.st_size,
        end.st_mtime_ns,
        end.st_ctime_ns,
        end.st_ino,
    ) and got == st.st_size
    return (chunks[0] if len(chunks) == 1 else b"".join(chunks)), (st if same else None)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_input(path: str) -> str:
    """sha256 of a spec file's bytes, or a marker that cannot equal a hash when it cannot be
    read (so that a check sees it changed and the full run reports why)."""
    try:
        return sha256(read_input(path, limit_for(path)))
    except InputError as exc:
        return f"unreadable: {exc}"


def hash_file(path: str) -> str | None:
    """sha256 of a regular file (of any size: e.g. a generated file), None when it is not one
    or cannot be read; never blocks on a FIFO."""
    try:
        return sha256(read_input(path, os.stat(path).st_size))
    except (OSError, InputError):
        return None


def parts_below(path: str, root: str) -> list[str]:
    """The parts of path relative to the absolute, normalized folder root (what
    ``os.path.relpath(os.path.abspath(path), root).split(os.sep)`` gives), cheaply for the
    absolute, normalized paths the listing makes."""
    prefix = root if root.endswith(os.sep) else root + os.sep
    if path.startswith(prefix) and is_normal(path):
        return path[len(prefix) :].split(os.sep)
    return os.path.relpath(os.path.abspath(path), root).split(os.sep)


def is_normal(path: str) -> bool:
    sep = os.sep
    if os.altsep and os.altsep in path:
        return False
    tail = path + sep
    return not (
        path.endswith(sep) or sep * 2 in path or f"{sep}.{sep}" in tail or f"{sep}..{sep}" in tail
    )


# --- listing a specs folder -----------------------------------------------------------------

Report = Callable[[str, str], None]  # (path, message): an entry that is not read


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def list_spec_files(
    root: str, report: Report | None = None, stats: dict[str, os.stat_result] | None = None
) -> list[str]:
    """Every spec file below root, sorted (the order never depends on the file system), by
    the policy of the module docstring; `report` hears of every entry skipped for it, and
    `stats` (when given) receives the ``os.stat`` of every file listed.

    A root that is not a folder is returned as it is (a file named on the command line; the
    reader decides whether it can be read)."""
    if not os.path.isdir(root):
        return [root] if os.path.lexists(root) else []
    top = os.path.realpath(root)
    found: list[str] = []
    say: Report = report or (lambda path, message: None)

    def walk(folder: str, real: str, ancestors: frozenset[str]) -> None:
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            say(folder, f"folder cannot be listed: {exc.strerror or exc}; not read")
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            path = entry.path
            spec_name = name.endswith(SPEC_SUFFIXES)
            try:
                if not entry.is_symlink():
                    if entry.is_dir(follow_symlinks=False):
                        sub = os.path.join(real, name)
                        walk(path, sub, ancestors | {sub})
                    elif not spec_name:
                        continue
                    elif entry.is_file(follow_symlinks=False):
                        found.append(path)
                        if stats is not None:
                            stats[path] = entry.stat()
                    else:
                        mode = entry.stat(follow_symlinks=False).st_mode
                        say(path, f"{kind_of(mode)}, not a regular file; not read")
                    continue
            except OSError:
                continue  # gone since the listing
            try:
                st = os.stat(path)
            except OSError as exc:
                why = "a loop of links" if _is_loop(exc) else "it points to nothing"
                say(path, f"broken symbolic link ({why}); not read")
                continue
            target = os.path.realpath(path)
            if not _inside(target, top):
                if stat.S_ISDIR(st.st_mode) or spec_name:
                    kind = "folder" if stat.S_ISDIR(st.st_mode) else "file"
                    say(
                        path,
                        f"symbolic link to a {kind} outside the specs folder ({target});"
                        " links are followed only within it; not read",
                    )
                continue
            if stat.S_ISDIR(st.st_mode):
                if target in ancestors:
                    say(path, f"folder link loops back to {target}; not followed")
                    continue
                walk(path, target, ancestors | {target})
            elif not spec_name:
                continue
            elif stat.S_ISREG(st.st_mode):
                found.append(path)
                if stats is not None:
                    stats[path] = st
            else:
                say(path, f"{kind_of(st.st_mode)}, not a regular file; not read")

    walk(root, top, frozenset({top}))
    return sorted(found)


def _is_loop(exc: OSError) -> bool:
    import errno

    return exc.errno == errno.ELOOP
