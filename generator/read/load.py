"""Find the spec files of each API version and read them into IR (reading only; merging is
:mod:`soapgen.merge.version`).

Layout: ``<specs>/<api>/<Version>/...``: every file below a version folder belongs to it. A
single file or a folder given to ``inspect`` is read the same way, with the API and version
taken from the pages themselves.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from ..core import ir
from ..core.diagnostics import Collector, Diagnostic
from .cache import ReadCache
from .inputs import (
    SPEC_SUFFIXES,
    InputError,
    limit_for,
    list_spec_files,
    parts_below,
    read_input,
    sha256,
)
from .sources import servicestack, superoffice
from .sources.wsdl import read_wsdl

__all__ = ["SPEC_SUFFIXES", "VersionInputs", "list_files", "read_inputs"]
_PARALLEL_PAGES = 200  # fewer pages are read faster than a process pool starts
_BIG_PAGE = 100_000  # bytes: pages this big (the WSDL pages) are read in the main process
PageRead = tuple[
    "superoffice.Page | None", list[Diagnostic], "tuple[list[ir.Service], list[Diagnostic]] | None"
]
Hashes = dict[str, str]  # absolute path -> sha256 of the bytes read from it


@dataclass
class VersionInputs:
    api: str
    version: str
    wsdl_services: list[ir.Service] = field(default_factory=list)
    pages: list[superoffice.OperationPage] = field(default_factory=list)
    indexes: list[superoffice.IndexPage] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def list_files(
    root: str, diags: Collector | None = None, stats: dict[str, os.stat_result] | None = None
) -> list[str]:
    """Every spec file below root, sorted (the order never depends on the file system); which
    entries are read is :mod:`soapgen.read.inputs`' policy, and every entry it skips is a LOAD004
    error in diags. stats (when given) receives each listed file's os.stat."""

    def skipped(path: str, message: str) -> None:
        if diags is not None:
            diags.error("LOAD004", path, 0, message)

    return list_spec_files(root, skipped, stats)


def read_inputs(
    files: list[str],
    diags: Collector,
    where: dict[str, tuple[str, str]] | None = None,
    cache: ReadCache | None = None,
    reads: Hashes | None = None,
    roots: dict[str, str] | None = None,
) -> list[VersionInputs]:
    """Read files into inputs grouped by (api, version).

    where maps a file to the (api, version) its folder names; without it a page's own version
    is used and the API is "superoffice" for SuperOffice pages. With a cache, an unchanged page
    (same path, same bytes, same generator) is not parsed again. reads receives the sha256 of
    the bytes every input was read into IR from (files a WSDL imports included). roots maps a
    file to the folder its imports must stay inside (default: its own folder). A raw WSDL that
    another one imports (wsdl:import) is read as part of its importer, not as a service of its
    own.
    """
    reads = {} if reads is None else reads
    roots = roots or {}
    groups: dict[tuple[str, str], VersionInputs] = {}

    def group(api: str, version: str) -> VersionInputs:
        key = (api, version)
        if key not in groups:
            groups[key] = VersionInputs(api, version)
        return groups[key]

    # --- ServiceStack (pages, copied text, metadata.json): one Service per version folder ---
    ss_data = _servicestack_files(files, diags)
    ss_files = set(ss_data)
    reads.update((os.path.abspath(p), sha256(data)) for p, data in ss_data.items())
    for (ss_api, ss_version), ss_group in sorted(
        servicestack.group_files(sorted(ss_files), where).items()
    ):
        g = group(ss_api, ss_version)
        g.files.extend(ss_group)
        g.wsdl_services.extend(
            dataclasses.replace(s, origin="servicestack")
            for s in servicestack.read_servicestack(ss_group, diags, ss_api, ss_data)
        )
    files = [p for p in files if p not in ss_files]
    # --- end ServiceStack ---

    in_folder: dict[tuple[str, str], list[tuple[str, str]]] = {}  # pages by version folder
    keys, cached = _cached_reads(files, cache)
    misses = [p for p in files if p.endswith((".md", ".txt")) and p not in cached]
    fresh = dict(zip(misses, _read_pages(misses, roots)))
    raw_wsdls = _read_raw_wsdls([p for p in files if p.endswith(".wsdl")], roots, diags, reads)
    for path in files:
        api, folder_version = (where or {}).get(path, ("superoffice", ""))
        if path.endswith((".md", ".txt")):
            if path in cached:
                page, page_diags, wsdl_read = cached[path][2]
                reads[os.path.abspath(path)] = cached[path][1]
            else:
                (page, page_diags, wsdl_read), hashes = fresh[path]
                reads.update(hashes)
                key, digest = keys.get(path, ("", ""))
                # cached only when what was parsed is what the key was made from (the file
                # may have changed in between) and nothing else was read with it
                if (
                    cache is not None
                    and key
                    and hashes.get(os.path.abspath(path)) == digest
                    and not _imports_files(page)
                ):
                    cache.put(key, fresh[path][0])
            diags.extend(page_diags)
            if page is not None and folder_version:
                in_folder.setdefault((api, folder_version), []).append((path, page.version))
            if isinstance(page, superoffice.OperationPage):
                g = group(api, page.version)
                g.pages.append(page)
                g.files.append(path)
            elif isinstance(page, superoffice.WsdlPage):
                assert wsdl_read is not None
                services, wsdl_items = wsdl_read
                diags.extend(wsdl_items)
                g = group(api, page.version)
                g.files.append(path)
                renamed = services if len(services) != 1 else [_renamed(services[0], page.agent)]
                g.wsdl_services.extend(renamed)
            elif isinstance(page, superoffice.IndexPage):
                group(api, page.version).indexes.append(page)
        elif raw_wsdls.get(path):
            version = folder_version or _version_from_path(path)
            g = group(api, version)
            g.files.append(path)
            g.wsdl_services.extend(raw_wsdls[path])
    _check_page_versions(in_folder, where or {}, diags)
    return [groups[k] for k in sorted(groups)]


LAYOUT = (
    "the layout is <specs>/<api>/<Version>/..., e.g. specs/superoffice/Services88/Ticket/"
    "GetTicket.md beside specs/superoffice/Services88/Services88-Ticket.md"
)


def _check_page_versions(
    in_folder: dict[tuple[str, str], list[tuple[str, str]]],
    where: dict[str, tuple[str, str]],
    diags: Collector,
) -> None:
    """Pages name their own version. A version folder none of whose pages agrees is a layout
    mistake (one error for the folder); a few stray pages are warnings."""
    for (api, folder), pages in sorted(in_folder.items()):
        wrong = [(p, v) for p, v in pages if v != folder]
        if not wrong:
            continue
        if len(wrong) < len(pages):
            for path, version in wrong:
                diags.warning(
                    "LOAD002",
                    path,
                    1,
                    f"page says {version} but lies in folder {folder}; the page's version is used",
                )
            continue
        versions = sorted({v for _, v in wrong})
        first = sorted(p for p, _ in wrong)[0]
        hint = ""
        if api in versions:  # specs/Services88/Ticket/...: the API level is missing
            hint = f"; {api} is a version: move it to <specs>/<api>/{api}/"
        diags.error(
            "LOAD003",
            os.path.dirname(first),
            0,
            f"the {len(pages)} pages of folder {api}/{folder} are {', '.join(versions)} pages,"
            f" so {folder} is not their version folder ({LAYOUT}){hint}",
        )


def check_layout(specs_root: str, files: list[str], diags: Collector) -> list[str]:
    """The files that lie in a version folder, <specs>/<api>/<Version>/...; one error for the
    files above that level (they are not read)."""
    root = os.path.abspath(specs_root)
    placed: list[str] = []
    above: list[str] = []
    for f in files:
        depth = len(parts_below(f, root))
        (placed if depth >= 3 else above).append(f)
    if above:
        shown = sorted(above)
        hint = ""
        for f in shown:
            if f.endswith((".md", ".txt")):
                page, _ = superoffice.read_file(f)
                if page is not None and os.path.basename(root) == page.version:
                    hint = (
                        f"; {root} is itself a version folder: name the folder that holds"
                        f" <api>/{page.version}/ as the specs folder"
                    )
                    break
        diags.error(
            "LOAD003",
            root,
            0,
            f"{len(above)} spec files lie above the version folders, e.g."
            f" {os.path.relpath(shown[0], root)} ({LAYOUT}){hint}",
        )
    return placed


def _read_raw_wsdls(
    paths: list[str], roots: dict[str, str], diags: Collector, reads: Hashes
) -> dict[str, list[ir.Service]]:
    """The services of each raw WSDL that no other one imports (an imported WSDL, such as a
    version's *Abstract.wsdl, is part of its importer: its diagnostics come from there); reads
    receives the sha256 of every file read."""
    read: dict[str, tuple[list[ir.Service], list[Diagnostic], frozenset[str]]] = {}
    for path in paths:
        try:
            data = read_input(path, limit_for(path), "a WSDL file")
        except InputError as exc:
            diags.error("LOAD001", path, 0, str(exc))
            continue
        reads[os.path.abspath(path)] = sha256(data)
        services, wsdl_diags, imported = read_wsdl(data, path, root=roots.get(path), reads=reads)
        read[path] = (services, wsdl_diags.items, imported)
    imported_all = {i for _, _, imports in read.values() for i in imports}
    tops = [p for p in read if os.path.abspath(p) not in imported_all] or list(read)
    out = {}
    for path in tops:
        services, items, _ = read[path]
        diags.extend(items)
        out[path] = services
    return out


def read_page_file(path: str, root: str | None = None) -> tuple[PageRead, Hashes]:
    """One page, and the WSDL it wraps parsed, with their diagnostics; and the sha256 of the
    bytes read (the page's, and those of the files its WSDL imports)."""
    data, load_diags = superoffice.load_file(path)
    if data is None:
        return (None, load_diags, None), {}
    hashes = {os.path.abspath(path): sha256(data)}
    page, page_diags = superoffice.read_bytes(path, data)
    wsdl_read = None
    if isinstance(page, superoffice.WsdlPage):
        services, wsdl_collector, _ = read_wsdl(
            page.wsdl.text, path, page.wsdl.line, root, reads=hashes
        )
        wsdl_read = (services, wsdl_collector.items)
    return (page, page_diags, wsdl_read), hashes


def _read_pages(paths: list[str], roots: dict[str, str]) -> list[tuple[PageRead, Hashes]]:
    """Pages read in order; many of them are parsed in worker processes, two at a time or more."""
    workers = min(os.cpu_count() or 1, 4)
    if (
        workers < 2
        or len(paths) < _PARALLEL_PAGES
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return [read_page_file(p, roots.get(p)) for p in paths]
    # the big pages (WSDLs) here, the many small ones in the workers meanwhile: a parsed WSDL is
    # large, and sending it back from a worker costs about what parsing it here does
    sizes = {p: _size(p) for p in paths}
    big = [p for p in paths if sizes[p] > _BIG_PAGE]
    small = [p for p in paths if sizes[p] <= _BIG_PAGE]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [
            pool.submit(_read_some, [(p, roots.get(p)) for p in small[i : i + 64]])
            for i in range(0, len(small), 64)
        ]
        done = {p: read_page_file(p, roots.get(p)) for p in big}
        for future, start in zip(futures, range(0, len(small), 64)):
            done.update(zip(small[start : start + 64], future.result()))
    return [done[p] for p in paths]


_IMPORT = re.compile(r"<(?:[\w.-]+:)?(?:import|include)\b[^>]*\b(?:schemaL|l)ocation\s*=")


def _imports_files(page: object) -> bool:
    """A WSDL page that imports schema files beside it: its read depends on more than its own
    bytes, so it is never taken from the cache."""
    return isinstance(page, superoffice.WsdlPage) and _IMPORT.search(page.wsdl.text) is not None


def _read_some(paths: list[tuple[str, str | None]]) -> list[tuple[PageRead, Hashes]]:
    return [read_page_file(p, root) for p, root in paths]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _servicestack_files(files: list[str], diags: Collector) -> dict[str, bytes]:
    """The ServiceStack files among files, with their bytes (each read once, within its limit;
    a .txt that cannot be read is left to the page reader, which reports it)."""
    found: dict[str, bytes] = {}
    for path in files:
        if not path.endswith(servicestack.detect.SUFFIXES):
            continue
        try:
            data = read_input(path, limit_for(path), "a ServiceStack file")
        except InputError as exc:
            if not path.endswith(".txt"):
                diags.error("SS001", path, 0, str(exc))
            continue
        if servicestack.is_servicestack_data(path, data):
            found[path] = data
    return found


def _cached_reads(
    files: list[str], cache: ReadCache | None
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str, Any]]]:
    """For the pages: path -> (cache key, sha256 of the bytes the key was made from), and
    path -> (key, sha256, cached read) for those the cache answers."""
    keys: dict[str, tuple[str, str]] = {}
    if cache is None:
        return keys, {}
    for path in files:
        if not path.endswith((".md", ".txt")):
            continue
        data, _ = superoffice.load_file(path)  # the reader reports a file it cannot read
        if data is not None:
            keys[path] = (cache.key(path, data), sha256(data))
    found = cache.get_many(sorted({key for key, _ in keys.values()}))
    hits = {path: (key, digest, found[key]) for path, (key, digest) in keys.items() if key in found}
    return keys, hits


def _renamed(service: ir.Service, agent: str) -> ir.Service:
    return dataclasses.replace(service, name=agent) if agent else service


def _version_from_path(path: str) -> str:
    """The version folder of a raw WSDL: the nearest parent folder, e.g. specs/api/V1/x.wsdl -> V1."""
    parent = os.path.basename(os.path.dirname(os.path.abspath(path)))
    return parent or "default"


def locate(specs_root: str, files: list[str]) -> dict[str, tuple[str, str]]:
    """specs/<api>/<Version>/...: the first two folders below the specs root."""
    out = {}
    root = os.path.abspath(specs_root)
    for f in files:
        parts = parts_below(f, root)
        api = parts[0] if len(parts) > 1 else "default"
        version = parts[1] if len(parts) > 2 else ""
        out[f] = (api, version)
    return out
