"""The sources of one version merged into an :class:`.model.ApiModel`: metadata.json is
authoritative, HTML and then text add descriptions and samples, and disagreements are warnings
naming both files and lines."""

from __future__ import annotations

import dataclasses
import os

from ....core.diagnostics import Collector
from .model import ApiModel, Block, Dto, Op, Route, Source, _builtin_dtos

_RANK = {"json": 0, "html": 1, "text": 2, "builtin": 3}


def _where(file: str, line: int) -> str:
    return f"{file}:{line}" if line else file


def merge_sources(sources: list[Source], diags: Collector) -> ApiModel:
    api = ApiModel()
    sources = sorted(
        sources, key=lambda s: (_RANK[s.kind], os.path.basename(s.path) != "metadata.json", s.path)
    )
    api.sources = sources
    api.has_metadata_json = any(s.kind == "json" for s in sources)
    json_dtos = {n for s in sources if s.kind == "json" for n in s.dtos}
    json_ops = {n for s in sources if s.kind == "json" for n in s.ops}
    titles: list[Source] = [s for s in sources if s.title]
    if titles:
        api.title = titles[0].title
        for s in titles[1:]:
            if s.title != api.title:
                diags.warning(
                    "SS013",
                    s.path,
                    s.title_line,
                    f"service name {s.title!r} differs from {api.title!r} ({_where(titles[0].path, titles[0].title_line)})",
                )
    spaces = [s for s in sources if s.namespace]
    if spaces:
        api.namespace = spaces[0].namespace
        for s in spaces[1:]:
            if s.namespace != api.namespace:
                diags.warning(
                    "SS013",
                    s.path,
                    0,
                    f"samples use namespace {s.namespace}, {spaces[0].path} uses {api.namespace}",
                )
    hosts = [s for s in sources if s.host]
    api.base_url = next((s.base_url for s in sources if s.base_url), "")
    if hosts:
        api.host = hosts[0].host
        for s in hosts[1:]:
            if s.host != api.host:
                diags.info(
                    "SS022",
                    s.path,
                    s.host_line,
                    f"host {s.host} differs from {api.host} ({_where(hosts[0].path, hosts[0].host_line)}); "
                    "the client takes its base URL as an argument",
                )
    for s in sources:
        for d, concerns in s.pending:
            if concerns not in json_dtos and concerns not in json_ops:
                diags.add(d)
        for name, dto in s.dtos.items():
            old = api.dtos.get(name)
            if old is None:
                api.dtos[name] = dataclasses.replace(
                    dto,
                    props=[dataclasses.replace(p) for p in dto.props],
                    members=[dataclasses.replace(m) for m in dto.members],
                )
            else:
                _merge_dto(old, dto, diags)
        for name, op in s.ops.items():
            old_op = api.ops.get(name)
            if old_op is None:
                api.ops[name] = dataclasses.replace(
                    op, routes=list(op.routes), samples=dict(op.samples)
                )
            else:
                _merge_op(old_op, op, diags)
    builtins = _builtin_dtos()
    for n, builtin in builtins.items():  # an export that lists a built-in without its members
        listed = api.dtos.get(n)
        if listed is not None and not listed.props and not listed.enum:
            listed.props = [dataclasses.replace(p) for p in builtin.props]
            listed.generic_params = listed.generic_params or builtin.generic_params
            listed.base = listed.base or builtin.base
    needed = True
    while needed:  # the built-ins the API refers to (ResponseStatus, ...)
        needed = False
        for dto in list(api.dtos.values()):
            names = {dto.base or ""} | {n for a in dto.base_args for n in a.names()}
            for p in dto.props:
                names |= p.type.names() if p.type else set()
            for n in sorted(names & (builtins.keys() - api.dtos.keys())):
                api.dtos[n] = builtins[n]
                needed = True
    return api


def _differs(a: str, b: str) -> bool:
    return " ".join(a.split()) != " ".join(b.split())


def _merge_dto(a: Dto, b: Dto, diags: Collector) -> None:
    """a (from the more authoritative source) absorbs b: descriptions fill gaps; differences are warned."""
    there = _where(a.file, a.line)

    def warn(line: int, what: str) -> None:
        diags.warning("SS013", b.file, line or b.line, f"{what} (authoritative: {there})")

    if a.enum != b.enum:
        warn(
            b.line,
            f"{b.name} is {'an enum' if b.enum else 'a class'} here but {'an enum' if a.enum else 'a class'} in {a.file}",
        )
        return
    if not a.description and b.description:
        a.description = b.description
    elif a.description and b.description and _differs(a.description, b.description):
        warn(b.line, f"{b.name}: description {b.description!r} differs from {a.description!r}")
    if a.enum:
        am = [(m.name, m.value) for m in a.members]
        bm = [(m.name, m.value) for m in b.members]
        if am != bm:
            warn(b.line, f"enum {b.name} members {bm} differ from {am}")
        by_name = {m.name: m for m in b.members}
        for m in a.members:
            other = by_name.get(m.name)
            if other is None:
                continue
            if not m.description and other.description:
                m.description = other.description
            elif m.description and other.description and _differs(m.description, other.description):
                warn(
                    other.line,
                    f"enum {b.name}.{m.name}: description {other.description!r} differs from {m.description!r}",
                )
        return
    if (a.base or None) != (b.base or None) and not (
        b.kind != "json" and b.base is None and not b.props
    ):
        how = "inferred from the page's table order" if b.base_inferred else "stated"
        warn(
            b.line,
            f"{b.name}: base class {b.base or '(none)'} ({how}) differs from {a.base or '(none)'}",
        )
    if a.base is None and b.base and a.kind != "json":
        a.base, a.base_inferred = b.base, b.base_inferred
    a_props = {p.name: p for p in a.props}
    b_props = {p.name: p for p in b.props}
    if not a.props and b.props and a.kind != "json":
        a.props = [dataclasses.replace(p) for p in b.props]
        return
    if not b.props and b.kind != "json":
        return  # a placeholder for a type the page shows no table of
    for name in b_props.keys() - a_props.keys():
        warn(b_props[name].line, f"{b.name}.{name} is declared here but not in {a.file}")
    for name in a_props.keys() - b_props.keys():
        warn(b.line, f"{b.name}.{name} ({_where(a.file, a_props[name].line)}) is missing here")
    for p in a.props:
        q = b_props.get(p.name)
        if q is None:
            continue
        if p.type is not None and q.type is not None and str(p.type) != str(q.type):
            warn(
                q.line,
                f"{b.name}.{p.name}: type {q.type.display()} differs from {p.type.display()} ({_where(a.file, p.line)})",
            )
        if p.required != q.required:
            yes_no = ("No", "Yes")
            warn(
                q.line,
                f"{b.name}.{p.name}: required {yes_no[q.required]} differs from {yes_no[p.required]} ({_where(a.file, p.line)})",
            )
        if p.param and q.param and p.param != q.param:
            warn(
                q.line,
                f"{b.name}.{p.name}: parameter kind {q.param} differs from {p.param} ({_where(a.file, p.line)})",
            )
        if not p.description and q.description:
            p.description = q.description
        elif p.description and q.description and _differs(p.description, q.description):
            warn(
                q.line,
                f"{b.name}.{p.name}: description {q.description!r} differs from {p.description!r} ({_where(a.file, p.line)})",
            )
        if not p.allowable and q.allowable:
            p.allowable = q.allowable
        if p.range is None and q.range is not None:
            p.range = q.range
        elif p.range and q.range and p.range != q.range:
            warn(q.line, f"{b.name}.{p.name}: valid range {q.range} differs from {p.range}")


def _route_key(r: Route) -> tuple[str, str]:
    return r.verbs, r.path.rstrip("/").lower()


def _merge_op(a: Op, b: Op, diags: Collector) -> None:
    there = _where(a.file, a.line)

    def warn(line: int, what: str) -> None:
        diags.warning("SS013", b.file, line or b.line, f"{what} (authoritative: {there})")

    if b.response != a.response and b.response and a.response:
        warn(b.line, f"{b.name} returns {b.response} here but {a.response}")
    if not a.description and b.description:
        a.description = b.description
    elif a.description and b.description and _differs(a.description, b.description):
        warn(b.line, f"{b.name}: description {b.description!r} differs from {a.description!r}")
    if b.tags and a.tags and set(a.tags) != set(b.tags):
        warn(b.line, f"{b.name}: tags {list(b.tags)} differ from {list(a.tags)}")
    if not a.tags and b.tags:
        a.tags = b.tags
    if a.routes_complete and b.routes_complete and b.kind != "text":
        if {_route_key(r) for r in a.routes} != {_route_key(r) for r in b.routes}:

            def shown(rs: list[Route]) -> list[str]:
                return [f"{r.verbs or 'ALL'} {r.path}" for r in rs]

            warn(
                b.routes[0].line if b.routes else b.line,
                f"{b.name}: routes {shown(b.routes)} differ from {shown(a.routes)}",
            )
    elif (
        a.routes_complete and b.routes_complete
    ):  # copied text: the split was a guess; only paths are compared
        if {r.path.rstrip("/").lower() for r in a.routes} != {
            r.path.rstrip("/").lower() for r in b.routes
        }:
            warn(
                b.routes[0].line if b.routes else b.line,
                f"{b.name}: route paths {[r.path for r in b.routes]} differ from {[r.path for r in a.routes]}",
            )
    if not a.routes_complete and b.routes_complete:
        a.routes, a.routes_complete = list(b.routes), True
    if (
        a.requires_auth is not None
        and b.requires_auth is not None
        and a.requires_auth != b.requires_auth
        and b.kind != "text"
    ):
        warn(
            b.line,
            f"{b.name}: {'requires' if b.requires_auth else 'does not require'} authentication here",
        )
    if a.requires_auth is None:
        a.requires_auth = b.requires_auth
    for fmt, s in b.samples.items():
        if fmt not in a.samples:
            a.samples[fmt] = s
        else:
            old = a.samples[fmt]
            if _norm_sample(old.request) != _norm_sample(s.request) or _norm_sample(
                old.response
            ) != _norm_sample(s.response):
                line = (s.request.line if s.request else 0) or b.line
                diags.info(
                    "SS013",
                    b.file,
                    line,
                    f"{b.name}: the {fmt} samples differ from those of {old.file}; those are attached",
                )


def _norm_sample(b: Block | None) -> str:
    return " ".join(b.body.split()) if b else ""
