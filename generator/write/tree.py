"""Publish a generated tree atomically, with a manifest that makes "is it up to date?" cheap.

The tree is rendered into ``<output>.soapgen-staging-<pid>`` beside the output, then swapped in
with two renames (output -> ``<output>.soapgen-old-<pid>``, staging -> output) and the old tree
is deleted. Readers see the old tree or the new one, never a mix. A crash between the renames
leaves no output but a complete old tree, which :func:`recover` puts back on the next start.
A file whose bytes did not change is hard-linked from the current tree into the staging tree
rather than written again (the old tree is removed after the swap, so nothing stays shared).
The folders of versions taken over unchanged (:mod:`soapgen.pipeline.reuse`) are moved whole from
the old tree into the staging tree between the two renames (while neither is the output); a
journal ``<output>.soapgen-carry-<pid>`` lets :func:`recover` move them back after a crash.

``.soapgen-manifest.json`` records hashes of the generator, the inputs, the templates, the
[tool.soapgen.apis] profiles and every output, so :func:`check_fast` can answer without
generating.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config.identity import generator_hash
from ..core.diagnostics import Collector
from ..core.templateset import TemplateSet
from ..read.filehash import SKIP_DIRS, FileHashes, key_of, stat_tree
from ..read.inputs import InputError, hash_input, read_input

if TYPE_CHECKING:
    from ..config.project import Config

MANIFEST = ".soapgen-manifest.json"
CRASH_ENV = "SOAPGEN_TEST_CRASH_AFTER_STAGING"  # tests only: die between the two renames
_STAGING = ".soapgen-staging-"
_CARRY = ".soapgen-carry-"  # a journal: the folders a write moves from the old tree to the new
_OLD = ".soapgen-old-"
_SKIP_DIRS = SKIP_DIRS  # caches tools drop into generated packages (soapgen.read.filehash)


class WriteError(Exception):
    """The output cannot be published (for example it is not a soapgen tree)."""


# --- hashing ---------------------------------------------------------------------------


def sha256_file(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()


def _posix_rel(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")


def _walk(root: str) -> list[str]:
    """Every file below root (absolute paths, sorted), skipping tool cache folders."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        found.extend(os.path.join(dirpath, n) for n in filenames)
    return sorted(found)


def config_hash(config: Config) -> str:
    """The configuration that shapes output beyond paths: the package and the API settings."""
    shaping = {"package": config.package, "apis": config.apis}
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()


def input_files(config: Config, diags: Collector | None = None) -> list[str]:
    from ..read.load import list_files

    return list_files(config.specs, diags)


def template_hashes(config: Config) -> dict[str, str]:
    """sha256 of every file of the project's template folder that shadows one of soapgen's,
    by template name."""
    return TemplateSet(config.templates).override_hashes()


def _hash_rel(paths: list[str], root: str) -> dict[str, str]:
    return {_posix_rel(os.path.abspath(p), root): hash_input(p) for p in paths}


def input_hashes(
    config: Config, input_files: list[str], read: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The manifest's inputs: path (relative to the project root) -> sha256 of the bytes the
    output was made from. `read` holds those by absolute path (generate records them as it
    reads; files a WSDL imports are among them); a file without one is hashed now."""
    read = read or {}
    found = dict(read)
    for p in input_files:
        full = os.path.abspath(p)
        if full not in found:
            found[full] = hash_input(p)
    root = os.path.abspath(config.root)
    return {_rel_fast(path, root): digest for path, digest in sorted(found.items())}


def manifest_for(
    config: Config,
    input_files: list[str],
    outputs: dict[str, bytes],
    read: Mapping[str, str] | None = None,
    carried: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The manifest of a tree generated from input_files (with `read`, the hashes of the bytes
    generation read: see :func:`input_hashes`; `carried`, files taken over from the current
    tree, by their sha256)."""
    from .. import __version__

    return {
        "soapgen": __version__,
        "generator": generator_hash(),
        "config": config_hash(config),
        "inputs": input_hashes(config, input_files, read),
        "templates": template_hashes(config),
        "outputs": {
            **(carried or {}),
            **{rel: hashlib.sha256(data).hexdigest() for rel, data in outputs.items()},
        },
    }


def dump_manifest(manifest: dict[str, Any]) -> bytes:
    """``json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False)`` and a newline,
    with the C encoder doing the strings (json's indented output is pure Python: a tenth of a
    second for a manifest of 28,000 files)."""
    return (_indented(manifest, "\n") + "\n").encode("utf-8")


# json's own string encoder (C), as json.dumps(s, ensure_ascii=False) uses it, without dumps'
# per-call setup: a manifest has two strings per file
_quote: Callable[[str], str] = json.encoder.encode_basestring


def _indented(value: Any, newline: str) -> str:
    if isinstance(value, str):
        return _quote(value)
    if not isinstance(value, dict) or not value:
        if isinstance(value, (list, tuple)) and value:  # not in manifests; the plain way
            return json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False).replace(
                "\n", newline
            )
        return json.dumps(value, ensure_ascii=False)
    inner = newline + " "
    items = [
        f"{_quote(str(k))}: {_quote(v) if type(v) is str else _indented(v, inner)}"
        for k, v in sorted(value.items())
    ]
    return "{" + inner + ("," + inner).join(items) + newline + "}"


def read_manifest(output_dir: str) -> dict[str, Any] | None:
    try:
        with open(os.path.join(output_dir, MANIFEST), "rb") as fh:
            data = json.loads(fh.read())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def output_files(output_dir: str) -> dict[str, str]:
    """{path relative to the output root: absolute path} of what is on disk, manifest excluded."""
    if not os.path.isdir(output_dir):
        return {}
    files = {_posix_rel(p, output_dir): p for p in _walk(output_dir)}
    files.pop(MANIFEST, None)
    return files


# --- the fast check ----------------------------------------------------------------------


def _diff(kind: str, recorded: Any, current: dict[str, str]) -> list[str]:
    recorded = recorded if isinstance(recorded, dict) else {}
    reasons = []
    for rel in sorted(set(recorded) | set(current)):
        if rel not in current:
            reasons.append(f"{kind} removed: {rel}")
        elif rel not in recorded:
            reasons.append(f"{kind} added: {rel}")
        elif recorded[rel] != current[rel]:
            reasons.append(f"{kind} changed: {rel}")
    return reasons


def check_fast(config: Config) -> tuple[str, list[str]]:
    """("fresh", []) when the output matches its manifest and nothing it was made from changed.

    Files whose stat is what it was when their hash was last taken are not read again
    (:mod:`soapgen.read.filehash`)."""
    out = os.path.abspath(config.output)
    shown = _posix_rel(out, config.root)
    if not os.path.isdir(out):
        if _leftovers(out, _OLD):
            return "stale", [
                f"{shown} is missing: an interrupted generate left a backup; run soapgen generate"
            ]
        return "stale", [f"{shown} does not exist"]
    manifest = read_manifest(out)
    if manifest is None:
        return "stale", [f"{shown}/{MANIFEST} is missing or unreadable"]
    reasons: list[str] = []
    if manifest.get("generator") != generator_hash():
        reasons.append(generator_change(manifest))
    if manifest.get("config") != config_hash(config):
        reasons.append("configuration changed ([tool.soapgen] package or apis)")
    hashes = FileHashes(out)
    reasons += _input_changes(config, manifest.get("inputs"), hashes)
    reasons += _diff("template", manifest.get("templates"), template_hashes(config))
    recorded = manifest.get("outputs")
    recorded = recorded if isinstance(recorded, dict) else {}
    on_disk = stat_tree(out)
    on_disk.pop(MANIFEST, None)
    for rel in sorted(set(recorded) | set(on_disk)):
        where = f"{shown}/{rel}"
        if rel not in on_disk:
            reasons.append(f"generated file missing: {where}")
        elif rel not in recorded:
            reasons.append(f"unexpected file in generated output: {where}")
        elif recorded[rel] != hashes.output_sha(*on_disk[rel]):
            reasons.append(f"hand-edited generated file: {where}")
    hashes.save()
    return ("stale", reasons) if reasons else ("fresh", [])


def _input_changes(config: Config, recorded: Any, hashes: FileHashes) -> list[str]:
    """How the inputs differ from those the manifest records: the spec files listed now, and
    any other file generation read (a schema a WSDL imports) that is still in the specs folder."""
    from ..read.load import list_files

    listing = Collector()
    stats: dict[str, os.stat_result] = {}
    root = os.path.abspath(config.root)
    files = list_files(os.path.abspath(config.specs), listing, stats)
    current = {_rel_fast(p, root): hashes.input_sha(p, stats.get(p)) for p in files}
    reasons = []
    if listing.items:
        first = listing.items[0]
        n = len(listing.items)
        reasons.append(
            f"{n} {'entry' if n == 1 else 'entries'} of the specs folder cannot be read (LOAD004):"
            f" {_posix_rel(os.path.abspath(first.file), config.root)}: {first.message}"
            + (" (and more below)" if n > 1 else "")
        )
    specs = os.path.realpath(config.specs)
    for rel in recorded if isinstance(recorded, dict) else {}:
        if rel in current:
            continue
        path = os.path.join(root, *rel.split("/"))
        if os.path.realpath(path).startswith(specs + os.sep) and os.path.lexists(path):
            current[rel] = hashes.input_sha(path)
    return reasons + _diff("input", recorded, current)


def _rel_fast(path: str, root: str) -> str:
    """_posix_rel for an absolute, normalized path below root, without os.path's overhead."""
    prefix = root.rstrip(os.sep) + os.sep
    if path.startswith(prefix):
        rel = path[len(prefix) :]
        return rel if os.sep == "/" else rel.replace(os.sep, "/")
    return _posix_rel(path, root)


GENERATOR_CHANGE = "written by soapgen"


def generator_change(manifest: dict[str, Any]) -> str:
    """Which soapgen wrote the manifest, and which one this is."""
    from .. import __version__

    old, new = str(manifest.get("generator", "?")), generator_hash()
    return (
        f"{GENERATOR_CHANGE} {manifest.get('soapgen', '(unknown version)')} (generator"
        f" {old[:12]}); this is soapgen {__version__} (generator {new[:12]})"
    )


# --- atomic publish ------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers are from an earlier, finished call
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    return True


def _leftovers(out: str, marker: str) -> list[str]:
    """Sibling dirs <out><marker><pid> whose process is gone, newest first."""
    parent, base = os.path.split(out)
    prefix = base + marker
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    found = []
    for name in names:
        pid = name[len(prefix) :]
        if name.startswith(prefix) and pid.isdigit() and not _alive(int(pid)):
            found.append(os.path.join(parent, name))
    return sorted(found, key=lambda p: (os.path.getmtime(p), p), reverse=True)


def recover(output_dir: str) -> list[str]:
    """Undo what an interrupted write_tree left behind; returns what was done."""
    out = os.path.abspath(output_dir)
    notes: list[str] = []
    for journal in _leftovers(out, _CARRY):  # folders moved from the old tree: put them back
        pid = journal[len(out) + len(_CARRY) :]
        staging, old = f"{out}{_STAGING}{pid}", f"{out}{_OLD}{pid}"
        try:
            with open(journal, encoding="utf-8") as fh:
                moved = json.load(fh)
        except (OSError, ValueError):
            moved = []
        for rel in moved if os.path.isdir(old) and isinstance(moved, list) else []:
            src, dest = os.path.join(staging, str(rel)), os.path.join(old, str(rel))
            if os.path.isdir(src) and not os.path.lexists(dest):
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                os.rename(src, dest)
                notes.append(f"moved {rel} back into {old}")
        os.remove(journal)
    olds = _leftovers(out, _OLD)
    if not os.path.lexists(out) and olds:
        os.rename(olds[0], out)
        notes.append(f"restored {out} from {olds[0]} (an earlier run was interrupted)")
        olds = olds[1:]
    for path in _leftovers(out, _STAGING) + olds:
        shutil.rmtree(path, ignore_errors=True)
        notes.append(f"removed leftover {path}")
    return notes


_BAD_PARTS = frozenset({"", ".", ".."})


def _target(root: str, rel: str) -> str:
    parts = rel.split("/")
    if (
        not rel
        or rel.startswith("/")
        or "\\" in rel
        or not _BAD_PARTS.isdisjoint(parts)
        or rel == MANIFEST
    ):
        raise WriteError(f"refusing to write generated path {rel!r}")
    return os.path.join(root, rel)  # "/" inside rel is a separator on every platform


def _link_if_same(old: str, new: str, data: bytes) -> bool:
    """Hard-link the current tree's file into the staging tree when it already holds exactly
    `data` (creating a link costs a tenth of writing a file; a hand-edited file differs and is
    written anew). False when the file differs, is missing, or links are not possible."""
    try:
        if os.path.islink(old) or read_input(old, len(data)) != data:
            return False
        os.link(old, new, follow_symlinks=False)
    except (OSError, InputError):  # a FIFO or device is never opened: read_input refuses it
        return False
    return True


_WRITERS = 2


def _put(
    targets: list[tuple[str, str, bytes | str]], written: dict[str, tuple[int, ...]] | None
) -> None:
    for old, new, data in targets:
        if isinstance(data, str):  # a carried file: its sha256
            _carry(old, new, data)
        elif not _link_if_same(old, new, data):
            Path(new).write_bytes(data)
            if written is not None:  # its stat right after the write, by its final path
                written[old] = key_of(os.stat(new))


def _carry(old: str, new: str, digest: str) -> None:
    try:
        os.link(old, new, follow_symlinks=False)
        return
    except OSError:
        pass
    try:
        data = read_input(old, os.stat(old).st_size)
    except (OSError, InputError) as exc:
        raise WriteError(
            f"{old} went while generating ({exc}); run soapgen generate again"
        ) from None
    if hashlib.sha256(data).hexdigest() != digest:
        raise WriteError(f"{old} changed while generating; run soapgen generate again")
    Path(new).write_bytes(data)


def write_tree(
    output_dir: str,
    files: dict[str, bytes],
    manifest: dict[str, Any],
    carried: Mapping[str, str] | None = None,
    keep_old: bool = False,
    carried_dirs: Sequence[str] = (),
    written: dict[str, tuple[int, ...]] | None = None,
) -> str | None:
    """Replace output_dir with exactly files plus the manifest, atomically (see module doc).
    carried: files of the current tree to keep as they are (path -> sha256, checked by the
    caller), hard-linked into the new one (read and checked again where links fail).
    carried_dirs: folders of the current tree holding exactly carried files (the caller
    checked), moved whole into the new tree once the current one is out of the way: a rename
    instead of a link per file. A journal (``<output>.soapgen-carry-<pid>``) lets
    :func:`recover` move them back if the run dies in between.
    keep_old: leave the replaced tree for the caller to remove (its path is returned; a run
    that dies first leaves it to :func:`recover`).
    written: receives, for every file written anew (by its final path), its stat key
    (:func:`soapgen.read.filehash.key_of`) right after the write."""
    out = os.path.abspath(output_dir)
    recover(out)
    if os.path.lexists(out):
        if not os.path.isdir(out) or os.path.islink(out):
            raise WriteError(f"{out} exists and is not a directory")
        if os.listdir(out) and not os.path.isfile(os.path.join(out, MANIFEST)):
            raise WriteError(
                f"refusing to replace {out}: it is not empty and has no {MANIFEST} (not made by soapgen?)"
            )
    os.makedirs(os.path.dirname(out), exist_ok=True)
    staging = f"{out}{_STAGING}{os.getpid()}"
    old = f"{out}{_OLD}{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        os.mkdir(staging)
        folders: dict[str, list[tuple[str, str, bytes | str]]] = {}
        moved = sorted(carried_dirs)
        for rel in moved:
            _target(staging, rel)
        inside = tuple(f"{rel}/" for rel in moved)
        every: dict[str, bytes | str] = {
            **{rel: sha for rel, sha in (carried or {}).items() if not rel.startswith(inside)},
            **files,
        }
        if moved and (any(rel.startswith(inside) for rel in files) or not os.path.isdir(out)):
            raise WriteError("carried folders must come from the current tree, whole")
        for rel, data in sorted(every.items()):
            path = _target(staging, rel)  # checks rel, which then holds for the current tree too
            folders.setdefault(os.path.dirname(path), []).append(
                (os.path.join(out, rel), path, data)
            )
        for folder in folders:
            os.makedirs(folder, exist_ok=True)
        # Thousands of small files cost the kernel more than Python, and creating files in one
        # folder takes that folder's lock: two threads, each with its own folders, write (or
        # link) them in about half the time of one on a busy file system.
        shares: list[list[tuple[str, str, bytes | str]]] = [[] for _ in range(_WRITERS)]
        for _, batch in sorted(folders.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            min(shares, key=len).extend(batch)
        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            for done in [pool.submit(_put, share, written) for share in shares]:
                done.result()
        Path(staging, MANIFEST).write_bytes(dump_manifest(manifest))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    had_old = os.path.isdir(out)
    journal = f"{out}{_CARRY}{os.getpid()}"
    if moved:
        Path(journal).write_text(json.dumps(moved), encoding="utf-8")
    if had_old:
        os.rename(out, old)
        if os.environ.get(CRASH_ENV) == "1":
            os._exit(3)
    taken: list[str] = []
    try:
        for rel in moved:
            os.makedirs(os.path.dirname(os.path.join(staging, rel)), exist_ok=True)
            os.rename(os.path.join(old, rel), os.path.join(staging, rel))
            taken.append(rel)
            if os.environ.get(CRASH_ENV) == "2":
                os._exit(3)
        os.rename(staging, out)
    except BaseException:
        for rel in taken:
            os.rename(os.path.join(staging, rel), os.path.join(old, rel))
        if had_old:
            os.rename(old, out)
        shutil.rmtree(staging, ignore_errors=True)
        if moved:
            os.remove(journal)
        raise
    if moved:
        os.remove(journal)
    if had_old and not keep_old:
        shutil.rmtree(old, ignore_errors=True)
    return old if had_old else None
