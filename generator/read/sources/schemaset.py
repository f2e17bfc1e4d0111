"""The XML Schema documents a WSDL was read from, as a set of files a validator compiles on its
own: the generated package ships them (``schemas/<agent>/``) for its mock server.

Every xs:schema the reader met (embedded in the WSDL or in a WSDL it imports, imported or
included files, soapgen's own copies of well-known schemas) becomes ``s<n>.xsd``; an import or
include names the file it was read from as that file's new name, an import of a namespace
without a location names the first document of that namespace, and a location that was not
read (refused, missing) is dropped. ``all.xsd`` imports every namespace. Nothing outside the
set is ever loaded when it is compiled.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
_XS_NS = "http://www.w3.org/2001/XMLSchema"


@dataclass
class SchemaDocs:
    """What the reader collects: each schema (the key of the file it is in, the file's path,
    the element) and where each import location of a file led (by importer path)."""

    docs: list[tuple[str, str, etree._Element]] = field(default_factory=list)
    targets: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, key: str, path: str, schema: etree._Element) -> None:
        self.docs.append((key, os.path.abspath(path), schema))

    def led(self, importer: str, location: str, key: str) -> None:
        self.targets[(os.path.abspath(importer), location)] = key

    def files(self) -> tuple[tuple[str, str], ...]:
        """(file name, XML text) of every document and ``all.xsd``."""
        if not self.docs:
            return ()
        names = [f"s{i}.xsd" for i in range(len(self.docs))]
        first_of_key: dict[str, str] = {}
        by_ns: dict[str, list[str]] = {}
        for (key, _, schema), name in zip(self.docs, names):
            first_of_key.setdefault(key, name)
            by_ns.setdefault(schema.get("targetNamespace", ""), []).append(name)
        out: list[tuple[str, str]] = []
        for (_, path, schema), name in zip(self.docs, names):
            ns = schema.get("targetNamespace", "")
            copy = etree.fromstring(etree.tostring(schema))  # with its in-scope namespaces
            for imp in list(copy.iterchildren(XS + "import", XS + "include")):
                location = imp.get("schemaLocation")
                target = first_of_key.get(self.targets.get((path, location or ""), ""))
                if location and target:
                    imp.set("schemaLocation", target)
                elif imp.tag == XS + "include":
                    copy.remove(imp)  # not read: nothing to include
                else:
                    if "schemaLocation" in imp.attrib:
                        del imp.attrib["schemaLocation"]
                    wanted = imp.get("namespace", "")
                    if wanted != ns and by_ns.get(wanted):
                        imp.set("schemaLocation", by_ns[wanted][0])
            siblings = by_ns[ns]
            if siblings[0] == name:  # a namespace in several documents: the first includes all
                for other in siblings[1:]:
                    copy.insert(0, etree.Element(XS + "include", schemaLocation=other))
            out.append((name, etree.tostring(copy, encoding="unicode")))
        wrapper = etree.Element(XS + "schema", nsmap={"xs": _XS_NS})
        for ns, found in sorted(by_ns.items()):
            imp = etree.SubElement(wrapper, XS + "import", schemaLocation=found[0])
            if ns:
                imp.set("namespace", ns)
        out.append(("all.xsd", etree.tostring(wrapper, encoding="unicode")))
        return tuple(out)
