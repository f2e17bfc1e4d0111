"""Warm runs that regenerate only the versions whose inputs changed.

A project keeping the whole history of a SOAP API (five SuperOffice versions: ten thousand
pages) mostly changes one version at a time. After a successful ``generate`` this module
remembers, per version folder ``<specs>/<api>/<Version>/``: the sha256 of every file read from
it, the files written for it (``<output>/<api>/<version>/...``) with their sha256, and its
diagnostics. The next run takes a version over from the current output tree, unread and
unrendered, when all of this holds:

- the generator, the configuration, the template overrides and the parsers are the same
  (:func:`salt`);
- the folder holds the same files with the same bytes (hashes by stat, :mod:`.filehash`),
  files a WSDL imports included;
- the committed manifest lists exactly the files remembered for the version, and each is on
  disk with those bytes (a hand edit or a ``git checkout`` of other output makes the version
  regenerate);
- in the earlier run, every file of the folder belonged to that version and the version read
  no file outside the folder (a page filed under the wrong version, LOAD002, disqualifies
  it), and every diagnostic of the run named a file of some version folder, so that the
  reused version's diagnostics are reported as they were.

The files of a version taken over are not read; a file elsewhere that now claims the version
(a changed page naming it) is caught after reading, and the run starts again without reuse.
The output is the same bytes as a full run's (``tests/test_hardening.py``); the records live in
``SOAPGEN_CACHE`` and losing them only makes the next run a full one.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from importlib.metadata import version as _dist_version
from typing import TYPE_CHECKING, Any

from ..config.naming import identifier
from ..core import store as _store
from ..core.diagnostics import Diagnostic
from ..read.filehash import FileHashes, stat_tree
from ..read.inputs import is_normal, parts_below
from .result import Result, ReusePlan

if TYPE_CHECKING:
    from ..config.project import Config

_FILE = "reuse.sqlite"
_VERSION = 1


def salt(config: Config, generator: str, template_hashes: dict[str, str]) -> str:
    """Everything besides a version's own inputs that shapes its output."""
    from ..write.tree import config_hash

    parts = [
        str(_VERSION),
        generator,
        config_hash(config),
        repr(sorted(template_hashes.items())),
        _dist_version("markdown-it-py"),
        _dist_version("lxml"),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _record_id(config: Config) -> str:
    return hashlib.sha256(os.path.abspath(config.output).encode("utf-8", "replace")).hexdigest()


def _load(config: Config) -> Any:
    store = _store.Store(_store.CACHE_DIR, _FILE)
    try:
        blob = store.get_many([_record_id(config)]).get(_record_id(config))
    finally:
        store.close()
    if blob is None:
        return None
    try:
        return pickle.loads(blob)
    except Exception:  # a damaged record, or one from another soapgen: no reuse
        return None


def plan(config: Config, run_salt: str) -> ReusePlan:
    """The versions this run can take over (an empty plan when there is nothing to reuse)."""
    from ..read.load import list_files
    from ..write.tree import read_manifest

    found = ReusePlan(run_salt)
    record = _load(config)
    if not isinstance(record, dict) or record.get("salt") != run_salt:
        return found
    manifest = read_manifest(config.output)
    outputs = manifest.get("outputs") if manifest else None
    if not isinstance(outputs, dict):
        return found
    hashes = found.hashes = FileHashes(config.output)
    on_disk = stat_tree(os.path.abspath(config.output))
    specs = os.path.abspath(config.specs)
    by_folder: dict[str, list[str]] = {}
    stats: dict[str, os.stat_result] = {}
    for path in list_files(specs, None, stats):
        folder = _version_folder(specs, path)
        if folder:
            by_folder.setdefault(folder, []).append(path)
    by_package: dict[str, dict[str, str]] = {}
    for rel, sha in outputs.items():
        cut = rel.find("/", rel.find("/") + 1)
        by_package.setdefault(rel[: cut + 1] if cut > 0 else "", {})[rel] = sha
    on_package: dict[str, set[str]] = {}
    for rel in on_disk:
        cut = rel.find("/", rel.find("/") + 1)
        on_package.setdefault(rel[: cut + 1] if cut > 0 else "", set()).add(rel)
    for (api, name), rec in sorted(record.get("versions", {}).items()):
        folder, prefix = rec["folder"], f"{identifier(api)}/{rec['py_name']}/"
        inputs: dict[str, str] = rec["inputs"]
        if not set(by_folder.get(folder, [])) <= set(inputs):
            continue  # a file was added
        if any(hashes.input_sha(p, stats.get(p)) != sha for p, sha in inputs.items()):
            continue  # a file changed or went
        mine = by_package.get(prefix, {})
        if mine != rec["outputs"] or on_package.get(prefix, set()) != set(mine):
            continue  # the committed output is not what that run wrote, or more is on disk
        if any(
            rel not in on_disk or hashes.output_sha(*on_disk[rel]) != sha
            for rel, sha in mine.items()
        ):
            continue  # hand-edited, or missing
        found.skip.update(inputs)
        found.input_hashes.update(inputs)
        found.carried.update(mine)
        found.packages.append(prefix[:-1])
        found.versions.append((api, name, rec["py_name"]))
        found.diags.extend(rec["diags"])
    return found


def _version_folder(specs: str, path: str) -> str:
    """<specs>/<api>/<Version> of a file below it (specs and the result absolute), "" for a
    file above that level or outside."""
    sep = os.sep
    start = len(specs) + 1
    if path.startswith(specs + sep) and (cut := path.find(sep, path.find(sep, start) + 1)) > 0:
        if is_normal(path):  # the listing's paths: the folder is a prefix of the path
            return path[:cut]
    rel = parts_below(path, specs)
    return os.path.join(specs, rel[0], rel[1]) if len(rel) >= 3 and rel[0] != ".." else ""


def after_write(
    config: Config,
    result: Result,
    manifest: dict[str, Any],
    read_ns: int,
    written: dict[str, tuple[int, ...]],
) -> None:
    """After a successful write: remember the hashes of what was read (generate started at
    read_ns) and written (path -> its stat key right after the write) for the next check
    (:mod:`.filehash`), and record every version a later run may take over."""
    hashes = result.reused.hashes or FileHashes(config.output)
    taken = result.reused.input_hashes  # checked by their stat when the run started
    hashes.remember({p: sha for p, sha in result.input_hashes.items() if p not in taken}, read_ns)
    out = os.path.abspath(config.output) + os.sep
    outputs: dict[str, str] = manifest["outputs"]
    # carried files were moved with their folder: what is known of them holds; files linked
    # from the old tree changed their ctime (the link), and are hashed by the next check
    hashes.remember_written(
        {
            path: (key, outputs[path[len(out) :].replace(os.sep, "/")])
            for path, key in written.items()
        }
    )
    hashes.forget_missing(
        lambda p: p in result.input_hashes
        or (p.startswith(out) and p[len(out) :].replace(os.sep, "/") in outputs)
    )
    hashes.save()
    store = _store.Store(_store.CACHE_DIR, _FILE)
    try:
        store.put_many(
            {
                _record_id(config): pickle.dumps(
                    {"salt": result.reused.salt, "versions": _records(config, result, manifest)},
                    protocol=pickle.HIGHEST_PROTOCOL,
                )
            }
        )
    finally:
        store.close()


def _records(
    config: Config, result: Result, manifest: dict[str, Any]
) -> dict[tuple[str, str], dict[str, Any]]:
    specs = os.path.abspath(config.specs)
    names = {(api, v.name): v.py_name for api, v in result.versions}
    names.update({(api, name): py for api, name, py in result.reused.versions})
    folders = {(api, name): os.path.join(specs, api, name) for api, name in names}
    owner = {folder: key for key, folder in folders.items()}
    clean = set(names)
    # every file of a version's group lies in its folder, and every folder's files in its group
    for key, files in result.groups.items():
        for path in files:
            folder = _version_folder(specs, path)
            if folder != folders.get(key):
                clean.discard(key)
                clean.discard(owner.get(folder, ("", "")))
    # every diagnostic belongs to one version folder, and none says a page is misfiled
    diags: dict[tuple[str, str], list[Diagnostic]] = {key: [] for key in names}
    for d in result.diags.items:
        found = owner.get(_version_folder(specs, d.file) if d.file else "")
        if found is None or d.file == folders[found]:
            return {}  # a diagnostic no version could report again: reuse nothing
        if d.code.startswith("LOAD"):
            clean.discard(found)
        diags[found].append(d)
    inputs: dict[tuple[str, str], dict[str, str]] = {key: {} for key in names}
    for path, sha in result.input_hashes.items():
        mine = owner.get(_version_folder(specs, path))
        if mine is None:  # read for some version from outside all of them (a WSDL's import
            return {}  # of ../common/x.xsd): which versions it shapes is unknown, reuse none
        inputs[mine][path] = sha
    by_package: dict[tuple[str, ...], dict[str, str]] = {}
    for rel, sha in manifest.get("outputs", {}).items():
        by_package.setdefault(tuple(rel.split("/", 2)[:2]), {})[rel] = sha
    records = {}
    for key in sorted(clean):
        api, _ = key
        records[key] = {
            "folder": folders[key],
            "py_name": names[key],
            "inputs": inputs[key],
            "outputs": by_package.get((identifier(api), names[key]), {}),
            "diags": diags[key],
        }
    return records
