"""Generate a client from WSDL files in a temporary project and import it, for the tests of
WSDL and XML Schema constructs: ``built = build(tmp, "api", {"svc.wsdl": text})``, then
``with built.imported() as pkg: ...`` (the package of version v1; removed from sys.modules
afterwards) and ``built.mypy()`` (mypy --strict on the package)."""

from __future__ import annotations

import contextlib
import importlib
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from soapgen.config.project import Config
from soapgen.core.diagnostics import Diagnostic, Level
from soapgen.pipeline.run import Result, generate


@dataclass
class Built:
    api: str
    root: Path
    result: Result

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def diags(self) -> list[Diagnostic]:
        return self.result.diags.items

    def codes(self, level: Level | None = None) -> list[str]:
        return [d.code for d in self.diags if level is None or d.level is level]

    @property
    def errors(self) -> list[str]:
        return [d.format() for d in self.diags if d.level is Level.ERROR]

    def source(self, module: str) -> str:
        return (self.out / self.api / "v1" / f"{module}.py").read_text(encoding="utf-8")

    @contextlib.contextmanager
    def imported(self, module: str = "") -> Iterator[ModuleType]:
        assert not self.errors, self.errors
        sys.path.insert(0, str(self.out))
        try:
            name = f"{self.api}.v1" + (f".{module}" if module else "")
            yield importlib.import_module(name)
        finally:
            sys.path.remove(str(self.out))
            for name in [m for m in sys.modules if m == self.api or m.startswith(self.api + ".")]:
                del sys.modules[name]

    def mypy(self) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-error-summary"]
            + ["--cache-dir", str(self.root / "mypy_cache"), "-p", self.api],
            cwd=self.out,
            capture_output=True,
            text=True,
            env={"MYPYPATH": str(self.out), "PATH": ""},
        )


def build(
    tmp: Path,
    api: str,
    files: dict[str, str | bytes] | None = None,
    folder: Path | None = None,
    keep_going: bool = False,
) -> Built:
    """Generate specs/<api>/v1/ (the `files` given by relative path, or a copy of `folder`) and
    write the output to tmp/out when there are no errors (or `keep_going`)."""
    version = tmp / "specs" / api / "v1"
    if folder is not None:
        shutil.copytree(folder, version, ignore=shutil.ignore_patterns("*.md"))
    for rel, data in (files or {}).items():
        path = version / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
    config = Config(root=str(tmp), specs=str(tmp / "specs"), output=str(tmp / "out"))
    result = generate(config)
    if keep_going or not result.diags.has_errors:
        for rel, data in result.files.items():
            (tmp / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / "out" / rel).write_bytes(data)
    return Built(api, tmp, result)


def simple_wsdl(
    schema: str,
    operations: list[tuple[str, str, str | None]],
    ns: str = "urn:t",
    soap12: bool = False,
    extra_ns: str = "",
) -> str:
    """A document/literal WSDL: `schema` is the content of an xs:schema of namespace `ns`
    (prefix tns), `operations` (name, input element, output element or None for one-way)."""
    soap = "soap12" if soap12 else "soap"
    soap_ns = (
        "http://schemas.xmlsoap.org/wsdl/soap12/"
        if soap12
        else "http://schemas.xmlsoap.org/wsdl/soap/"
    )
    messages = port_ops = bound_ops = ""
    for name, inp, out in operations:
        messages += f'<w:message name="{name}In"><w:part name="parameters" element="tns:{inp}"/></w:message>'
        if out:
            messages += f'<w:message name="{name}Out"><w:part name="parameters" element="tns:{out}"/></w:message>'
        output = f'<w:output message="tns:{name}Out"/>' if out else ""
        port_ops += (
            f'<w:operation name="{name}"><w:input message="tns:{name}In"/>{output}</w:operation>'
        )
        b_out = f'<w:output><{soap}:body use="literal"/></w:output>' if out else ""
        bound_ops += (
            f'<w:operation name="{name}"><{soap}:operation soapAction="{ns}/{name}"/>'
            f'<w:input><{soap}:body use="literal"/></w:input>{b_out}</w:operation>'
        )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<w:definitions xmlns:w="http://schemas.xmlsoap.org/wsdl/" xmlns:{soap}="{soap_ns}"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{ns}" {extra_ns} targetNamespace="{ns}">
  <w:types>
    <xs:schema targetNamespace="{ns}" elementFormDefault="qualified">{schema}</xs:schema>
  </w:types>
  {messages}
  <w:portType name="Svc">{port_ops}</w:portType>
  <w:binding name="SvcBinding" type="tns:Svc">
    <{soap}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    {bound_ops}
  </w:binding>
  <w:service name="SvcService">
    <w:port name="SvcPort" binding="tns:SvcBinding">
      <{soap}:address location="http://example.invalid/svc"/>
    </w:port>
  </w:service>
</w:definitions>
"""


def envelope(body: str, soap12: bool = False) -> bytes:
    ns = (
        "http://www.w3.org/2003/05/soap-envelope"
        if soap12
        else "http://schemas.xmlsoap.org/soap/envelope/"
    )
    return f'<s:Envelope xmlns:s="{ns}"><s:Body>{body}</s:Body></s:Envelope>'.encode()


def zeep_client(wsdl: Path | str) -> object:
    """A zeep client of a local WSDL: soapgen's copies of the well-known schemas stand in for
    their addresses, anything else remote is refused."""
    import zeep
    from zeep.transports import Transport

    from soapgen.read.sources.imports import KNOWN, KNOWN_NAMESPACES, known_path

    known = {}
    for name, (namespace, addresses) in KNOWN.items():
        for address in (*addresses, namespace.rstrip("/")):
            for scheme in ("http", "https"):
                for end in ("", "/"):
                    known[f"{scheme}://{address.rstrip('/')}{end}"] = known_path(name)
    assert KNOWN_NAMESPACES

    class Local(Transport):  # type: ignore[misc]
        def load(self, url: str) -> bytes:
            if url in known:
                with open(known[url], "rb") as fh:
                    return fh.read()
            if url.startswith(("http://", "https://")):
                raise OSError(f"network access refused: {url}")
            return super().load(url)  # type: ignore[no-any-return]

    return zeep.Client(str(wsdl), transport=Local())


def schema_of(wsdl: Path, work: Path) -> object:
    """The XML Schema of a WSDL (its xs:schema elements and what they import), for lxml, written
    to `work`; an import of a well-known namespace without a location reads soapgen's copy."""
    from lxml import etree

    from soapgen.read.sources.imports import KNOWN_NAMESPACES, known_path

    xs = "http://www.w3.org/2001/XMLSchema"
    schemas: list[tuple[Path, Any]] = []  # (the WSDL holding it, a copy of the schema)
    todo, seen = [wsdl], set()
    while todo:  # the WSDL and those it imports
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        root = etree.parse(str(path)).getroot()
        schemas += [
            (path, etree.fromstring(etree.tostring(s))) for s in root.iter(f"{{{xs}}}schema")
        ]
        for imp in root.iter("{http://schemas.xmlsoap.org/wsdl/}import"):
            location = imp.get("location", "")
            if location and "://" not in location:
                todo.append((path.parent / location).resolve())
    by_ns: dict[str, list[Path]] = {}  # several schemas of one namespace: the first includes
    for i, (_, schema) in enumerate(schemas):
        by_ns.setdefault(schema.get("targetNamespace", ""), []).append(work / f"schema{i}.xsd")
    files = {ns: paths[0] for ns, paths in by_ns.items()}
    wrapper = etree.Element(f"{{{xs}}}schema")
    for i, (holder, schema) in enumerate(schemas):
        for imp in schema.iter(f"{{{xs}}}import", f"{{{xs}}}include"):
            ns, location = imp.get("namespace", ""), imp.get("schemaLocation")
            if location is None and ns in files:
                imp.set("schemaLocation", str(files[ns]))
            elif location is None and ns in KNOWN_NAMESPACES:
                imp.set("schemaLocation", known_path(KNOWN_NAMESPACES[ns]))
            elif location and "://" not in location:
                imp.set("schemaLocation", str(holder.parent / location))
            elif location and ns in KNOWN_NAMESPACES:
                imp.set("schemaLocation", known_path(KNOWN_NAMESPACES[ns]))
        ns = schema.get("targetNamespace", "")
        if work / f"schema{i}.xsd" == files[ns]:
            for other in by_ns[ns][1:]:
                schema.insert(0, etree.Element(f"{{{xs}}}include", schemaLocation=str(other)))
        (work / f"schema{i}.xsd").write_bytes(etree.tostring(schema))
    for ns, path in files.items():  # a schema of no namespace is included
        kind = "import" if ns else "include"
        imp = etree.SubElement(wrapper, f"{{{xs}}}{kind}", schemaLocation=str(path))
        if ns:
            imp.set("namespace", ns)
    return etree.XMLSchema(wrapper)
