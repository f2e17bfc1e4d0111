"""Conformance of clients generated from WSDLs written by others (issue 13): the development
set in ../shared/corpus/generic-wsdl (skipped when absent) and soapgen's own breadth WSDLs.

Per WSDL: soapgen generates it (no error; generali_get_organisation's undeclared element is an
error naming its operation), every operation zeep finds on a SOAP binding becomes one, and the
package imports. Per operation and variant (only what the schema requires, every optional
member, seeded random choices; cf_values): a request built from values is valid for the WSDL's
own schema (lxml; document style) and zeep reads it back to those values; a response made of
values that zeep serialises is read by the client to zeep's values (optional members left out
read as None). ``mypy --strict`` over the packages is the slower part, marked conformance.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from soapgen.cli import main
from soapgen.config.naming import pascal

from wsdl_project import Built, build, schema_of, zeep_client

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CORPUS = (
    Path(os.environ.get("SOAPGEN_CORPUS") or REPO.parent / "shared" / "corpus") / "generic-wsdl"
)
BREADTH = REPO / "tests" / "data" / "wsdl" / "breadth"


def _load(name: str) -> Any:
    if name not in sys.modules:  # --import-mode=importlib: this folder is not on sys.path
        spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


C = _load("cf_checks")
V = _load("cf_values")

# folder -> its main WSDL; the development set's WSDLs that have a SOAP binding
DEV = {
    "generali_notify_program": "GBS/Enterprise/Program/V1/NotifyProgramGBS-V1.wsdl",
    "generali_program_feedback": "ProgramFeedbackService.wsdl",
    "travelport_system_v32": "system_v32_0/System.wsdl",
    "travelport_util_v52": "util_v52_0/Util.wsdl",
    "zeep_claim": "claim.wsdl",
    "zeep_soap": "soap.wsdl",
    "zeep_soap_header": "soap_header.wsdl",
    "zeep_soap_import_main": "soap_import_main.wsdl",
    "zeep_soap_transport_err": "soap_transport_err.wsdl",
}
OWN = {"breadth": "breadth.wsdl", "breadth_encoded": "encoded.wsdl"}
VARIANTS = [(V.MINIMAL, 0), (V.FULL, 0), (V.RANDOM, 1), (V.RANDOM, 2), (V.RANDOM, 3)]
SOAP_NS = {
    "1.1": "http://schemas.xmlsoap.org/soap/envelope/",
    "1.2": "http://www.w3.org/2003/05/soap-envelope",
}


def _folder(name: str) -> Path:
    if name in OWN:
        return BREADTH
    folder = CORPUS / name
    if not folder.is_dir():
        pytest.skip(f"corpus absent: {folder}")
    return folder


def _main(name: str) -> Path:
    return _folder(name) / (OWN.get(name) or DEV[name])


@dataclasses.dataclass
class Generated:
    name: str
    built: Built
    pkg: Any
    rt: Any
    zeep: Any
    index: Any
    schema: Any
    work: Path


_CACHE: dict[str, Generated] = {}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Generated]]:
    yield _CACHE
    for g in _CACHE.values():
        sys.path[:] = [p for p in sys.path if p != str(g.built.out)]
        for m in [m for m in sys.modules if m == g.name or m.startswith(g.name + ".")]:
            del sys.modules[m]
    _CACHE.clear()


def _generate(name: str, cache: dict[str, Generated], tmp: Path) -> Generated:
    if name in cache:
        return cache[name]
    folder = _folder(name)
    files = None
    if name in OWN:  # the one WSDL of the breadth folder
        files = {OWN[name]: (folder / OWN[name]).read_bytes()}
    built = build(tmp, name, files=files, folder=None if files else folder)
    assert built.errors == [], "\n".join(built.errors)
    sys.path.insert(0, str(built.out))
    pkg = importlib.import_module(f"{name}.v1")
    rt = importlib.import_module(f"{name}.v1._runtime")
    specs = tmp / "specs" / name / "v1"
    index = V.SchemaIndex(
        [*sorted(specs.rglob("*.xsd")), *sorted(specs.rglob("*.wsdl")), *_known()]
    )
    main = specs / (OWN.get(name) or DEV[name])
    work = tmp / "xsd"
    work.mkdir()
    cache[name] = Generated(name, built, pkg, rt, _zeep(main), index, schema_of(main, work), work)
    return cache[name]


def _known() -> list[Path]:
    return sorted((REPO / "generator" / "read" / "sources" / "known").glob("*.xsd"))


def _zeep(path: Path) -> Any:
    C.apply_zeep_fixes()
    return zeep_client(path)


def _agents(g: Generated) -> list[tuple[Any, Any]]:
    """(module, sync client class) of every agent of the package."""
    out = []
    for agent in sorted(vars(g.pkg)):
        cls = getattr(g.pkg, agent)
        if (
            isinstance(cls, type)
            and issubclass(cls, g.rt.ServiceClient)
            and not agent.startswith("Async")
        ):
            out.append((sys.modules[cls.__module__], cls))
    return out


def _operations(g: Generated) -> list[tuple[Any, Any, Any]]:
    """(client class, method name, _rt.Operation) of every operation."""
    out = []
    for module, cls in _agents(g):
        for attr, op in sorted(vars(module).items()):
            if attr.startswith("_OP_") and isinstance(op, g.rt.Operation):
                out.append((cls, attr[4:], op))
    return out


def _zeep_ops(zclient: Any) -> int:
    return sum(
        len(b._operations)
        for b in zclient.wsdl.bindings.values()
        if type(b).__name__.startswith("Soap")
    )


def _distinct_zeep_ops(zclient: Any) -> set[tuple[str, str]]:
    """(portType, operation) of the SOAP bindings: a portType bound for 1.1 and 1.2 once."""
    return {
        (str(b.port_name), name)
        for b in zclient.wsdl.bindings.values()
        if type(b).__name__.startswith("Soap")
        for name in b._operations
    }


ALL = [*DEV, *OWN]


@pytest.mark.corpus
@pytest.mark.parametrize("name", ALL)
def test_generates_every_operation_zeep_finds(
    name: str, generated: dict[str, Generated], tmp_path_factory: pytest.TempPathFactory
) -> None:
    g = _generate(name, generated, tmp_path_factory.mktemp(name))
    ops = _operations(g)
    assert len(ops) == len(_distinct_zeep_ops(g.zeep)), [o[1] for o in ops]
    if name == "travelport_util_v52":
        assert len(ops) == 19 == _zeep_ops(g.zeep)


@pytest.mark.corpus
@pytest.mark.parametrize("name", ALL)
def test_requests_and_responses_agree_with_schema_and_zeep(
    name: str, generated: dict[str, Generated], tmp_path_factory: pytest.TempPathFactory
) -> None:
    g = _generate(name, generated, tmp_path_factory.mktemp(name))
    problems: list[str] = []
    checked = 0
    for cls, method, op in _operations(g):
        zop = _zeep_operation(g, cls, op)
        for variant, seed in VARIANTS:
            where = f"{cls.__name__}.{method} [{variant} {seed}]"
            try:
                found = _check(g, cls, method, op, zop, variant, seed)
            except V.Unbuildable as exc:
                found = [f"no value: {exc}"]
            except Exception as exc:  # noqa: BLE001  # every failure is a finding
                tb = exc.__traceback__
                while tb is not None and tb.tb_next is not None:
                    tb = tb.tb_next
                at = f"{tb.tb_frame.f_code.co_filename}:{tb.tb_lineno}" if tb else ""
                found = [f"raised {type(exc).__name__}: {exc}"[:600] + f" ({at})"]
            problems += [f"{where}: {p}" for p in found]
            checked += 1
    limits = [x for x in ZEEP_LIMITS if x.startswith(f"{name}:")]
    if limits:  # shown, not failed: schema-valid XML zeep 4.3.3 cannot read
        warnings.warn(f"{len(limits)} zeep limits, e.g. {limits[0]}", stacklevel=1)
    assert checked and problems == [], "\n".join(problems[:40])


# --- one call ------------------------------------------------------------------------------


class _Reply:
    """Records the request and answers with the response zeep serialised."""

    def __init__(self, rt: Any, reply: bytes | None) -> None:
        self.rt, self.reply, self.sent = rt, reply, b""

    def send(self, call: Any) -> Any:
        self.sent = call.envelope
        if self.reply is None:
            raise _Unanswered
        return self.rt.SoapReply(200, self.reply, "text/xml; charset=utf-8")


class _Unanswered(Exception):
    pass


def _zeep_operation(g: Generated, cls: Any, op: Any) -> Any:
    """The zeep operation of a client's operation: the binding of the client's portType (or
    the binding it is named after) and SOAP version."""
    version = cls._soap_version
    for binding in g.zeep.wsdl.bindings.values():
        kind = type(binding).__name__
        if not kind.startswith("Soap") or ("12" in kind) != (version == "1.2"):
            continue
        names = {pascal(binding.port_name.localname), pascal(binding.name.localname)}
        if cls.__name__.removesuffix("Agent") in names and op.name in binding._operations:
            return binding._operations[op.name]
    raise AssertionError(f"zeep has no operation {op.name} for {cls.__name__}")


def _check(
    g: Generated, cls: Any, method: str, op: Any, zop: Any, variant: str, seed: int
) -> list[str]:
    rt = g.rt
    values = V.Values(rt, g.index, variant, seed)
    rpc = zop.style == "rpc"
    if zop.input.body is None:  # an input message without parts: an empty Body
        transport = _Reply(
            rt,
            (
                C.zeep_render(zop.output.body, None, cls._soap_version)
                if zop.output.body is not None
                else b""
            ),
        )
        getattr(cls("http://h.invalid", transport=transport), method)()
        _, body = C.envelope_elements(transport.sent)
        return [] if body is None else [f"an empty input message sent {body.tag}"]
    ztype = zop.input.body.type
    wire_names = _wire_names(op, ztype)
    request_wrapper = str(zop.input.body.qname)
    kwargs = values.arguments(op, request_wrapper, wire_names, rpc)
    response_value, reply = _response(g, op, zop, values, cls)
    transport = _Reply(rt, reply)
    client = cls("http://h.invalid", transport=transport)
    try:
        result = getattr(client, method)(**kwargs)
    except _Unanswered:  # no response zeep could read was made: the request is checked
        result = _NOTHING
    problems: list[str] = []
    # the request: valid for the schema, read back by zeep to the values sent
    headers, body = C.envelope_elements(transport.sent)
    if body is None:
        return ["the request has an empty Body"]
    if not rpc:
        problems += [f"schema: {e.path}: {e.message}" for e in C.validate(g.schema, transport.sent)]
    zv = _zeep_reads(g, zop.input.body, body, not rpc and not problems, "the request")
    if zv is not _ZEEP_CANNOT:
        problems += _compare_request(g, op, zop, zv, kwargs, wire_names)
    # the response zeep serialised: read by the client to zeep's values
    if response_value is not _NOTHING and reply is not None:
        problems += _compare_response(g, op, zop, reply, result)
    return problems


def _wire_names(op: Any, ztype: Any) -> dict[str, str]:
    """Parameter -> the wire local name zeep knows it by (names match loosely)."""
    names = [n for n, _ in getattr(ztype, "elements", [])] + [
        n for n, _ in getattr(ztype, "attributes", [])
    ]
    out = {}
    for py, _, _ in op.params:
        found = [n for n in names if C.names_agree(py, n)]
        if found:
            out[py] = found[0]
    return out


_NOTHING = object()


def _response(g: Generated, op: Any, zop: Any, values: Any, cls: Any) -> tuple[Any, bytes | None]:
    """A response of `values`, as zeep serialises it: (the client-side value, the envelope).
    The values are written as XML (by this module, from the records' wire format), read by
    zeep, and written again by zeep: what the client reads is zeep's serialisation."""
    version = cls._soap_version
    env = etree.Element(f"{{{SOAP_NS[version]}}}Envelope", nsmap={"s": SOAP_NS[version]})
    body = etree.SubElement(env, f"{{{SOAP_NS[version]}}}Body")
    result = op.result
    zbody = zop.output.body if zop.output is not None else None
    if op.response is None:
        return _NOTHING, etree.tostring(env)
    if zbody is None:  # an empty output message: the rpc response wrapper alone
        etree.SubElement(body, op.response)
        return _NOTHING, etree.tostring(env)
    wrapper = str(zbody.qname)
    if result.value is None:
        value: Any = _NOTHING
        xml = etree.Element(wrapper)
    elif result.tag is None:
        value = values.value(result.value, None, 0)
        xml = _xml(g, value, result.value, wrapper)
    else:
        local = result.tag.rpartition("}")[2]
        decl = g.index.member(wrapper, local, False)
        type_name = g.index.parts.get(local, "") if decl is None and zop.style == "rpc" else ""
        if result.missing == "all":
            n = values._count(decl)
            value = [values.value(result.value, decl, 0, type_name) for _ in range(n)]
        elif result.missing == "none" and not values._present(False):
            value = None
        else:
            value = values.value(result.value, decl, 0, type_name)
        xml = etree.Element(wrapper)
        for item in value if isinstance(value, list) and result.missing == "all" else [value]:
            if item is not None:
                xml.append(_xml(g, item, result.value, result.tag))
    valid = zop.style != "rpc" and g.schema.validate(xml)
    zvalue = _zeep_reads(g, zbody, xml, valid, "a response")
    if zvalue is _ZEEP_CANNOT:
        return _NOTHING, None
    return value, C.zeep_render(zbody, zvalue, version)


_ZEEP_CANNOT = object()
ZEEP_LIMITS: list[str] = []  # schema-valid XML zeep 4.3.3 cannot read (shown, not failed)


def _zeep_reads(g: Generated, zel: Any, el: etree._Element, valid: bool, what: str) -> Any:
    """zeep's value of `el`; when zeep cannot read XML the schema holds valid, that is
    zeep's limit (recorded), not the client's."""
    try:
        return zel.parse(el, g.zeep.wsdl.types)
    except Exception as exc:
        if not valid:
            raise
        ZEEP_LIMITS.append(f"{g.name}: zeep cannot read {what} ({el.tag}): {exc}"[:300])
        return _ZEEP_CANNOT


def _xml(g: Generated, value: Any, v: Any, tag: str) -> etree._Element:
    """`value` (read by Value `v`) as the element `tag`, from the generated wire formats."""
    rt = g.rt
    el = etree.Element(tag)
    if isinstance(v, rt.Nillable):
        v = v.inner
    if isinstance(v, rt.RecordOf):
        wire = rt.wire_of(type(value))
        if type(value) is not v.cls:  # a subtype: its xsi:type
            ns, _, local = wire.qname[1:].partition("}")
            el = etree.Element(tag, nsmap={"t": ns})
            el.set("{http://www.w3.org/2001/XMLSchema-instance}type", f"t:{local}")
        chain = [
            c.__dict__["__wire__"]
            for c in reversed(type(value).__mro__)
            if "__wire__" in c.__dict__
        ]
        for w in chain:
            for f in w.own:
                fv = getattr(value, f.name)
                if fv is None:
                    continue
                if f.kind == 1:
                    el.set(f.tag, _text(g, fv, f.value))
                elif f.kind == 2:
                    el.text = _text(g, fv, f.value)
                else:
                    for item in fv if f.repeated else [fv]:
                        el.append(_xml(g, item, f.value, f.tag))
    elif isinstance(v, rt.ArrayOf):
        for item in value:
            el.append(_xml(g, item, v.item, v.tag))
    elif isinstance(v, rt.EncodedArrayOf):
        for item in value:
            el.append(_xml(g, item, v.item, "item"))
    elif isinstance(v, rt.DictOf):
        raise V.Unbuildable("a WCF dictionary in a generic WSDL")
    else:
        el.text = _text(g, value, v)
    return el


def _text(g: Generated, value: Any, v: Any) -> str:
    rt = g.rt
    if isinstance(v, rt.Nillable):
        v = v.inner
    if isinstance(v, rt.Flags):
        return str(rt.flag_names(value))
    if isinstance(v, rt.Enumeration):
        return str(value.value)
    if isinstance(v, rt.Text):
        return str(value)
    key = v.name[3:] if v.name.startswith("xs:") else v.name
    return str(rt.xsd.CODECS[key].format(value))


# --- comparing -------------------------------------------------------------------------------


class Comparer(C.Comparer):  # type: ignore[misc, name-defined]
    """cf_checks' comparison, with attributes and simple content (WCF records have neither)."""

    def __init__(self, types: Any, rt: Any) -> None:
        super().__init__(types)
        self.rt = rt

    def fields(self, path: str, ztype: Any, z: Any, p: Any) -> None:
        chain = [
            c.__dict__["__wire__"] for c in reversed(type(p).__mro__) if "__wire__" in c.__dict__
        ]
        zels = dict(getattr(ztype, "elements", []))
        zattrs = dict(getattr(ztype, "attributes", []))
        seen = set()
        for w in chain:
            for f in w.own:
                pv = getattr(p, f.name)
                local = "_value_1" if f.kind == 2 else f.tag.rpartition("}")[2]
                seen.add(local)
                zv = _get(z, local)
                if f.kind == 2:
                    el = zels.get("_value_1")
                    why = C._scalar(zv, pv, getattr(el, "type", None)) if zv is not None else None
                    if why or (zv is None) != (pv is None):
                        self.diff(f"{path}/(text)", zv, pv, why or "one side is None")
                elif f.kind == 1:
                    attr = zattrs.get(local)
                    if attr is None:
                        self.diff(f"{path}/@{local}", None, pv, "zeep has no such attribute")
                    elif zv is None or pv is None:
                        default = getattr(attr, "default", None)
                        absent_default = pv is None and default is not None and str(zv) == default
                        if (zv is None) != (pv is None) and not absent_default:
                            self.diff(f"{path}/@{local}", zv, pv, "one side is None")
                    else:
                        self.value(f"{path}/@{local}", attr.type, zv, pv)
                else:
                    el = zels.get(local)
                    if el is None:
                        self.diff(f"{path}/{local}", None, pv, "zeep has no such element")
                    else:
                        self.element(f"{path}/{local}", el, zv, pv)
        for name in [*zels, *zattrs]:
            if (
                name not in seen
                and not name.startswith(("_value_", "_attr_"))  # xs:any, xs:anyAttribute
                and _get(z, name) not in (None, [])
            ):
                self.diff(f"{path}/{name}", _get(z, name), None, "the client has no such member")

    def value(self, path: str, t: Any, z: Any, p: Any) -> None:
        import enum

        if isinstance(p, enum.Enum) and not isinstance(p, enum.Flag) and z is not None:
            if str(z) != str(p.value):  # an enumeration of integers: zeep reads ints
                self.diff(path, z, p, "enum wire value differs")
            return
        if isinstance(p, bytes) and isinstance(z, str):  # zeep keeps hexBinary as its text
            if bytes.fromhex(z) != p:
                self.diff(path, z, p, "bytes differ")
            return
        if isinstance(p, str) and isinstance(z, list):  # an xs:list soapgen holds as its text
            if " ".join(str(i) for i in z) != " ".join(p.split()):
                self.diff(path, z, p, "list text differs")
            return
        if isinstance(p, list) and (z is None or isinstance(z, list)):
            # a SOAP-encoded array: zeep reads it as a list (of typed objects or values)
            zl = [] if z is None else list(z)
            if len(zl) != len(p):
                self.diff(path, zl, p, f"{len(zl)} items versus {len(p)}")
                return
            for i, (zi, pi) in enumerate(zip(zl, p)):
                item_type = getattr(zi, "_xsd_type", None)
                if isinstance(pi, self.rt.Record) and item_type is not None:
                    self.fields(f"{path}[{i}]", item_type, zi, pi)
                elif (why := C._scalar(zi, pi, None)) is not None:
                    self.diff(f"{path}[{i}]", zi, pi, why)
            return
        if isinstance(z, tuple) and isinstance(p, str) and hasattr(t, "xmlvalue"):
            if t.xmlvalue(z) != p:  # gYearMonth, gYear, ...: zeep keeps tuples
                self.diff(path, z, p, "value differs")
            return
        if isinstance(p, self.rt.Record) and C._is_complex(t):
            actual = getattr(z, "_xsd_type", t)
            self.fields(path, actual, z, p)
            return
        super().value(path, t, z, p)


def _get(z: Any, name: str) -> Any:
    """A member of a zeep value; the members of a repeated sequence or choice zeep keeps in
    _value_N lists of dicts are gathered (flattened) as one list."""
    if z is None:
        return None
    try:
        found = C._unnil(z[name])
    except (KeyError, AttributeError, TypeError, IndexError):
        found = getattr(z, name, None)
    if found is not None:
        return found
    gathered: list[Any] = []
    keys = [k for k in getattr(z, "__values__", {}) if k.startswith("_value_")]
    for key in keys:
        groups = z[key]
        for group in groups if isinstance(groups, list) else [groups]:
            if isinstance(group, dict) and name in group:
                item = group[name]
                gathered += item if isinstance(item, list) else [item]
    return gathered or None


def _compare_request(
    g: Generated, op: Any, zop: Any, zv: Any, kwargs: dict[str, Any], wire_names: dict[str, str]
) -> list[str]:
    cmp = Comparer(g.zeep.wsdl.types, g.rt)
    ztype = zop.input.body.type
    if list(kwargs) == ["request"] and "request" not in wire_names:  # a bare body: the record
        cmp.value(op.name, ztype, zv, kwargs["request"])
    elif not C._is_complex(ztype):  # a body element of a simple type: the one parameter
        ((py, pv),) = kwargs.items()
        cmp.value(f"{op.name}/{py}", ztype, zv, pv)
    else:
        zels = dict(getattr(ztype, "elements", []))
        zattrs = dict(getattr(ztype, "attributes", []))
        for py, _, _ in op.params:
            local = wire_names.get(py)
            pv = kwargs.get(py)
            if local is None:
                cmp.diff(f"{op.name}/{py}", None, pv, "zeep has no such parameter")
                continue
            zvalue = _get(zv, local)
            if local in zattrs:
                default = getattr(zattrs[local], "default", None)
                if (zvalue is None) != (pv is None) and not (
                    pv is None and default is not None and str(zvalue) == default
                ):
                    cmp.diff(f"{op.name}/@{local}", zvalue, pv, "one side is None")
                elif pv is not None:
                    cmp.value(f"{op.name}/@{local}", zattrs[local].type, zvalue, pv)
            else:
                cmp.element(f"{op.name}/{local}", zels[local], zvalue, pv)
    return [f"request {d.path}: zeep {d.zeep} | client {d.client}: {d.why}" for d in cmp.diffs]


def _compare_response(g: Generated, op: Any, zop: Any, reply: bytes, result: Any) -> list[str]:
    _, body = C.envelope_elements(reply)
    zbody = zop.output.body
    zv = zbody.parse(body, g.zeep.wsdl.types)
    cmp = Comparer(g.zeep.wsdl.types, g.rt)
    spec = op.result
    if spec.value is None:
        if result is not None:
            cmp.diff(op.name, None, result, "the client returns a value for an empty response")
    elif spec.tag is None:
        cmp.value(op.name, zbody.type, zv, result)
    else:
        local = spec.tag.rpartition("}")[2]
        el = dict(zbody.type.elements).get(local)
        if el is None:
            cmp.diff(op.name, list(dict(zbody.type.elements)), local, "zeep has no such result")
        else:
            cmp.element(f"{op.name}/{local}", el, _get(zv, local), result)
    return [f"response {d.path}: zeep {d.zeep} | client {d.client}: {d.why}" for d in cmp.diffs]


# --- the WSDLs without a client, and the broken one --------------------------------------------


@pytest.mark.corpus
@pytest.mark.parametrize("name", ["zeep_http", "zeep_soap_import_2"])
def test_without_a_soap_binding_exit_0_with_a_note(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder(name)
    shutil.copytree(folder, tmp_path / "specs" / name / "v1")
    (tmp_path / "pyproject.toml").write_text('[tool.soapgen]\nspecs = "specs"\noutput = "out"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["generate"]) == 0
    text = capsys.readouterr().out
    assert "info WSDL006" in text and "soapgen: nothing generated" in text, text


@pytest.mark.corpus
def test_an_undeclared_element_is_an_error_naming_its_operation(tmp_path: Path) -> None:
    built = build(tmp_path, "organisation", folder=_folder("generali_get_organisation"))
    assert [d.split(": ", 1)[1] for d in built.errors] == [
        "error WSDL013 operation GetOrganisation uses undeclared element"
        " {http://generali.com/enterprise-services/core/gbm/enterprise/organisation/v1}"
        "GetOrganisationGBMRequest; left out of OrganisationInterface"
    ]


@pytest.mark.corpus
@pytest.mark.conformance
def test_the_packages_pass_mypy_strict(
    generated: dict[str, Generated],
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> None:
    """Opt-in, as the Services88 suite: -m conformance, a path in tests/conformance, or
    CONFORMANCE=1."""
    config = request.config
    chosen = "conformance" in (config.option.markexpr or "") or any(
        HERE == Path(a.split("::")[0]).resolve() or HERE in Path(a.split("::")[0]).resolve().parents
        for a in config.args
    )
    if not chosen and os.environ.get("CONFORMANCE") != "1":
        pytest.skip("mypy over the generic packages: run with -m conformance")
    for name in ALL:
        _generate(name, generated, tmp_path_factory.mktemp(name))
    paths = os.pathsep.join(str(g.built.out) for g in generated.values())
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
        + ["--cache-dir", str(tmp_path_factory.mktemp("mypy"))]
        + [arg for g in generated.values() for arg in ("-p", g.name)],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": paths},
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
