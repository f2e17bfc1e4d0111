"""``/types/metadata.json`` (the ``MetadataTypes`` model, PascalCase or camelCase keys) read into
a :class:`.model.Source`, with a small JSON parser that keeps the line each object starts on."""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from typing import Any

from .. import clr_types as clr
from ..clr_types import ClrType, ClrTypeError
from .model import _AUTH_KEYS, Dto, EnumMember, Op, Prop, Route, Source, _Out, _verbs


class JObj(dict):  # type: ignore[type-arg]
    """A JSON object with lower-cased keys and the line it starts on."""

    line: int = 0


class JList(list):  # type: ignore[type-arg]
    line: int = 0


class _JsonError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]  # (not in typeshed)
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")


class _Json:
    """A small JSON parser that remembers where each object and list starts."""

    def __init__(self, text: str) -> None:
        self.s = text
        self.nl = [m.start() for m in re.finditer("\n", text)]

    def line(self, pos: int) -> int:
        return bisect_right(self.nl, pos - 1) + 1

    def ws(self, i: int) -> int:
        while i < len(self.s) and self.s[i] in " \t\r\n":
            i += 1
        return i

    def document(self) -> Any:
        i = self.ws(0)
        value, i = self.value(i, 0)
        i = self.ws(i)
        if i != len(self.s):
            raise _JsonError("extra data after the JSON value", i)
        return value

    def value(self, i: int, depth: int) -> tuple[Any, int]:
        if depth > 200:
            raise _JsonError("nested too deeply", i)
        if i >= len(self.s):
            raise _JsonError("unexpected end of data", i)
        c = self.s[i]
        if c == "{":
            obj = JObj()
            obj.line = self.line(i)
            i = self.ws(i + 1)
            if i < len(self.s) and self.s[i] == "}":
                return obj, i + 1
            while True:
                if i >= len(self.s) or self.s[i] != '"':
                    raise _JsonError("expected a quoted key", i)
                key, i = self.string(i)
                i = self.ws(i)
                if i >= len(self.s) or self.s[i] != ":":
                    raise _JsonError("expected ':'", i)
                val, i = self.value(self.ws(i + 1), depth + 1)
                obj[key.lower()] = val
                i = self.ws(i)
                if i < len(self.s) and self.s[i] == ",":
                    i = self.ws(i + 1)
                    continue
                if i < len(self.s) and self.s[i] == "}":
                    return obj, i + 1
                raise _JsonError("expected ',' or '}'", i)
        if c == "[":
            arr = JList()
            arr.line = self.line(i)
            i = self.ws(i + 1)
            if i < len(self.s) and self.s[i] == "]":
                return arr, i + 1
            while True:
                val, i = self.value(i, depth + 1)
                arr.append(val)
                i = self.ws(i)
                if i < len(self.s) and self.s[i] == ",":
                    i = self.ws(i + 1)
                    continue
                if i < len(self.s) and self.s[i] == "]":
                    return arr, i + 1
                raise _JsonError("expected ',' or ']'", i)
        if c == '"':
            return self.string(i)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.s.startswith(word, i):
                return val, i + len(word)
        m = _NUMBER.match(self.s, i)
        if m:
            num = m.group()
            return (float(num) if any(ch in num for ch in ".eE") else int(num)), m.end()
        raise _JsonError(f"unexpected {c!r}", i)

    def string(self, i: int) -> tuple[str, int]:
        try:
            text, end = _scanstring(self.s, i + 1, True)
            return str(text), int(end)
        except ValueError as exc:
            raise _JsonError(f"bad string: {exc}", i) from None


def _s(obj: Any, key: str) -> str:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, str) else ""


def _l(obj: Any, key: str) -> list[Any]:
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, list) else []


def _line(obj: Any, default: int) -> int:
    return getattr(obj, "line", 0) or default


def _read_json(path: str, text: str, out: _Out) -> Source | None:
    parser = _Json(text)
    try:
        root = parser.document()
    except _JsonError as exc:
        out.error("SS002", parser.line(exc.pos), f"not valid JSON: {exc}")
        return None
    if not isinstance(root, dict) or not isinstance(root.get("operations"), list):
        out.error("SS003", 1, "no 'Operations' list: not a ServiceStack /types/metadata.json")
        return None
    src = Source(path, "json")
    config = root.get("config")
    src.base_url = _s(config, "baseurl")
    if src.base_url:
        src.host = re.sub(r"^[a-z]+://", "", src.base_url).split("/")[0]
        src.host_line = _line(config, 1)
    for t in _l(root, "types"):
        if isinstance(t, dict):
            _add_dto(src, _json_dto(t, path, out), out)
    for o in _l(root, "operations"):
        if not isinstance(o, dict):
            continue
        req = o.get("request")
        if not isinstance(req, dict) or not _s(req, "name"):
            out.error("SS003", _line(o, 1), "operation without a request type; skipped")
            continue
        req_dto = _json_dto(req, path, out)
        _add_dto(src, req_dto, out)
        resp = o.get("response")
        response: str | None = None
        returns = o.get("returntype")
        if isinstance(resp, dict) and _s(resp, "name"):
            resp_dto = _json_dto(resp, path, out)
            _add_dto(src, resp_dto, out)
            response = resp_dto.name
        elif isinstance(returns, dict) and not o.get("returnsvoid"):
            response = _s(returns, "name").split("`")[0] or None
        response_args: tuple[ClrType, ...] = ()
        if response and isinstance(returns, dict) and _l(returns, "genericargs"):
            try:
                response_args = tuple(clr.parse(str(a)) for a in _l(returns, "genericargs"))
            except ClrTypeError as exc:
                out.warning(
                    "SS005",
                    _line(returns, req_dto.line),
                    f"{req_dto.name}: return type arguments cannot be read ({exc})",
                )
        routes = [
            Route(
                _s(r, "path"),
                _verbs(_s(r, "verbs")),
                _s(r, "summary"),
                _s(r, "notes"),
                _line(r, req_dto.line),
            )
            for r in _l(o, "routes")
            if isinstance(r, dict)
        ]
        auth: dict[str, tuple[str, ...]] = {}
        for key in (
            "requiredroles",
            "requiresanyrole",
            "requiredpermissions",
            "requiresanypermission",
        ):
            values = tuple(str(v) for v in _l(o, key))
            if values:
                auth[_AUTH_KEYS[key]] = values
        op = Op(
            req_dto.name,
            path,
            req_dto.line,
            "json",
            request=req_dto.name,
            response=response,
            response_args=response_args,
            description=req_dto.description,
            tags=tuple(str(t) for t in _l(o, "tags")),
            routes=routes,
            routes_complete=True,
            requires_auth=bool(o.get("requiresauth")),
            auth=auth,
            method=_s(o, "method"),
            actions=tuple(str(a) for a in _l(o, "actions")),
            returns_void=bool(o.get("returnsvoid")),
        )
        if op.name in src.ops:
            out.warning(
                "SS023",
                op.line,
                f"operation {op.name} is listed twice (first at line {src.ops[op.name].line}); the first is used",
            )
            continue
        src.ops[op.name] = op
    for op in src.ops.values():  # the Parameter column rule (FORMAT.md 2.6) for request properties
        dto = src.dtos.get(op.request)
        if dto is not None:
            for prop in dto.props:
                if not prop.param:
                    prop.param = _param_kind(prop.name, op.routes)
    for dto in src.dtos.values():  # members of every other type show "form"
        for prop in dto.props:
            prop.param = prop.param or "form"
    if not src.ops:
        out.error("SS003", 1, "metadata.json lists no operations")
    return src


def _param_kind(name: str, routes: list[Route]) -> str:
    if not routes:
        return "query"
    for r in routes:
        if name.lower() in (v.lower() for v in re.findall(r"\{(\w+)\*?\}", r.path)):
            return "path"
    if not any(set(r.verbs.split(",")) & {"POST", "PUT"} for r in routes if r.verbs):
        return "query"
    return "body"


def _json_dto(t: dict[str, Any], path: str, out: _Out) -> Dto:
    name = _s(t, "name").split("`")[0]
    dto = Dto(
        name,
        path,
        _line(t, 1),
        "json",
        namespace=_s(t, "namespace"),
        description=_s(t, "description"),
    )
    inherits = t.get("inherits")
    if isinstance(inherits, dict) and _s(inherits, "name"):
        dto.base = _s(inherits, "name").split("`")[0]
        try:
            dto.base_args = tuple(clr.parse(str(a)) for a in _l(inherits, "genericargs"))
        except ClrTypeError as exc:
            out.warning(
                "SS005",
                dto.line,
                f"{name}: generic arguments of its base {dto.base} cannot be read ({exc}); ignored",
            )
    dto.abstract = bool(t.get("isabstract"))
    dto.generic_params = (
        tuple(str(a) for a in _l(t, "genericargs")) if t.get("isgenerictypedef") else ()
    )
    attrs = {
        (_s(a, "name") if isinstance(a, dict) else str(a)).lower() for a in _l(t, "attributes")
    }
    if t.get("isenum"):
        dto.enum = dto.value_type = True
        dto.flags = "flags" in attrs
        names = [str(n) for n in _l(t, "enumnames")]
        values = _l(t, "enumvalues")
        wires = _l(t, "enummembervalues")
        descs = _l(t, "enumdescriptions")
        for i, n in enumerate(names):
            number: int | None = i if not dto.flags else 1 << i
            if i < len(values):
                try:
                    number = int(str(values[i]))
                except ValueError:
                    out.warning(
                        "SS019",
                        dto.line,
                        f"enum {name} value {values[i]!r} of {n} is not an integer",
                    )
            wire = str(wires[i]) if i < len(wires) and wires[i] else ""
            desc = str(descs[i]) if i < len(descs) and descs[i] else ""
            dto.members.append(EnumMember(n, number, wire, desc, dto.line))
        return dto
    for p in _l(t, "properties"):
        if not isinstance(p, dict):
            continue
        pname = _s(p, "name")
        line = _line(p, dto.line)
        type_text = _s(p, "type")
        args = [str(a) for a in _l(p, "genericargs")]
        shown = type_text + (f" {args}" if args else "")
        ctype: ClrType | None
        try:
            ctype = clr.from_metadata(type_text, args)
        except ClrTypeError as exc:
            out.warning(
                "SS005",
                line,
                f"{name}.{pname}: type {shown!r} cannot be read ({exc}); read as string",
            )
            ctype = None
        dm = p.get("datamember")
        order = (
            dm.get("order") if isinstance(dm, dict) and isinstance(dm.get("order"), int) else None
        )
        rng = None
        if p.get("allowablemin") is not None or p.get("allowablemax") is not None:
            rng = (_num(p.get("allowablemin")), _num(p.get("allowablemax")))
        dto.props.append(
            Prop(
                pname,
                ctype,
                shown,
                _s(p, "paramtype"),
                bool(p.get("isrequired")),
                _s(p, "description"),
                tuple(str(v) for v in _l(p, "allowablevalues")),
                rng,
                bool(p.get("isvaluetype")) if "isvaluetype" in p else None,
                _s(dm, "name") if isinstance(dm, dict) else "",
                order,
                line,
            )
        )
    if any(pr.order is not None for pr in dto.props):
        # DataContract order: members without Order first, then by Order; alphabetical within each
        dto.props.sort(key=lambda pr: (pr.order is not None, pr.order or 0, pr.wire))
    return dto


def _num(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return "" if v is None else str(v)


def _add_dto(src: Source, dto: Dto, out: _Out) -> None:
    old = src.dtos.get(dto.name)
    if old is None:
        src.dtos[dto.name] = dto
        return
    if _dto_shape(old) != _dto_shape(dto):
        out.warning(
            "SS023",
            dto.line,
            f"type {dto.name} is described again differently (first at line {old.line}); the first is used",
        )


def _dto_shape(d: Dto) -> tuple[Any, ...]:
    return (
        d.base,
        [(p.name, str(p.type)) for p in d.props],
        [(m.name, m.value) for m in d.members],
    )
