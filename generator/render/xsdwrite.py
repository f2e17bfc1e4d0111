"""An XML Schema written from the IR of a service that comes without one.

A WSDL's own schema is what the generated mock server checks requests against (the package
ships it, :mod:`soapgen.render.schemas`). ServiceStack metadata pages carry no schema, only the DTOs
ServiceStack's own WSDL is written from (DataContract serialization); this writes that schema
from the IR: one document per namespace (``s0.xsd``, ...) and ``all.xsd`` importing them all.
Checking against it proves a request is what the metadata describes, not more.

Types the IR names but does not define are the WCF serialization types (guid, char, duration,
written as .NET's own schema defines them) or, for anything else, left open (xs:anyType).
"""

from __future__ import annotations

from lxml import etree

from ..core import ir

XS = ir.XSD
_X = f"{{{XS}}}"
WCF_NS = "http://schemas.microsoft.com/2003/10/Serialization/"
_GUID = r"[\da-fA-F]{8}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{12}"


class _Docs:
    """One schema document per namespace, with a prefix for every namespace they name."""

    def __init__(self) -> None:
        self.roots: dict[str, etree._Element] = {}
        self.prefixes: dict[str, str] = {XS: "xs"}
        self.defined: set[str] = set()
        self.used: dict[str, set[str]] = {}  # namespace -> namespaces its document refers to

    def root(self, ns: str) -> etree._Element:
        found = self.roots.get(ns)
        if found is None:
            found = etree.Element(_X + "schema", nsmap={"xs": XS})
            if ns:
                found.set("targetNamespace", ns)
            found.set("elementFormDefault", "qualified")
            self.roots[ns] = found
        return found

    def ref(self, owner_ns: str, name: str) -> str:
        """The QName text of `name` in the document of `owner_ns` (its prefix declared)."""
        ns, local = ir.split_qname(name)
        if not ns:
            return local
        if ns != XS:
            self.used.setdefault(owner_ns, set()).add(ns)
        prefix = self.prefixes.get(ns)
        if prefix is None:
            prefix = self.prefixes[ns] = f"n{len(self.prefixes) - 1}"
        return f"{prefix}:{local}"


def schema_documents(svc: ir.Service) -> dict[str, bytes]:
    """{file name: bytes}: the schema documents of `svc` and ``all.xsd`` importing them."""
    docs = _Docs()
    types = sorted(svc.types, key=lambda t: t.name)
    docs.defined = {t.name for t in types}
    for t in types:
        _type(docs, t)
    for e in sorted(svc.elements, key=lambda e: e.name):
        ns, local = ir.split_qname(e.name)
        el = etree.SubElement(docs.root(ns), _X + "element", name=local)
        el.set("type", docs.ref(ns, _known(docs, e.type)))
        if e.nillable:
            el.set("nillable", "true")
    _wcf_types(docs)
    names = {ns: f"s{i}.xsd" for i, ns in enumerate(sorted(docs.roots))}
    files: dict[str, bytes] = {}
    for ns, root in sorted(docs.roots.items()):
        for other in sorted(docs.used.get(ns, set()) - {ns}):
            if other in names:
                imp = etree.Element(_X + "import", namespace=other, schemaLocation=names[other])
                root.insert(0, imp)
        files[names[ns]] = _serialize(root, docs.prefixes)
    wrapper = etree.Element(_X + "schema", nsmap={"xs": XS})
    for ns, name in sorted(names.items()):
        imp = etree.SubElement(wrapper, _X + "import", schemaLocation=name)
        if ns:
            imp.set("namespace", ns)
    files["all.xsd"] = etree.tostring(wrapper, xml_declaration=True, encoding="utf-8")
    return files


def _serialize(root: etree._Element, prefixes: dict[str, str]) -> bytes:
    """The document with every prefix it may name declared on its root."""
    nsmap = {p: ns for ns, p in sorted(prefixes.items(), key=lambda kv: kv[1])}
    attrib = {str(k): str(v) for k, v in root.attrib.items()}
    out = etree.Element(root.tag, attrib=attrib, nsmap=nsmap)
    out.extend(list(root))
    return etree.tostring(out, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _known(docs: _Docs, name: str) -> str:
    ns, _ = ir.split_qname(name)
    if ns in (XS, WCF_NS) or name in docs.defined:
        return name
    return ir.qname(XS, "anyType")  # named, never defined: left open


def _type(docs: _Docs, t: ir.TypeDef) -> None:
    ns, local = ir.split_qname(t.name)
    root = docs.root(ns)
    if isinstance(t, ir.ComplexType):
        ct = etree.SubElement(root, _X + "complexType", name=local)
        if t.abstract:
            ct.set("abstract", "true")
        if t.content_type is not None:
            body = etree.SubElement(etree.SubElement(ct, _X + "simpleContent"), _X + "extension")
            body.set("base", docs.ref(ns, _known(docs, t.content_type)))
            _attributes(docs, ns, body, t.fields)
            return
        parent = ct
        if t.base is not None:
            ext = etree.SubElement(etree.SubElement(ct, _X + "complexContent"), _X + "extension")
            ext.set("base", docs.ref(ns, _known(docs, t.base)))
            parent = ext
        _sequence(docs, ns, parent, [f for f in t.fields if not f.attribute])
        _attributes(docs, ns, parent, t.fields)
    elif isinstance(t, ir.EnumType):
        st = etree.SubElement(root, _X + "simpleType", name=local)
        target = st
        if t.flags:
            target = etree.SubElement(etree.SubElement(st, _X + "list"), _X + "simpleType")
        restriction = etree.SubElement(target, _X + "restriction")
        restriction.set("base", docs.ref(ns, t.base if not t.flags else ir.qname(XS, "string")))
        for v in t.values:
            etree.SubElement(restriction, _X + "enumeration", value=v.wire)
    elif isinstance(t, ir.ArrayType):
        ct = etree.SubElement(root, _X + "complexType", name=local)
        item = ir.Field(
            t.item.name, t.item.namespace, t.item.type, t.item.min_occurs, None, t.item.nillable
        )
        _sequence(docs, ns, ct, [item])
    elif isinstance(t, ir.DictType):
        ct = etree.SubElement(root, _X + "complexType", name=local)
        seq = etree.SubElement(ct, _X + "sequence")
        _, pair_local = ir.split_qname(t.pair)
        pair = etree.SubElement(seq, _X + "element", name=pair_local)
        pair.set("minOccurs", "0")
        pair.set("maxOccurs", "unbounded")
        _sequence(docs, ns, etree.SubElement(pair, _X + "complexType"), [t.key, t.value])
    elif isinstance(t, ir.AliasType):
        st = etree.SubElement(root, _X + "simpleType", name=local)
        etree.SubElement(st, _X + "restriction", base=docs.ref(ns, _known(docs, t.base)))


def _sequence(docs: _Docs, ns: str, parent: etree._Element, fields: list[ir.Field]) -> None:
    seq = etree.SubElement(parent, _X + "sequence")
    group: etree._Element | None = None
    for f in fields:
        target = seq
        if f.choice:  # neighbouring branches of one xs:choice
            if group is None:
                group = etree.SubElement(seq, _X + "choice", minOccurs="0")
            target = group
        else:
            group = None
        el = etree.SubElement(target, _X + "element", name=f.name)
        if f.namespace != ns:
            el.set("form", "unqualified" if not f.namespace else "qualified")
        el.set("type", docs.ref(ns, _known(docs, f.type)))
        if f.min_occurs != 1:
            el.set("minOccurs", str(f.min_occurs))
        if f.max_occurs != 1:
            el.set("maxOccurs", "unbounded" if f.max_occurs is None else str(f.max_occurs))
        if f.nillable:
            el.set("nillable", "true")


def _attributes(docs: _Docs, ns: str, parent: etree._Element, fields: tuple[ir.Field, ...]) -> None:
    for f in fields:
        if f.attribute:
            at = etree.SubElement(parent, _X + "attribute", name=f.name)
            at.set("type", docs.ref(ns, _known(docs, f.type)))
            if f.min_occurs >= 1:
                at.set("use", "required")


def _wcf_types(docs: _Docs) -> None:
    """.NET's serialization types, where the documents name them and the IR does not define
    them (as its own schema, http://schemas.microsoft.com/2003/10/Serialization/, does)."""
    used = any(WCF_NS in refs for refs in docs.used.values())
    if not used or any(n.startswith("{" + WCF_NS + "}") for n in docs.defined):
        return
    root = docs.root(WCF_NS)
    for name, base, facet, value in (
        ("guid", "string", "pattern", _GUID),
        ("char", "int", None, ""),
        ("duration", "duration", "pattern", r"\-?P(\d*D)?(T(\d*H)?(\d*M)?(\d*(\.\d*)?S)?)?"),
    ):
        st = etree.SubElement(root, _X + "simpleType", name=name)
        restriction = etree.SubElement(st, _X + "restriction", base=f"xs:{base}")
        if facet:
            etree.SubElement(restriction, _X + facet, value=value)
