"""Per-operation fixtures and the pytest modules that prove the client against them.

For each operation with doc samples: the samples as files (``<Op>.doc-request.xml``,
``<Op>.doc-response.xml``), the normalized response the replay transport answers with
(``<Op>.response.xml``), and a test module per agent: the client called with the request
sample's values emits the normalized request; it parses the response sample to the value the
sample shows; deviations of a sample from its WSDL are asserted, not hidden.
"""

from __future__ import annotations

import os

import jinja2
from lxml import etree

from ..config import naming
from ..config.profiles import ApiProfile
from ..core import ir
from ..core.diagnostics import Collector
from ..merge.layout import Layout
from ..plan.model import AgentPlan, VersionPlan
from ..plan.records import all_fields
from ..plan.text import Prefixes, docstring, lit, py_literal
from ..plan.values import Values
from .samples import SampleWalker, Unreadable, ValueLookup, ValueTable, envelope_parts


def _normalized_response(
    text: str,
    soap_version: str,
    drop: list[tuple[int, ...]],
    fill: list[tuple[tuple[int, ...], str]],
    typed: list[tuple[tuple[int, ...], str]] | None = None,
) -> bytes:
    """The same normalization as the generated testing.normalize (kept in step by the tests)."""
    root = etree.fromstring(
        text.encode("utf-8"),
        etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True),
    )
    ns = ir.SOAP11_ENV if soap_version == "1.1" else ir.SOAP12_ENV
    rns = etree.QName(root).namespace
    types: list[tuple[etree._Element, str, str]] = []
    headers: list[etree._Element] = []
    body: list[etree._Element] = []
    for child in [c for c in root if isinstance(c.tag, str)]:
        local = etree.QName(child).localname
        if etree.QName(child).namespace == rns and local == "Header":
            headers.extend(c for c in child if isinstance(c.tag, str))
        elif etree.QName(child).namespace == rns and local == "Body":
            body.extend(c for c in child if isinstance(c.tag, str))
        else:
            headers.append(child)
    if body:
        for path, value in fill:
            target = _at(body[0], path)
            if target is not None:
                if f"{{{ir.XSI}}}nil" in target.attrib:
                    del target.attrib[f"{{{ir.XSI}}}nil"]
                target.text = value
        for path, clark in typed or ():
            target = _at(body[0], path)
            if target is not None:
                types.append((target, *ir.split_qname(clark)))
        doomed = []
        for path in drop:
            node: etree._Element | None = body[0]
            for i in path:
                kids = [c for c in node if isinstance(c.tag, str)] if node is not None else []
                node = kids[i] if i < len(kids) else None
            if node is not None:
                doomed.append(node)
        for node in doomed:
            parent = node.getparent()
            if parent is not None:
                parent.remove(node)
    prefixes = {type_ns: f"t{i}" for i, type_ns in enumerate(sorted({t[1] for t in types}))}
    env = etree.Element(f"{{{ns}}}Envelope", nsmap={"s": ns, **{p: n for n, p in prefixes.items()}})
    if headers:
        etree.SubElement(env, f"{{{ns}}}Header").extend(headers)
    etree.SubElement(env, f"{{{ns}}}Body").extend(body)
    xsi_type = f"{{{ir.XSI}}}type"
    for el in env.iter():
        if xsi_type in el.attrib:
            del el.attrib[xsi_type]
        parent = el.getparent()
        if (
            el.text is not None
            and not el.text.strip()
            and (len(el) or (parent is not None and etree.QName(parent).localname == "Body"))
        ):
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    for target, type_ns, local in types:
        target.set(xsi_type, f"{prefixes[type_ns]}:{local}")
    etree.cleanup_namespaces(env, keep_ns_prefixes=sorted(prefixes.values()))
    return bytes(etree.tostring(env, xml_declaration=True, encoding="utf-8"))


def _at(node: etree._Element | None, path: tuple[int, ...]) -> etree._Element | None:
    for i in path:
        kids = [c for c in node if isinstance(c.tag, str)] if node is not None else []
        node = kids[i] if i < len(kids) else None
    return node


class _OpFixture:
    def __init__(
        self,
        lookup: ValueLookup,
        elements: dict[str, ir.Element],
        visible: dict[str, ir.TypeDef],
        diags: Collector,
        op: ir.Operation,
        values: ValueTable,
    ) -> None:
        self.lookup, self.elements, self.visible = lookup, elements, visible
        self.diags, self.op, self.values = diags, op, values

    def _walker(self, sample: ir.Sample, request: bool) -> SampleWalker:
        loc = sample.loc
        return SampleWalker(self.lookup, self.diags, loc.file, loc.line, self.values, request)

    def wrapper(
        self, sample: ir.Sample, element: str | None, what: str
    ) -> tuple[SampleWalker, list[str]] | None:
        parts = envelope_parts(sample.xml, sample.loc.file, sample.loc.line, self.diags)
        if parts is None:
            return None
        headers, body = parts
        w = self._walker(sample, what == "request")
        w.headers = headers
        if body is None or body.tag != element:
            self.diags.error(
                "SAMPLE003",
                sample.loc.file,
                sample.loc.line,
                f"{self.op.name} {what} sample body is {None if body is None else body.tag},"
                f" the WSDL says {element}",
            )
            return None
        el = self.elements.get(element or "")
        t = self.visible.get(el.type) if el else None
        exprs: list[str] = []
        if not isinstance(t, ir.ComplexType):
            return w, exprs
        if not t.anonymous:  # a named type is the body itself (document/literal bare)
            try:
                return w, ["=" + w.complex(t.py_name, body, (), self.op.name)]
            except Unreadable as exc:
                self.diags.warning(
                    "SAMPLE005",
                    sample.loc.file,
                    sample.loc.line,
                    f"{self.op.name}: {exc}; no fixture test",
                )
                return None
        fields = naming.name_fields(
            tuple(all_fields(t, self.visible)),
            self.op.loc,
            self.diags,
            naming.PARAM_RESERVED if what == "request" else naming.RESERVED_FIELDS,
        )
        by_tag = {f.qname: (i, f) for i, f in enumerate(fields)}
        values: dict[str, str] = {}
        kids = [c for c in body if isinstance(c.tag, str)]
        for i, child in enumerate(kids):
            hit = by_tag.get(child.tag)
            where = f"{self.op.name}/{etree.QName(child).localname}"
            if hit is None:
                self.diags.error(
                    "SAMPLE004",
                    sample.loc.file,
                    w.line(child),
                    f"{where} is not a part of {element}",
                )
                return None
            f = hit[1]
            if child.get(f"{{{ir.XSI}}}nil") in ("true", "1"):
                if f.nillable:
                    values[f.py_name] = "None"
                else:
                    w.nil_deviation(f, child, (i,), where)
                continue
            try:
                values[f.py_name] = w.value(self.lookup.value(f.type), child, (i,), where)
            except Unreadable as exc:
                if w.value_deviation(f, child, (i,), where, str(exc)):
                    continue  # the parameter or result as the client holds it instead
                self.diags.warning(
                    "SAMPLE005",
                    sample.loc.file,
                    w.line(child),
                    f"{where}: {exc}; no fixture test for {self.op.name}",
                )
                return None
        for f in fields:
            if f.py_name not in values:
                plan = self.lookup.field(f)
                if plan.value.kind in ("enum", "flags"):
                    w.classes.add(plan.value.cls)
                if plan.optional:
                    values[f.py_name] = "None"
                elif plan.repeated:
                    values[f.py_name] = "[]"
                elif plan.default_expr is not None:
                    values[f.py_name] = plan.default_expr
                else:
                    self.diags.warning(
                        "SAMPLE006",
                        sample.loc.file,
                        sample.loc.line,
                        f"{self.op.name}: the sample lacks required {f.name}",
                    )
                    return None
            exprs.append(f"{f.py_name}={values[f.py_name]}")
        return w, exprs


def render_testing(env: jinja2.Environment, version: VersionPlan) -> str:
    """The package's testing module: replay the doc samples, normalize and compare envelopes."""
    doc = f"Test helpers of {version.api} {version.name}: replay the doc samples, normalize and"
    return env.get_template("testing.py.j2").render(
        header=docstring(f"{doc} compare envelopes; a mock server."),
        agents=tuple(a.module for a in version.agents),
    )


def agent_fixtures(
    env: jinja2.Environment,
    version: ir.Version,
    svc: ir.Service,
    agent: AgentPlan,
    layout: Layout,
    profile: ApiProfile,
    diags: Collector,
) -> tuple[str | None, dict[str, bytes]]:
    """One agent's fixture test module (None: no operation has both samples) and fixture files."""
    files: dict[str, bytes] = {}
    shared = {t.name: t for t in layout.shared}
    local = list(layout.local.get(svc.name, ()))
    visible = {t.name: t for t in svc.types}
    visible.update({n: t for n, t in shared.items() if n in layout.reachable[svc.name]})
    visible.update({t.name: t for t in local})
    values_ = Values(visible, Prefixes(()), diags, svc.wsdl_loc)
    lookup = ValueLookup(values_, visible, set(shared), profile)
    classes = {t.py_name for t in visible.values() if isinstance(t, ir.ComplexType | ir.EnumType)}
    elements = {e.name: e for e in svc.elements}
    ops = []
    used_classes: set[str] = set()
    header_kwargs: dict[str, str] = {}
    agent_dir = svc.py_name
    in_headers = {h.part: h.py for h in agent.in_headers}
    # module names a constant must not shadow: the imported classes and the template's own
    values = ValueTable(
        classes | {"FIX", "SOAP_VERSION", "CASES", "pytest", "datetime", "decimal", "uuid"}
    )
    for op in svc.operations:
        if op.request_sample is None or op.response_sample is None:
            continue
        fx = _OpFixture(lookup, elements, visible, diags, op, values)
        mark = values.mark()
        req = fx.wrapper(op.request_sample, op.input_element, "request")
        res = fx.wrapper(op.response_sample, op.output_element, "response")
        if req is None or res is None:
            values.rollback(mark)
            continue
        req_w, args = req
        res_w, results = res
        for h in req_w.headers:
            header = next((x for x in op.input_headers if x.element == h.tag), None)
            if header is None:
                diags.warning(
                    "SAMPLE007",
                    req_w.file,
                    req_w.line(h),
                    f"{op.name}: header {h.tag} is not in the binding",
                )
                continue
            header_type = header.type or elements[header.element].type
            header_mark = values.mark()
            try:
                expr = req_w.value(lookup.value(header_type), h, (), header.part)
            except Unreadable as exc:
                values.rollback(header_mark)
                diags.warning(
                    "SAMPLE005", req_w.file, req_w.line(h), f"header {header.part}: {exc}"
                )
                continue
            header_kwargs.setdefault(in_headers.get(header.part, header.part), expr)
        planned = next((o for o in agent.operations if o.name == op.name), None)
        if planned is None:
            continue
        if planned.bare_cls:
            call_args = [a.partition("=")[2] for a in args]
        else:
            by_name = dict(a.partition("=")[::2] for a in args)
            call_args = [by_name[p.py] for p in planned.required_params]
            call_args += [f"{p.py}={by_name[p.py]}" for p in planned.optional_params]
        expected = (
            f"{planned.result_record.py}({', '.join(results)})"
            if planned.result_record is not None
            else (results[0].partition("=")[2] if results else "None")
        )
        base = op.name
        files[f"fixtures/{agent_dir}/{base}.doc-request.xml"] = op.request_sample.xml.encode(
            "utf-8"
        )
        files[f"fixtures/{agent_dir}/{base}.doc-response.xml"] = op.response_sample.xml.encode(
            "utf-8"
        )
        res_drop = [d.path for d in res_w.out.deviations if d.fill is None]
        req_drop = [d.path for d in req_w.out.deviations if d.fill is None]
        res_fill = [(d.path, d.fill) for d in res_w.out.deviations if d.fill is not None]
        req_fill = [(d.path, d.fill) for d in req_w.out.deviations if d.fill is not None]
        files[f"fixtures/{agent_dir}/{base}.response.xml"] = _normalized_response(
            op.response_sample.xml, svc.soap_version, res_drop, res_fill, res_w.out.typed
        )
        deviations = [
            {
                "text": docstring_line(f"request {d.where} (line {d.line}): {d.reason}"),
                "file": f"{base}.doc-request.xml",
            }
            for d in req_w.out.deviations
        ] + [
            {
                "text": docstring_line(f"response {d.where} (line {d.line}): {d.reason}"),
                "file": f"{base}.doc-response.xml",
            }
            for d in res_w.out.deviations
        ]
        raises = (
            profile.error_class
            if _reports_error(op.response_sample.xml, profile.error_field)
            else ""
        )
        used_classes |= req_w.classes | res_w.classes
        case = [lit(op.name), lit(_rel(op.request_sample.loc))]
        case.append(f"lambda c: c.{op.py_name}({', '.join(call_args)})")
        case.append(expected)
        if raises:
            case.append(f"raises={raises}")
        for what, drop, fill, typed in (
            ("request", req_drop, req_fill, req_w.out.typed),
            ("response", res_drop, res_fill, res_w.out.typed),
        ):
            if drop:
                case.append(f"{what}_drop={py_literal(drop)}")
            if fill:
                case.append(f"{what}_fill={py_literal(fill)}")
            if typed:
                case.append(f"{what}_typed={py_literal(typed)}")
        ops.append(
            {
                "raises": raises,
                "name": op.name,
                "py": op.py_name,
                "result_class": planned.result_record.py if planned.result_record else "",
                "case": f"_testing.Case({', '.join(case)})",
                "deviations": deviations,
                "deviation_paths": [
                    (f"{base}.doc-{kind}.xml", py_literal([d.path for d in w.out.deviations]))
                    for kind, w in (("request", req_w), ("response", res_w))
                    if w.out.deviations
                ],
            }
        )
    if not ops:
        return None, files
    used = used_classes & classes
    local_names = {t.py_name for t in local if isinstance(t, ir.ComplexType | ir.EnumType)}
    result_classes = {str(o["result_class"]) for o in ops if o["result_class"]}
    imports = [(svc.py_name, sorted({agent.client_cls} | (used & local_names) | result_classes))]
    if any(o["raises"] for o in ops):
        used.add(profile.error_class)
    if used - local_names:
        imports.append(("types", sorted(used - local_names)))
    source = env.get_template("test_agent.py.j2").render(
        header=docstring(
            f"Fixture tests of {version.name} {svc.name}: the client against its doc samples."
        ),
        imports=imports,
        agent_dir=agent_dir,
        soap_version=svc.soap_version,
        client_cls=agent.client_cls,
        header_kwargs=sorted(header_kwargs.items()),
        ops=ops,
        values=[statement for _, _, statement in values.definitions],
    )
    return source, files


def _reports_error(xml: str, error_field: str) -> bool:
    """Does a response sample carry an error in its error field (e.g. ResponseStatus/ErrorCode)?"""
    if not error_field:
        return False
    try:
        root = etree.fromstring(
            xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True)
        )
    except etree.XMLSyntaxError:
        return False
    for el in root.iter():
        if isinstance(el.tag, str) and etree.QName(el).localname == error_field:
            code = next(
                (
                    c
                    for c in el
                    if isinstance(c.tag, str) and etree.QName(c).localname == "ErrorCode"
                ),
                None,
            )
            return code is not None and bool((code.text or "").strip())
    return False


def docstring_line(text: str) -> str:
    return docstring(text)[3:-3].replace("\n", " ")


def _rel(loc: ir.Loc) -> str:
    return f"{os.path.basename(loc.file)}:{loc.line}"
