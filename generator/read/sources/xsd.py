"""XML Schema (as embedded in WSDL 1.1 or in .xsd files) -> IR types and global elements.

Reads what public SOAP services use: complexType with sequence/all/choice, complexContent
extension and restriction, simpleContent, attributes, element refs, anonymous types;
simpleType enumerations, lists of enumerations (WCF flag enums, with EnumerationValue
appinfo), restrictions of builtins (aliases); WCF shapes: ArrayOfX and IsDictionary types.
Reference checking happens later, once every schema of a service is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from ...core import ir
from ...core.diagnostics import Collector
from ...core.ir import WCF_SER, XSD, qname

XS = f"{{{XSD}}}"
SOAP_ARRAY = "{http://schemas.xmlsoap.org/soap/encoding/}Array"
WSDL_ARRAY_TYPE = "{http://schemas.xmlsoap.org/wsdl/}arrayType"
_ENUM_VALUE = f"{{{WCF_SER}}}EnumerationValue"
_IS_DICT = f"{{{WCF_SER}}}IsDictionary"

LocOf = Callable[[etree._Element], ir.Loc]


@dataclass
class SchemaSet:
    types: dict[str, ir.TypeDef] = field(default_factory=dict)
    elements: dict[str, ir.Element] = field(default_factory=dict)
    attributes: dict[str, ir.Field] = field(default_factory=dict)
    groups: dict[str, tuple[ir.Field, ...]] = field(default_factory=dict)  # xs:group
    attribute_groups: dict[str, tuple[ir.Field, ...]] = field(default_factory=dict)
    namespaces: set[str] = field(default_factory=set)  # of the schemas read


XML_NS = "http://www.w3.org/XML/1998/namespace"


def resolve_qname(el: etree._Element, value: str) -> str:
    value = value.strip()
    prefix, sep, local = value.rpartition(":")
    if not sep:
        return qname(el.nsmap.get(None) or "", value)
    if prefix == "xml":  # bound by definition, never declared
        return qname(XML_NS, local)
    ns = el.nsmap.get(prefix)
    if ns is None:
        return qname("urn:soapgen:unbound-prefix:" + prefix, local)
    return qname(ns, local)


def _occurs(value: str | None, default: int | None) -> int | None:
    if value is None:
        return default
    if value == "unbounded":
        return None
    try:
        return int(value)
    except ValueError:
        return default


class SchemaReader:
    def __init__(self, out: SchemaSet, diags: Collector, loc_of: LocOf) -> None:
        self.out = out
        self.diags = diags
        self.loc_of = loc_of

    # --- entry ---------------------------------------------------------------------
    def read_schema(self, schema: etree._Element) -> None:
        tns = schema.get("targetNamespace", "")
        self.out.namespaces.add(tns)
        qualified = schema.get("elementFormDefault", "unqualified") == "qualified"
        attr_qualified = schema.get("attributeFormDefault", "unqualified") == "qualified"
        ctx = _Ctx(tns, qualified, attr_qualified)
        for child in schema:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag
            if tag == XS + "element":
                self._global_element(child, ctx)
            elif tag == XS + "complexType":
                self._add(self._complex(child, ctx, qname(tns, child.get("name", ""))), child)
            elif tag == XS + "simpleType":
                self._add(self._simple(child, ctx, qname(tns, child.get("name", ""))), child)
            elif tag == XS + "attribute":
                name = child.get("name")
                if name:
                    self.out.attributes[qname(tns, name)] = self._attribute(
                        child, ctx, qname(tns, name)
                    )
            elif tag == XS + "group" and child.get("name"):
                name = qname(tns, child.get("name", ""))
                fields: list[ir.Field] = []
                for part in child:
                    if part.tag in (XS + "sequence", XS + "all", XS + "choice"):
                        self._particles(part, ctx, name, fields, optional=part.tag == XS + "choice")
                self.out.groups.setdefault(name, tuple(fields))
            elif tag == XS + "attributeGroup" and child.get("name"):
                name = qname(tns, child.get("name", ""))
                self.out.attribute_groups.setdefault(
                    name, tuple(self._attributes(child, ctx, name))
                )
            elif tag in (XS + "import", XS + "include", XS + "annotation", XS + "redefine"):
                continue
            elif tag in (XS + "group", XS + "attributeGroup", XS + "notation"):
                self.diags.warning(
                    "XSD010",
                    *self._where(child),
                    f"schema construct {etree.QName(tag).localname} is not supported; ignored",
                )

    def _where(self, el: etree._Element) -> tuple[str, int]:
        loc = self.loc_of(el)
        return loc.file, loc.line

    def _add(self, typedef: ir.TypeDef | None, el: etree._Element) -> None:
        if typedef is None:
            return
        if not typedef.name or typedef.name.endswith("}"):
            self.diags.error("XSD001", *self._where(el), "a global type has no name")
            return
        old = self.out.types.get(typedef.name)
        if old is not None and _strip(old) != _strip(typedef):
            self.diags.error(
                "XSD002",
                *self._where(el),
                f"type {typedef.name} is defined twice with different content (first at {old.loc})",
            )
            return
        if old is None:
            self.out.types[typedef.name] = typedef

    def _global_element(self, el: etree._Element, ctx: _Ctx) -> None:
        name = el.get("name")
        if not name:
            self.diags.error("XSD003", *self._where(el), "a global element has no name")
            return
        ename = qname(ctx.tns, name)
        type_name = self._element_type(el, ctx, ename)
        element = ir.Element(ename, type_name, el.get("nillable") in ("true", "1"), self.loc_of(el))
        old = self.out.elements.get(ename)
        if old is not None and (old.type, old.nillable) != (element.type, element.nillable):
            self.diags.error(
                "XSD004",
                *self._where(el),
                f"element {ename} is declared twice differently (first at {old.loc})",
            )
            return
        self.out.elements.setdefault(ename, element)

    def _element_type(self, el: etree._Element, ctx: _Ctx, anon_name: str) -> str:
        """The type of an element: its type attribute, or its inline type (named anon_name)."""
        if el.get("type"):
            return resolve_qname(el, el.get("type", ""))
        for child in el:
            if child.tag == XS + "complexType":
                name = self._anon_name(anon_name)
                typedef = self._complex(child, ctx, name, anonymous=True)
                if typedef is not None:
                    self._add(typedef, child)
                    return typedef.name
            elif child.tag == XS + "simpleType":
                name = self._anon_name(anon_name)
                typedef = self._simple(child, ctx, name)
                if typedef is not None:
                    self._add(typedef, child)
                    return typedef.name
        return qname(XSD, "anyType")

    def _anon_name(self, wanted: str) -> str:
        name = wanted
        n = 1
        while name in self.out.types:
            n += 1
            name = f"{wanted}{n}"
        return name

    # --- complex types ---------------------------------------------------------------
    def _complex(
        self, el: etree._Element, ctx: _Ctx, name: str, anonymous: bool = False
    ) -> ir.TypeDef | None:
        fields: list[ir.Field] = []
        base: str | None = None
        content_type: str | None = None
        is_dict = self._is_dictionary(el)
        for child in el:
            tag = child.tag
            if tag in (XS + "sequence", XS + "all", XS + "choice", XS + "group"):
                self._particle(child, ctx, name, fields, optional=False)
            elif tag == XS + "complexContent":
                for deriv in child:
                    if deriv.tag not in (XS + "extension", XS + "restriction"):
                        continue
                    base_name = resolve_qname(deriv, deriv.get("base", ""))
                    if deriv.tag == XS + "extension":
                        base = base_name
                    elif base_name == SOAP_ARRAY:
                        return self._encoded_array(name, deriv, ctx, el)
                    elif base_name != qname(XSD, "anyType"):
                        self.diags.warning(
                            "XSD011",
                            *self._where(deriv),
                            f"complexContent restriction of {base_name} is read as its own fields",
                        )
                    for part in deriv:
                        if part.tag in (XS + "sequence", XS + "all", XS + "choice", XS + "group"):
                            self._particle(part, ctx, name, fields, optional=False)
                    fields += self._attributes(deriv, ctx, name)
            elif tag == XS + "simpleContent":
                for deriv in child:
                    if deriv.tag in (XS + "extension", XS + "restriction"):
                        # the base may be a complex type with simple content: worked out once
                        # every schema is read (xsdrefs.resolve_simple_content)
                        how = "extension" if deriv.tag == XS + "extension" else "restriction"
                        content_type = f"@{how}:" + resolve_qname(deriv, deriv.get("base", ""))
                        fields += self._attributes(deriv, ctx, name)
        fields += self._attributes(el, ctx, name)
        loc = self.loc_of(el)
        if is_dict:
            return self._dictionary(name, fields, loc, el)
        local = ir.local_name(name)
        if (
            local.startswith("ArrayOf")
            and base is None
            and len(fields) == 1
            and fields[0].repeated
            and not fields[0].attribute
        ):
            return ir.ArrayType(name, fields[0], loc)
        return ir.ComplexType(
            name,
            tuple(fields),
            base=base,
            abstract=el.get("abstract") in ("true", "1"),
            content_type=content_type,
            anonymous=anonymous,
            doc=documentation(el),
            loc=loc,
        )

    def _attributes(self, el: etree._Element, ctx: _Ctx, owner: str) -> list[ir.Field]:
        """The attributes (and attributeGroup references) declared directly in `el`."""
        out = []
        for part in el:
            if part.tag == XS + "attribute":
                out.append(self._attribute(part, ctx, owner))
            elif part.tag == XS + "attributeGroup" and part.get("ref"):
                ref = resolve_qname(part, part.get("ref", ""))
                out.append(ir.Field("", "", "@agroup:" + ref, attribute=True))
        return out

    def _encoded_array(
        self, name: str, restriction: etree._Element, ctx: _Ctx, el: etree._Element
    ) -> ir.TypeDef:
        """A SOAP-encoded array (a restriction of soapenc:Array): its item type from the
        wsdl:arrayType of its soapenc:arrayType attribute, or from its one element."""
        loc = self.loc_of(el)
        fields: list[ir.Field] = []
        for part in restriction:
            if part.tag in (XS + "sequence", XS + "all", XS + "choice"):
                self._particles(part, ctx, name, fields, optional=False)
        declared = ""
        for attr in restriction.iter(XS + "attribute"):
            declared = (attr.get(WSDL_ARRAY_TYPE) or declared).strip()
        dims = declared[declared.index("[") :] if "[" in declared else ""
        if declared:
            item_type = resolve_qname(restriction, declared[: len(declared) - len(dims)])
            for attr in restriction.iter(XS + "attribute"):  # the prefix is the attribute's
                if attr.get(WSDL_ARRAY_TYPE):
                    item_type = resolve_qname(attr, declared[: len(declared) - len(dims)])
        elif len(fields) == 1:
            item_type = fields[0].type
        else:
            self.diags.warning(
                "XSD011",
                loc.file,
                loc.line,
                f"SOAP-encoded array {name} names no item type; its items are read as text",
            )
            item_type = qname(XSD, "string")
        if "," in dims:
            self.diags.warning(
                "XSD011",
                loc.file,
                loc.line,
                f"SOAP-encoded array {name} has several dimensions ({declared}); it is read"
                " and written as the flat list of its items",
            )
        inner = item_type
        for depth in range(max(dims.count("[") - 1, 0), 0, -1):  # T[][]: an array of arrays
            inner_name = self._anon_name(f"{name}_items{depth}")
            self._add(ir.ArrayType(inner_name, _item(inner), loc, encoded=True), el)
            inner = inner_name
        return ir.ArrayType(name, _item(inner), loc, encoded=True)

    def _is_dictionary(self, el: etree._Element) -> bool:
        for ann in el.iterchildren(XS + "annotation"):
            for app in ann.iterchildren(XS + "appinfo"):
                for flag in app.iterchildren(_IS_DICT):
                    return (flag.text or "").strip() == "true"
        return False

    def _dictionary(
        self, name: str, fields: list[ir.Field], loc: ir.Loc, el: etree._Element
    ) -> ir.TypeDef:
        pair_type = self.out.types.get(fields[0].type) if len(fields) == 1 else None
        if (
            len(fields) == 1
            and fields[0].repeated
            and isinstance(pair_type, ir.ComplexType)
            and [f.name for f in pair_type.fields] == ["Key", "Value"]
        ):
            del self.out.types[pair_type.name]  # the pair's anonymous type lives in the dict
            key, value = pair_type.fields
            return ir.DictType(name, fields[0].qname, key, value, loc)
        self.diags.warning(
            "XSD012",
            loc.file,
            loc.line,
            f"{name} says IsDictionary but is not a Key/Value sequence; read as a complex type",
        )
        return ir.ComplexType(name, tuple(fields), loc=loc)

    def _particle(
        self, el: etree._Element, ctx: _Ctx, owner: str, fields: list[ir.Field], optional: bool
    ) -> None:
        """A sequence, choice or all (its elements), or a reference to a named group."""
        if el.tag != XS + "group":
            self._particles(el, ctx, owner, fields, optional or el.tag == XS + "choice")
            return
        if not el.get("ref"):
            return
        ref = resolve_qname(el, el.get("ref", ""))
        f = ir.Field("", "", "@group:" + ref, _occurs(el.get("minOccurs"), 1) or 0)
        f = _replace(f, max_occurs=_occurs(el.get("maxOccurs"), 1))
        if optional:
            f = _replace(f, min_occurs=0, choice=True)
        fields.append(f)

    def _particles(
        self, group: etree._Element, ctx: _Ctx, owner: str, fields: list[ir.Field], optional: bool
    ) -> None:
        group_min = _occurs(group.get("minOccurs"), 1)
        group_max = _occurs(group.get("maxOccurs"), 1)
        found: list[ir.Field] = []
        for child in group:
            tag = child.tag
            if tag == XS + "element":
                f = self._local_element(child, ctx, owner)
                if f is not None:
                    found.append(f)
            elif tag in (XS + "sequence", XS + "choice", XS + "all", XS + "group"):
                self._particle(child, ctx, owner, found, optional)
            elif tag == XS + "any":
                self.diags.warning(
                    "XSD013",
                    *self._where(child),
                    f"xs:any in {owner} is not mapped; such content is skipped when read and never written",
                )
        for f in found:
            if optional or group_min == 0:
                f = _replace(f, min_occurs=0, choice=f.choice or optional)
            if group_max is None or (group_max or 1) > 1:
                f = _replace(f, max_occurs=None)
            fields.append(f)

    def _local_element(self, el: etree._Element, ctx: _Ctx, owner: str) -> ir.Field | None:
        min_occurs = _occurs(el.get("minOccurs"), 1) or 0
        max_occurs = _occurs(el.get("maxOccurs"), 1)
        if el.get("ref"):
            ref = resolve_qname(el, el.get("ref", ""))
            ns, local = ir.split_qname(ref)
            # the referenced element's type is looked up when types are resolved (it may come later)
            return ir.Field(local, ns, "@ref:" + ref, min_occurs, max_occurs, False)
        name = el.get("name")
        if not name:
            self.diags.error(
                "XSD005", *self._where(el), f"an element in {owner} has neither name nor ref"
            )
            return None
        form = el.get("form")
        qualified = ctx.qualified if form is None else form == "qualified"
        ns = ctx.tns if qualified else ""
        type_name = self._element_type(el, ctx, f"{owner}_{name}")
        return ir.Field(
            name, ns, type_name, min_occurs, max_occurs, el.get("nillable") in ("true", "1")
        )

    def _attribute(self, el: etree._Element, ctx: _Ctx, owner: str) -> ir.Field:
        if el.get("ref"):
            ref = resolve_qname(el, el.get("ref", ""))
            ns, local = ir.split_qname(ref)
            return ir.Field(local, ns, "@aref:" + ref, 0, 1, attribute=True)
        name = el.get("name", "")
        form = el.get("form")
        qualified = ctx.attr_qualified if form is None else form == "qualified"
        type_name = qname(XSD, "string")
        inline = el.find(XS + "simpleType")
        if el.get("type"):
            type_name = resolve_qname(el, el.get("type", ""))
        elif inline is not None:  # a restriction of a builtin is the builtin; else a type
            typedef = self._simple(inline, ctx, self._anon_name(f"{owner}_{name}"))
            if isinstance(typedef, ir.AliasType):
                type_name = typedef.base
            elif typedef is not None:
                self._add(typedef, inline)
                type_name = typedef.name
        required = 1 if el.get("use") == "required" else 0
        occurs = 0 if el.get("use") == "prohibited" else 1  # a restriction removes it
        return ir.Field(
            name, ctx.tns if qualified else "", type_name, required, occurs, attribute=True
        )

    # --- simple types ----------------------------------------------------------------
    def _simple(self, el: etree._Element, ctx: _Ctx, name: str) -> ir.TypeDef | None:
        loc = self.loc_of(el)
        for child in el:
            if child.tag == XS + "restriction":
                values = self._enum_values(child, flags=False)
                base = (
                    resolve_qname(child, child.get("base", ""))
                    if child.get("base")
                    else qname(XSD, "string")
                )
                if values:
                    return ir.EnumType(name, values, False, base, loc)
                return ir.AliasType(name, base, loc)
            if child.tag == XS + "list":
                inner = next(child.iterchildren(XS + "simpleType"), None)
                restriction = (
                    None if inner is None else next(inner.iterchildren(XS + "restriction"), None)
                )
                if restriction is not None:
                    values = self._enum_values(restriction, flags=True)
                    if values:
                        return ir.EnumType(name, values, True, qname(XSD, "string"), loc)
                return ir.AliasType(name, qname(XSD, "string"), loc)
            if child.tag == XS + "union":
                return ir.AliasType(name, qname(XSD, "string"), loc)
        self.diags.warning(
            "XSD014",
            loc.file,
            loc.line,
            f"simple type {name} has no restriction, list or union; read as string",
        )
        return ir.AliasType(name, qname(XSD, "string"), loc)

    def _enum_values(self, restriction: etree._Element, flags: bool) -> tuple[ir.EnumValue, ...]:
        values: list[ir.EnumValue] = []
        for i, enum_el in enumerate(restriction.iterchildren(XS + "enumeration")):
            number: int | None = (1 << i) if flags else i
            for node in enum_el.iter(_ENUM_VALUE):
                try:
                    number = int((node.text or "").strip())
                except ValueError:
                    self.diags.warning(
                        "XSD015",
                        *self._where(node),
                        f"EnumerationValue {node.text!r} is not an integer",
                    )
            values.append(ir.EnumValue(enum_el.get("value", ""), number))
        return tuple(values)


@dataclass(frozen=True)
class _Ctx:
    tns: str
    qualified: bool
    attr_qualified: bool


def _item(type_name: str) -> ir.Field:
    """The items of a SOAP-encoded array: elements named item (any name is read)."""
    return ir.Field("item", "", type_name, 0, None)


def _replace(f: ir.Field, **changes: object) -> ir.Field:
    import dataclasses

    return dataclasses.replace(f, **changes)  # type: ignore[arg-type]


def _strip(t: ir.TypeDef) -> ir.TypeDef:
    import dataclasses

    return dataclasses.replace(t, loc=ir.Loc())


def documentation(el: etree._Element) -> str:
    """The text of an element's xs:annotation/xs:documentation (or wsdl:documentation), whitespace
    collapsed per line; "" when there is none. It only ever reaches docstrings."""
    texts = []
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag == XS + "annotation":
            texts += [_text(d) for d in child.iterchildren(XS + "documentation")]
        elif etree.QName(child).localname == "documentation":
            texts.append(_text(child))
    lines = [" ".join(line.split()) for text in texts for line in text.strip().splitlines()]
    return "\n".join(lines).strip()


def iter_schemas(root: etree._Element) -> Iterable[etree._Element]:
    if root.tag == XS + "schema":
        yield root
        return
    yield from root.iter(XS + "schema")


def _text(el: etree._Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str))
