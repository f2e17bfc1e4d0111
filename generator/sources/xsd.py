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

from .. import ir
from ..diagnostics import Collector
from ..ir import WCF_SER, XSD, qname
from ..xsd_types import builtin

XS = f"{{{XSD}}}"
_ENUM_VALUE = f"{{{WCF_SER}}}EnumerationValue"
_IS_DICT = f"{{{WCF_SER}}}IsDictionary"

LocOf = Callable[[etree._Element], ir.Loc]


@dataclass
class SchemaSet:
    types: dict[str, ir.TypeDef] = field(default_factory=dict)
    elements: dict[str, ir.Element] = field(default_factory=dict)
    attributes: dict[str, ir.Field] = field(default_factory=dict)


def resolve_qname(el: etree._Element, value: str) -> str:
    value = value.strip()
    prefix, sep, local = value.rpartition(":")
    if not sep:
        return qname(el.nsmap.get(None) or "", value)
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
                    self.out.attributes[qname(tns, name)] = self._attribute(child, ctx)
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
            if tag in (XS + "sequence", XS + "all", XS + "choice"):
                self._particles(child, ctx, name, fields, optional=tag == XS + "choice")
            elif tag == XS + "complexContent":
                for deriv in child:
                    if deriv.tag == XS + "extension":
                        base = resolve_qname(deriv, deriv.get("base", ""))
                    if deriv.tag in (XS + "extension", XS + "restriction"):
                        if deriv.tag == XS + "restriction":
                            base_name = resolve_qname(deriv, deriv.get("base", ""))
                            if base_name != qname(XSD, "anyType"):
                                self.diags.warning(
                                    "XSD011",
                                    *self._where(deriv),
                                    f"complexContent restriction of {base_name} is read as its own fields",
                                )
                        for part in deriv:
                            if part.tag in (XS + "sequence", XS + "all", XS + "choice"):
                                self._particles(
                                    part, ctx, name, fields, optional=part.tag == XS + "choice"
                                )
                            elif part.tag == XS + "attribute":
                                fields.append(self._attribute(part, ctx))
            elif tag == XS + "simpleContent":
                for deriv in child:
                    if deriv.tag in (XS + "extension", XS + "restriction"):
                        content_type = resolve_qname(deriv, deriv.get("base", ""))
                        for part in deriv:
                            if part.tag == XS + "attribute":
                                fields.append(self._attribute(part, ctx))
            elif tag == XS + "attribute":
                fields.append(self._attribute(child, ctx))
            elif tag == XS + "anyAttribute":
                continue
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

    def _particles(
        self, group: etree._Element, ctx: _Ctx, owner: str, fields: list[ir.Field], optional: bool
    ) -> None:
        group_min = _occurs(group.get("minOccurs"), 1)
        group_max = _occurs(group.get("maxOccurs"), 1)
        for child in group:
            tag = child.tag
            if tag == XS + "element":
                f = self._local_element(child, ctx, owner)
                if f is None:
                    continue
                if optional or group_min == 0:
                    f = _replace(f, min_occurs=0, choice=optional)
                if group_max is None or (group_max or 1) > 1:
                    f = _replace(f, max_occurs=None)
                fields.append(f)
            elif tag in (XS + "sequence", XS + "choice", XS + "all"):
                self._particles(child, ctx, owner, fields, optional or tag == XS + "choice")
            elif tag == XS + "any":
                self.diags.warning(
                    "XSD013",
                    *self._where(child),
                    f"xs:any in {owner} is not mapped; such content is skipped when read and never written",
                )
            elif tag == XS + "group":
                self.diags.warning(
                    "XSD010", *self._where(child), "xs:group references are not supported; ignored"
                )

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

    def _attribute(self, el: etree._Element, ctx: _Ctx) -> ir.Field:
        if el.get("ref"):
            ref = resolve_qname(el, el.get("ref", ""))
            ns, local = ir.split_qname(ref)
            return ir.Field(local, ns, "@aref:" + ref, 0, 1, attribute=True)
        name = el.get("name", "")
        form = el.get("form")
        qualified = ctx.attr_qualified if form is None else form == "qualified"
        type_name = (
            resolve_qname(el, el.get("type", "")) if el.get("type") else qname(XSD, "string")
        )
        required = 1 if el.get("use") == "required" else 0
        return ir.Field(name, ctx.tns if qualified else "", type_name, required, 1, attribute=True)

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


def _replace(f: ir.Field, **changes: object) -> ir.Field:
    import dataclasses

    return dataclasses.replace(f, **changes)  # type: ignore[arg-type]


def _strip(t: ir.TypeDef) -> ir.TypeDef:
    import dataclasses

    return dataclasses.replace(t, loc=ir.Loc())


def resolve_refs(schemas: SchemaSet, diags: Collector, where: ir.Loc) -> None:
    """Replace element/attribute ref placeholders by the referenced declarations' types."""
    import dataclasses

    for name, typedef in list(schemas.types.items()):
        if not isinstance(typedef, ir.ComplexType):
            continue
        fields = []
        changed = False
        for f in typedef.fields:
            if f.type.startswith("@ref:"):
                target = schemas.elements.get(f.type[5:])
                changed = True
                if target is None:
                    diags.error(
                        "XSD006",
                        typedef.loc.file,
                        typedef.loc.line,
                        f"{name} refers to unknown element {f.type[5:]}",
                    )
                    f = dataclasses.replace(f, type=ir.qname(XSD, "anyType"))
                else:
                    f = dataclasses.replace(f, type=target.type, nillable=target.nillable)
            elif f.type.startswith("@aref:"):
                changed = True
                attr = schemas.attributes.get(f.type[6:])
                f = dataclasses.replace(f, type=attr.type if attr else ir.qname(XSD, "string"))
            fields.append(f)
        if changed:
            schemas.types[name] = dataclasses.replace(typedef, fields=tuple(fields))


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


def check_type_refs(schemas: SchemaSet, diags: Collector) -> None:
    """Every type a definition or global element refers to must be a builtin or defined.

    Each unknown reference is an XSD007 error at the referring definition and is replaced (by
    xs:string, or no base) so later stages see a consistent schema and add no vaguer errors.
    """
    import dataclasses

    string = qname(XSD, "string")

    def known(name: str | None) -> bool:
        return not name or builtin(name) is not None or name in schemas.types

    def report(where: ir.Loc, owner: str, what: str, ref: str) -> None:
        diags.error(
            "XSD007", where.file, where.line, f"{owner}: {what} refers to unknown type {ref}"
        )

    def fixed(f: ir.Field, loc: ir.Loc, owner: str) -> ir.Field:
        if known(f.type):
            return f
        report(loc, owner, f"{'attribute' if f.attribute else 'element'} {f.name!r}", f.type)
        return dataclasses.replace(f, type=string)

    for name, t in list(schemas.types.items()):
        local = ir.local_name(name)
        new: ir.TypeDef = t
        if isinstance(t, ir.ComplexType):
            fields = tuple(fixed(f, t.loc, local) for f in t.fields)
            base, content = t.base, t.content_type
            if not known(base):
                report(t.loc, local, "the base", str(base))
                base = None
            if not known(content):
                report(t.loc, local, "the simple content", str(content))
                content = string
            if (fields, base, content) != (t.fields, t.base, t.content_type):
                new = dataclasses.replace(t, fields=fields, base=base, content_type=content)
        elif isinstance(t, ir.ArrayType):
            item = fixed(t.item, t.loc, local)
            new = t if item is t.item else dataclasses.replace(t, item=item)
        elif isinstance(t, ir.DictType):
            key, value = fixed(t.key, t.loc, local), fixed(t.value, t.loc, local)
            new = (
                t
                if (key, value) == (t.key, t.value)
                else dataclasses.replace(t, key=key, value=value)
            )
        elif isinstance(t, (ir.AliasType, ir.EnumType)) and not known(t.base):
            report(t.loc, local, "the restriction base", t.base)
            new = dataclasses.replace(t, base=string)
        if new is not t:
            schemas.types[name] = new
    for name, el in list(schemas.elements.items()):
        if not known(el.type):
            report(el.loc, f"element {ir.local_name(name)}", "its type", el.type)
            schemas.elements[name] = dataclasses.replace(el, type=string)


def iter_schemas(root: etree._Element) -> Iterable[etree._Element]:
    if root.tag == XS + "schema":
        yield root
        return
    yield from root.iter(XS + "schema")


def _text(el: etree._Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str))
