"""The whole generation as one pure-ish function: spec files in, {path: bytes} out.

read (load, sources) -> merge -> profile -> name -> lay out -> plan -> render (templates,
fixtures) -> format. Writing is :mod:`soapgen.write.tree`.
"""

from __future__ import annotations

import gc
import os
import time

from ..config import naming, profiles
from ..config.identity import generator_hash
from ..config.project import Config
from ..core import ir
from ..core.diagnostics import Collector
from ..core.templateset import RUNTIME, TemplateSet
from ..format.formatter import Formatter
from ..merge.layout import lay_out
from ..merge.version import merge_version
from ..plan.version import header_doc, plan_one_agent, plan_version, version_namespaces
from ..read.cache import ReadCache, RenderCache
from ..read.inputs import hash_input
from ..read.load import VersionInputs, check_layout, list_files, locate, read_inputs
from ..render.fixtures import agent_fixtures, render_testing
from ..render.modules import environment, render_agent, render_init, render_types
from ..render.schemas import schema_files
from ..write.tree import config_hash
from . import reuse
from .result import Result, ReusePlan


def read_ir(
    paths: list[str],
    specs_root: str | None,
    diags: Collector,
    cache: ReadCache | None = None,
    reads: dict[str, str] | None = None,
    skip: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[tuple[str, ir.Version]], list[VersionInputs], list[str]]:
    """The IR of the spec files below paths (all of them are returned, but those in skip, by
    absolute path, are not read); reads (when given) receives, by absolute path, the sha256 of
    the bytes each input was read from (soapgen.read.inputs.hash_input for a listed file no
    reader needed)."""
    files: list[str] = []
    roots: dict[str, str] = {}  # the folder each file's imports must stay inside
    for p in paths:
        found = list_files(p, diags)
        files.extend(found)
        base = specs_root or (p if os.path.isdir(p) else os.path.dirname(p) or ".")
        for f in found:
            roots.setdefault(f, os.path.abspath(base))
    files = sorted(set(files))
    if specs_root:
        files = check_layout(specs_root, files, diags)
    to_read = [f for f in files if os.path.abspath(f) not in skip] if skip else files
    where = locate(specs_root, to_read) if specs_root else None
    inputs = read_inputs(to_read, diags, where, cache, reads, roots)
    if reads is not None:
        for f in to_read:
            reads.setdefault(os.path.abspath(f), hash_input(f))
    versions = [(vi.api, merge_version(vi, diags)) for vi in inputs]
    return versions, inputs, files


def generate(config: Config) -> Result:
    # A run builds a large, long-lived IR and makes many small objects on top of it; the cyclic
    # collector's default pace walks that IR over and over (measured: a sixth of a warm run).
    # (The pace is process-wide: a run only ever slows it, so a concurrent run that found it
    # slowed already leaves it alone and the first one restores it.)
    thresholds = gc.get_threshold()
    if thresholds[0] >= _GC_PACE[0]:
        return _generate(config)
    gc.set_threshold(*_GC_PACE)
    try:
        return _generate(config)
    finally:
        gc.set_threshold(*thresholds)


_GC_PACE = (20_000, 50, 100)


def _generate(config: Config, reuse_versions: bool = True) -> Result:
    result = Result()
    diags = result.diags
    t0 = time.perf_counter()
    generator = generator_hash()  # keys every cache: a change to the generator misses them all
    run_salt = reuse.salt(config, generator, TemplateSet(config.templates).override_hashes())
    taken = reuse.plan(config, run_salt) if reuse_versions else ReusePlan(run_salt)
    cache = ReadCache(generator)
    try:
        versions, inputs, files = read_ir(
            [config.specs], config.specs, diags, cache, result.input_hashes, taken.skip
        )
    finally:
        cache.close()
    if any(taken.claims(api, version.name) for api, version in versions):
        return _generate(config, reuse_versions=False)  # a changed page names a reused version
    diags.extend(taken.diags)
    result.input_hashes.update(taken.input_hashes)
    result.groups = {(vi.api, vi.version): list(vi.files) for vi in inputs}
    version_files = [vi.files for vi in inputs]
    del inputs  # the pages and WSDL services as read: merged into versions, not needed again
    result.reused = taken
    result.cache_hits["reads"] = cache.hits
    result.inputs = files
    t1 = time.perf_counter()
    result.timings["read+merge"] = t1 - t0
    templates = TemplateSet(config.templates)
    env = environment(templates, generator)
    overrides = sorted(templates.override_hashes().items())
    render_cache = RenderCache(f"{generator}\0{overrides}\0{config_hash(config)}")
    runtime = templates.runtime()
    shadowed = set(templates.overridden())
    raw: dict[str, bytes] = {}
    formatter = Formatter(diags, generator=generator)
    apis: dict[str, list[str]] = {}
    versions.reverse()  # taken from the end, in order: each read IR goes once it is named
    version_files.reverse()
    while versions:
        (api, version), files_of_version = versions.pop(), version_files.pop()
        profile = profiles.for_version(api, version, config.apis)
        version = profiles.apply(version, profile)
        reserved = naming.reserved_classes(version, profile.facade, profile.error_class)
        named = naming.name_version(version, diags, reserved)
        result.versions.append((api, named))
        layout = lay_out(named)
        api_py = naming.identifier(api)
        base = f"{api_py}/{named.py_name}"
        apis.setdefault(api_py, []).append(named.py_name)
        namespaces = version_namespaces(named)
        # what every agent's plan shares: the version's types, layout, namespaces and names
        version_key = render_cache.digest(
            api,
            profile,
            named.name,
            named.py_name,
            sorted(reserved),
            sorted(namespaces),
            [(s.name, s.py_name, s.types, s.elements) for s in named.services],
            [t.name for t in layout.shared],
            sorted((k, [t.name for t in v]) for k, v in layout.local.items()),
            sorted((k, sorted(v)) for k, v in layout.reachable.items()),
        )

        def emit(rel: str, text: str, base: str = base) -> None:
            formatter.add(f"{base}/{rel}", text)

        for name, text in sorted(runtime.items()):
            if f"{RUNTIME}{name}" in shadowed:  # a project's own runtime file: formatted
                emit(f"_runtime/{name}", text)
            else:  # soapgen's own is black-formatted already (CI checks it; test_format too)
                raw[f"{base}/_runtime/{name}"] = text.encode("utf-8")
        agents = []
        has_tests = False  # a tests/ package only where an agent has fixture tests
        for svc in named.services:  # planned and rendered one by one: black starts on each
            key = render_cache.digest(render_cache.agent_key(version_key, svc), "agent")
            hit = render_cache.get(key)
            if hit is None:
                agent_diags = Collector()
                agent = plan_one_agent(api, named, svc, layout, profile, namespaces, agent_diags)
                files_of_agent: dict[str, str | bytes] = {
                    f"{svc.py_name}.py": render_agent(env, agent)
                }
                tests, fixtures = agent_fixtures(
                    env, named, svc, agent, layout, profile, agent_diags
                )
                if tests is not None:
                    files_of_agent[f"tests/test_{svc.py_name}.py"] = tests
                files_of_agent.update(fixtures)
                files_of_agent.update(schema_files(svc))
                hit = (agent, files_of_agent, agent_diags.items)
                render_cache.put(key, hit)
            agent, files_of_agent, found = hit
            diags.extend(found)
            agents.append(agent)
            for rel, data in sorted(files_of_agent.items()):
                if isinstance(data, bytes):
                    raw[f"{base}/{rel}"] = data
                else:
                    emit(rel, data)
                    has_tests = has_tests or rel.startswith("tests/")
        vplan = plan_version(
            api, named, layout, profile, namespaces, files_of_version, diags, agents
        )
        emit("types.py", render_types(env, vplan))
        emit("__init__.py", render_init(env, vplan))
        emit("testing.py", render_testing(env, vplan))
        if has_tests:
            emit("tests/__init__.py", "")
        raw[f"{base}/py.typed"] = b""
    for api, _, py_name in taken.versions:
        apis.setdefault(naming.identifier(api), []).append(py_name)
    for api_py, versions_py in sorted(apis.items()):
        doc = f"{api_py}: generated clients, one package per service version"
        text = header_doc(f"{doc} ({', '.join(sorted(versions_py))}).", []) + "\n"
        formatter.add(f"{api_py}/__init__.py", text)
    if config.package:  # the output folder is the package config.package names
        root_doc = f"{config.package}: generated SOAP clients ({', '.join(sorted(apis))})."
        formatter.add("__init__.py", header_doc(root_doc, []) + "\n")
    render_cache.close()
    result.cache_hits["renders"] = render_cache.hits
    t2 = time.perf_counter()
    result.timings["render"] = t2 - t1  # black already runs beside it, in worker processes
    formatted = formatter.finish()
    result.timings["format"] = (
        time.perf_counter() - t2
    )  # the part of formatting left after rendering
    for path in sorted(formatted):  # one copy at a time: the text goes as its bytes come
        raw[path] = formatted.pop(path).encode("utf-8")
    result.files = raw
    return result
