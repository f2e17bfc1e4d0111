"""Versions in a specs folder: ordering and the previous version, resolving and loading a
version, copying a docs folder in as a new version."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field

from ..core import ir
from ..core.diagnostics import Collector


def version_key(name: str) -> tuple[int, ...]:
    """Numbers in a version name, for ordering: Services88 -> (88,), V2.10 -> (2, 10)."""
    return tuple(int(n) for n in re.findall(r"\d+", name))


def versions_of(specs: str, api: str) -> list[str]:
    root = os.path.join(specs, api)
    if not os.path.isdir(root):
        return []
    found = [
        n
        for n in os.listdir(root)
        if not n.startswith(".") and os.path.isdir(os.path.join(root, n))
    ]
    return sorted(found, key=lambda n: (version_key(n), n))


def previous_version(specs: str, api: str, name: str) -> str | None:
    """The highest version of api below name (by the numbers in the names), or None."""
    key = version_key(name)
    if not key:
        return None
    below = [
        v for v in versions_of(specs, api) if v != name and version_key(v) and version_key(v) < key
    ]
    return below[-1] if below else None


@dataclass
class Loaded:
    api: str
    version: ir.Version
    source: str
    files: list[str] = field(default_factory=list)


class VersionError(Exception):
    """A version cannot be found or read (exit 2); diags holds what reading it reported."""

    def __init__(self, message: str, diags: Collector | None = None) -> None:
        super().__init__(message)
        self.diags = diags


def load_version(path: str, specs_root: str | None, diags: Collector) -> Loaded:
    """Read a version folder (or any spec folder holding exactly one version) into IR."""
    from ..pipeline.run import read_ir

    root = specs_root if specs_root and below(path, specs_root) else None
    versions, _, files = read_ir([path], root, diags)
    if not files:
        raise VersionError(f"{path}: no spec files")
    if len(versions) != 1 and diags.has_errors:
        raise VersionError(f"{path} cannot be read", diags)
    if len(versions) != 1:
        found = ", ".join(f"{a}/{v.name}" for a, v in versions) or "none"
        raise VersionError(
            f"{path} holds {len(versions)} versions ({found}); name one version folder"
        )
    api, version = versions[0]
    return Loaded(api, version, path, files)


def below(path: str, root: str) -> bool:
    full, base = os.path.abspath(path), os.path.abspath(root)
    return full.startswith(base.rstrip(os.sep) + os.sep)


def resolve(arg: str, specs: str | None) -> str:
    """A path as given when it exists; else 'api/Version' or 'Version' below the specs folder."""
    if os.path.exists(arg):
        return arg
    if specs:
        cand = os.path.join(specs, *arg.split("/"))
        if "/" in arg.strip("/") and os.path.isdir(cand):
            return cand
        if "/" not in arg.strip("/") and os.path.isdir(specs):
            hits = sorted(
                os.path.join(specs, api, arg)
                for api in os.listdir(specs)
                if os.path.isdir(os.path.join(specs, api, arg))
            )
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                raise VersionError(f"{arg} is ambiguous: {', '.join(hits)}; write api/{arg}")
    where = f" (no folder {arg} below {specs})" if specs else ""
    raise VersionError(f"no such version or folder: {arg}{where}")


def copy_version(src: str, dest: str) -> list[str]:
    """Copy a docs folder to dest (which must not exist) all at once; returns the copied files."""
    if os.path.lexists(dest):
        raise VersionError(f"{dest} already exists; remove it first or pick another --name")
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    staging = f"{os.path.abspath(dest)}.soapgen-adding-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        shutil.copytree(src, staging, ignore=shutil.ignore_patterns(".*", "__pycache__"))
        os.rename(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    copied: list[str] = []
    for dirpath, _, filenames in os.walk(dest):
        copied.extend(os.path.join(dirpath, f) for f in filenames)
    return sorted(copied)
