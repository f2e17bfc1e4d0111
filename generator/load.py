"""Find the spec files of each API version and read them into IR (reading only; merging is
:mod:`generator.merge`).

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

from . import ir
from .diagnostics import Collector, Diagnostic
from .readcache import ReadCache
from .sources import servicestack, superoffice
from .sources.wsdl import read_wsdl

SPEC_SUFFIXES = (".md", ".txt", ".wsdl", ".xml", ".xsd", ".json", ".html", ".htm")
_PARALLEL_PAGES = 200  # fewer pages are read faster than a process pool starts
_BIG_PAGE = 100_000  # bytes: pages this big (the WSDL pages) are read in the main process
PageRead = tuple[
    "superoffice.Page | None", list[Diagnostic], "tuple[list[ir.Service], list[Diagnostic]] | None"
]


@dataclass
class VersionInputs:
    api: str
    version: str
    wsdl_services: list[ir.Service] = field(default_factory=list)
    pages: list[superoffice.OperationPage] = field(default_factory=list)
    indexes: list[superoffice.IndexPage] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


def list_files(root: str) -> list[str]:
    """Every spec file below root, sorted (the order never depends on the file system)."""
    if os.path.isfile(root):
        return [root]
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.startswith(".") or not name.endswith(SPEC_SUFFIXES):
                continue
            found.append(os.path.join(dirpath, name))
    return sorted(found)


def read_inputs(
    files: list[str],
    diags: Collector,
    where: dict[str, tuple[str, str]] | None = None,
    cache: ReadCache | None = None,
    roots: dict[str, str] | None = None,
) -> list[VersionInputs]:
    """Read files into inputs grouped by (api, version).

    where maps a file to the (api, version) its folder names; without it a page's own version
    is used and the API is "superoffice" for SuperOffice pages. With a cache, an unchanged page
    (same path, same bytes, same generator) is not parsed again. roots maps a file to the
    folder its imports must stay inside (default: its own folder). A raw WSDL that another one
    imports (wsdl:import) is read as part of its importer, not as a service of its own.
    """
    roots = roots or {}
    groups: dict[tuple[str, str], VersionInputs] = {}

    def group(api: str, version: str) -> VersionInputs:
        key = (api, version)
        if key not in groups:
            groups[key] = VersionInputs(api, version)
        return groups[key]

    # --- ServiceStack (pages, copied text, metadata.json): one Service per version folder ---
    ss_files = {p for p in files if servicestack.is_servicestack(p)}
    for (ss_api, ss_version), ss_group in sorted(
        servicestack.group_files(sorted(ss_files), where).items()
    ):
        g = group(ss_api, ss_version)
        g.files.extend(ss_group)
        g.wsdl_services.extend(
            dataclasses.replace(s, origin="servicestack")
            for s in servicestack.read_servicestack(ss_group, diags, ss_api)
        )
    files = [p for p in files if p not in ss_files]
    # --- end ServiceStack ---

    in_folder: dict[tuple[str, str], list[tuple[str, str]]] = {}  # pages by version folder
    cached = _cached_reads(files, cache)
    misses = [
        p for p in files if p.endswith((".md", ".txt")) and cached.get(p, [None, None])[1] is None
    ]
    fresh = dict(zip(misses, _read_pages(misses, roots)))
    raw_wsdls = _read_raw_wsdls([p for p in files if p.endswith(".wsdl")], roots, diags)
    for path in files:
        api, folder_version = (where or {}).get(path, ("superoffice", ""))
        hit = cached.get(path, [None, None])[1]
        if path.endswith((".md", ".txt")):
            if hit is not None:
                page, page_diags, wsdl_read = hit
            else:
                page, page_diags, wsdl_read = fresh[path]
                if cache is not None and path in cached and not _imports_files(page):
                    cache.put(cached[path][0], fresh[path])
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
        depth = len(os.path.relpath(os.path.abspath(f), root).split(os.sep))
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
    paths: list[str], roots: dict[str, str], diags: Collector
) -> dict[str, list[ir.Service]]:
    """The services of each raw WSDL that no other one imports (an imported WSDL, such as a
    version's *Abstract.wsdl, is part of its importer: its diagnostics come from there)."""
    read: dict[str, tuple[list[ir.Service], list[Diagnostic], frozenset[str]]] = {}
    for path in paths:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            diags.error("LOAD001", path, 0, f"cannot read: {exc.strerror}")
            continue
        services, wsdl_diags, imported = read_wsdl(data, path, root=roots.get(path))
        read[path] = (services, wsdl_diags.items, imported)
    imported_all = {i for _, _, imports in read.values() for i in imports}
    tops = [p for p in read if os.path.abspath(p) not in imported_all] or list(read)
    out = {}
    for path in tops:
        services, items, _ = read[path]
        diags.extend(items)
        out[path] = services
    return out


def read_page_file(path: str, root: str | None = None) -> PageRead:
    """One page, and the WSDL it wraps parsed, with their diagnostics."""
    page, page_diags = superoffice.read_file(path)
    wsdl_read = None
    if isinstance(page, superoffice.WsdlPage):
        services, wsdl_collector, _ = read_wsdl(page.wsdl.text, path, page.wsdl.line, root)
        wsdl_read = (services, wsdl_collector.items)
    return page, page_diags, wsdl_read


def _read_pages(paths: list[str], roots: dict[str, str]) -> list[PageRead]:
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


def _read_some(paths: list[tuple[str, str | None]]) -> list[PageRead]:
    return [read_page_file(p, root) for p, root in paths]


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _cached_reads(files: list[str], cache: ReadCache | None) -> dict[str, Any]:
    """path -> [key, cached read or None] for the pages a cache can answer (None: miss)."""
    if cache is None:
        return {}
    keys: dict[str, str] = {}
    for path in files:
        if not path.endswith((".md", ".txt")):
            continue
        try:
            if os.path.getsize(path) > superoffice.MAX_BYTES:
                continue
            with open(path, "rb") as fh:
                keys[path] = cache.key(path, fh.read())
        except OSError:
            continue  # read_file reports it
    found = cache.get_many(sorted(set(keys.values())))
    return {path: [key, found.get(key)] for path, key in keys.items()}


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
        parts = os.path.relpath(os.path.abspath(f), root).split(os.sep)
        api = parts[0] if len(parts) > 1 else "default"
        version = parts[1] if len(parts) > 2 else ""
        out[f] = (api, version)
    return out
