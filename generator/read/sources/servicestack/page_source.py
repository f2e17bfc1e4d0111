"""A page (HTML or copied text) -> a :class:`.model.Source`: its tables become DTOs, base
classes are inferred from the table order and the samples."""

from __future__ import annotations

from .. import clr_types as clr
from ..clr_types import ClrTypeError
from .model import BUILTIN_NAMES, Dto, Op, Prop, Samples, Source, _Out
from .page import Page, _SampleView, _view
from .text import _split_enum_rows, _split_rows


def _page_source(page: Page, out: _Out) -> Source:
    src = Source(page.path, page.kind, page.title, page.title_line)
    src.pending.extend(page.pending)
    fmt = page.fmt or "json"
    req_view = _view(page.request, fmt)
    resp_view = _view(page.response, fmt)
    for which, block, view in (
        ("request", page.request, req_view),
        ("response", page.response, resp_view),
    ):
        if view is not None and not view.ok and block is not None:
            line = (block.body_line or block.line) + max(view.line, 1) - 1
            out.warning("SS010", line, f"sample {which}: {view.problem}; not attached")
    for view in (req_view, resp_view):
        if view is not None and view.root_ns and not src.namespace:
            src.namespace = view.root_ns
    if page.request is not None:
        src.host, src.host_line = page.request.header("Host").strip(), page.request.line
    hints = (req_view.names if req_view else set()) | (resp_view.names if resp_view else set())
    known = set(clr.KNOWN) | set(BUILTIN_NAMES) | {t.name for t in page.tables}
    for t in page.tables:
        if t.raw:
            if t.enum:
                _split_enum_rows(page, t, src, out)
            else:
                _split_rows(page, t, known, hints, src, out)
        if not t.rows and not t.members and t.raw:
            out.warning("SS019", t.line, f"{t.name or 'Parameters'} table has no readable rows")

    op_name = page.op
    response: str | None = None
    if resp_view is not None and resp_view.root:
        response = resp_view.root
    elif any(t.name == op_name + "Response" for t in page.tables) or page.response is not None:
        response = op_name + "Response"
    op = Op(
        op_name,
        page.path,
        page.op_line,
        page.kind,
        request=op_name,
        response=response,
        description=page.description,
        tags=page.tags,
        routes=page.routes,
        routes_complete=page.routes_complete,
        requires_auth=page.requires_auth,
        auth=page.auth,
    )
    if page.request is not None or page.response is not None:
        op.samples[fmt] = Samples(fmt, page.request, page.response, page.path)
    src.ops[op_name] = op

    # DTOs, in table order
    order: list[str] = []
    for t in page.tables:
        name = t.name or op_name  # legacy pages: one "Parameters:" table of the request
        params: tuple[str, ...] = ()
        if "<" in name:  # a generic type's table: QueryResponse<T> Parameters:
            try:
                generic = clr.parse(name)
                name, params = generic.name, tuple(str(a) for a in generic.args)
            except ClrTypeError:
                out.warning(
                    "SS019", t.line, f"table caption {name!r} is not a type name; table ignored"
                )
                continue
        if name in src.dtos:
            out.warning(
                "SS023",
                t.line,
                f"a second table for {name} (first at line {src.dtos[name].line}); ignored",
            )
            continue
        dto = Dto(
            name,
            page.path,
            t.line,
            page.kind,
            enum=t.enum,
            value_type=t.enum,
            generic_params=params,
        )
        if t.enum:
            dto.members = t.members
            if not t.has_values:
                for k, m in enumerate(dto.members):
                    m.value = k
        else:
            dto.props = [
                Prop(
                    r.name,
                    r.type,
                    r.type_text,
                    r.param,
                    r.required,
                    r.description,
                    tuple(r.allowable),
                    r.range,
                    line=r.line,
                )
                for r in t.rows
            ]
        src.dtos[name] = dto
        order.append(name)
    for implied in (op_name, response):  # a DTO without properties has no table
        if implied and implied not in src.dtos:
            src.dtos[implied] = Dto(implied, page.path, page.op_line, page.kind)
    if op_name in src.dtos and page.description:
        src.dtos[op_name].description = page.description
    _infer_bases(page, src, order, op_name, response, req_view, resp_view, out)
    return src


def _infer_bases(
    page: Page,
    src: Source,
    order: list[str],
    op_name: str,
    response: str | None,
    req_view: _SampleView | None,
    resp_view: _SampleView | None,
    out: _Out,
) -> None:
    """Tables list a type's base class right after it (FORMAT.md 2.5); the samples list base
    members among the top-level members. A table no property refers to is a base class."""
    referenced: set[str] = set()
    for d in src.dtos.values():
        for p in d.props:
            if p.type is not None:
                referenced |= p.type.names()

    def tail(name: str) -> str:
        seen = {name}
        while (
            src.dtos[name].base
            and src.dtos[name].base in src.dtos
            and src.dtos[name].base not in seen
        ):
            name = src.dtos[name].base or name
            seen.add(name)
        return name

    resp_idx = order.index(response) if response in order else None
    for idx, name in enumerate(order):
        dto = src.dtos[name]
        if dto.enum or name in (op_name, response) or name in referenced:
            continue
        props = {p.name for p in dto.props}
        in_req = bool(req_view and req_view.top and props and props <= set(req_view.top))
        in_resp = bool(resp_view and resp_view.top and props and props <= set(resp_view.top))
        derived: str | None = None
        if in_req != in_resp:
            derived = tail(op_name if in_req else (response or op_name))
        else:
            prev = next(
                (order[k] for k in range(idx - 1, -1, -1) if not src.dtos[order[k]].enum), None
            )
            if prev is None:
                derived = tail(op_name)
            else:
                derived = prev if src.dtos[prev].base is None else tail(prev)
                unsure = (
                    response is not None
                    and resp_idx is None
                    and resp_view is None
                    and prev != op_name
                )
                if unsure:
                    out.warning(
                        "SS016",
                        dto.line,
                        f"{name} is read as the base class of {derived} (the table before it); "
                        f"it could also be the base of {response}, which has no table",
                    )
        if derived == name:
            continue
        src.dtos[derived].base = name
        src.dtos[derived].base_inferred = True
    # the samples confirm the property lists (top-level members: the DTO and its bases)
    for view, dto_name, block in (
        (req_view, op_name, page.request),
        (resp_view, response, page.response),
    ):
        if view is None or not view.ok or not dto_name or block is None:
            continue
        declared: set[str] = set()
        cur: str | None = dto_name
        seen: set[str] = set()
        while cur and cur in src.dtos and cur not in seen:
            seen.add(cur)
            declared |= {p.name for p in src.dtos[cur].props}
            cur = src.dtos[cur].base
        extra = [m for m in view.top if m not in declared]
        if extra and declared:
            out.warning(
                "SS011",
                block.body_line or block.line,
                f"sample of {dto_name} shows {', '.join(extra)}, which no table of {dto_name} or its bases declares",
            )
