"""Code injection: names and descriptions from the docs end up in generated Python.

Hypothesis builds a small WSDL page and an operation page whose agent, operation, type, field
and enum names (XML-legal NCNames, keywords, builtins, names the generated code uses itself) and
descriptions (arbitrary text with payloads such as ``\"\"\"; import os``) it chooses, runs the
real ``generate`` on them, and proves that every generated module

- compiles, and imports (module-level code runs; nothing injected may run);
- has only the expected top-level statements: a docstring, imports of known modules, classes,
  functions and assignments; no extra calls or expressions;
- holds the injected text only inside string literals: every token that contains a payload
  marker is a STRING token, and no identifier (Name, Attribute, def, class, argument, import
  alias, keyword) carries one.
"""

from __future__ import annotations

import ast
import functools
import importlib
import io
import itertools
import re
import sys
import tokenize
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from soapgen.config import naming
from soapgen.config.project import Config
from soapgen.core import store
from soapgen.core.diagnostics import Collector, Level
from soapgen.format import formatter as fmt
from soapgen.pipeline.run import generate

ROOT = Path(__file__).resolve().parents[1]
MARK = "zzinj"  # every payload carries it; no generated name may
NS = "urn:fuzz:svc"

PAYLOADS = [
    '"""; import os; os.system("{m}")  # ',
    "'''\n{m} = 1\n'''",
    '\\"""\n{m}()\n',
    "x\\",
    'ends with a quote "',
    "{{{{ {m} }}}} {{% if {m} %}}",  # Jinja syntax: never re-rendered
    "\r\n{m} = 2\r\n",
    "\u2028{m}()\u2029",
    "\f\v{m}\t()",
    "\\N{{BULLET}} \\x41 \\u0041 {m}",
    ")]}}; {m}()",
    "#{m}\n    {m}()",
    "' + {m} + '",
]

# names the generated code treats specially, and Python's own
SPECIAL = sorted(
    {
        "class",
        "None",
        "True",
        "def",
        "import",
        "match",
        "case",
        "type",
        "_",
        "self",
        "cls",
        "str",
        "list",
        "dict",
        "int",
        "bool",
        "bytes",
        "frozenset",
        "object",
        "super",
        "print",
        "exec",
        "eval",
        "os",
        "sys",
        "nil_fields",
        "close",
        "aclose",
        "url",
        "transport",
        "timeout",
        "base_url",
        "headers",
        "last_response_headers",
        "ENDPOINT",
        "SOAP_VERSION",
        "VERSION",
        "FIX",
        "FIXTURES",
        "ResponseHeaders",
        "Client",
        "SoapError",
        "SoapFault",
        "types",
        "testing",
        "tests",
        "fixtures",
        "value",
        "Value",
        "async",
        "await",
        "lambda",
        "__init__",
        "__class__",
        "_rt",
        "_el",
        "_kw",
    }
)
_FIRST = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_ÄéßΩжお"
_REST = _FIRST + "0123456789.-·"
ncname = st.one_of(
    st.sampled_from(SPECIAL),
    st.builds(lambda a, b: a + b, st.sampled_from(_FIRST), st.text(alphabet=_REST, max_size=12)),
).filter(lambda s: MARK not in s.lower() and not s.lower().startswith("xml"))
# names that a SuperOffice page title can carry (its identity patterns are [A-Za-z_]\w*)
word = st.one_of(
    st.sampled_from([s for s in SPECIAL if re.fullmatch(r"[A-Za-z_]\w*", s)]),
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,10}", fullmatch=True),
).filter(lambda s: MARK not in s.lower())
# XML text: no control characters besides tab/newline, no surrogates, no NUL
xml_text = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    max_size=60,
)
enum_value = xml_text.map(lambda s: " ".join(s.split()))


@st.composite
def descriptions(draw: st.DrawFn) -> str:
    """Text with a payload (which carries a fresh marker) somewhere in it."""
    n = draw(st.integers(0, 10**6))
    payload = draw(st.sampled_from(PAYLOADS)).format(m=f"{MARK}{n}")
    before, after = draw(xml_text), draw(xml_text)
    return f"{before} {payload} {after}"


@st.composite
def services(draw: st.DrawFn) -> dict[str, object]:
    def distinct(names: list[str], n: int) -> list[str]:
        out = list(dict.fromkeys(names))
        while len(out) < n:
            out.append(out[-1] + str(len(out)))
        return out

    fields = distinct(draw(st.lists(ncname, min_size=2, max_size=5)), 2)
    params = distinct(draw(st.lists(ncname, min_size=2, max_size=2)), 2)[:2]
    t = draw(ncname)
    return {
        "agent": draw(word),
        "op": draw(st.one_of(word, ncname)),
        "type": t,
        "enum": draw(ncname.filter(lambda e: e != t)),
        "fields": fields,
        "params": params,
        "values": list(dict.fromkeys(draw(st.lists(enum_value, min_size=1, max_size=4)))),
        "description": "Doc: "
        + " ".join(draw(descriptions()).split()),  # one paragraph: its payload must land
        "param_doc": draw(descriptions()),
        "returns_doc": draw(descriptions()),
        "type_doc": draw(descriptions()),
        "op_doc": draw(descriptions()),
    }


def xml_chars(text: str) -> str:
    """Only characters XML 1.0 allows (the page text may hold more, the WSDL cannot)."""
    return re.sub(r"[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]", "", text)


def wsdl(s: dict[str, object]) -> str:
    op, t, e = s["op"], s["type"], s["enum"]
    fields: list[str] = s["fields"]  # type: ignore[assignment]
    p1, p2 = s["params"]  # type: ignore[misc]
    values = "".join(f"<xs:enumeration value={quoteattr(v)}/>" for v in s["values"])  # type: ignore[attr-defined]
    elements = f'<xs:element minOccurs="0" name="{fields[0]}" type="tns:{e}"/>' + "".join(
        f'<xs:element minOccurs="0" name="{f}" nillable="true" type="xs:string"/>'
        for f in fields[1:]
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<wsdl:definitions name="Fuzz" targetNamespace="{NS}" xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
  xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{NS}">
  <wsdl:types>
    <xs:schema elementFormDefault="qualified" targetNamespace="{NS}">
      <xs:complexType name="{t}">
        <xs:annotation><xs:documentation>{escape(xml_chars(str(s["type_doc"])))}</xs:documentation></xs:annotation>
        <xs:sequence>{elements}</xs:sequence>
      </xs:complexType>
      <xs:simpleType name="{e}"><xs:restriction base="xs:string">{values}</xs:restriction></xs:simpleType>
      <xs:element name="{op}"><xs:complexType><xs:sequence>
        <xs:element minOccurs="0" name="{p1}" nillable="true" type="tns:{t}"/>
        <xs:element minOccurs="0" name="{p2}" nillable="true" type="xs:string"/>
      </xs:sequence></xs:complexType></xs:element>
      <xs:element name="{op}Response"><xs:complexType><xs:sequence>
        <xs:element minOccurs="0" name="{op}Result" nillable="true" type="tns:{t}"/>
      </xs:sequence></xs:complexType></xs:element>
    </xs:schema>
  </wsdl:types>
  <wsdl:message name="In"><wsdl:part name="parameters" element="tns:{op}"/></wsdl:message>
  <wsdl:message name="Out"><wsdl:part name="parameters" element="tns:{op}Response"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="{op}">
      <wsdl:documentation>{escape(xml_chars(str(s["op_doc"])))}</wsdl:documentation>
      <wsdl:input message="tns:In"/><wsdl:output message="tns:Out"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="{op}">
      <soap:operation soapAction="{NS}/{op}" style="document"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input><wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="FuzzService">
    <wsdl:port name="Port" binding="tns:Binding"><soap:address location="https://example.invalid/Remote/Services1/{s["agent"]}.svc"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
"""


def envelope(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" '
        f'xmlns:t="{NS}">\n <SOAP-ENV:Body>\n{body}\n </SOAP-ENV:Body>\n</SOAP-ENV:Envelope>\n'
    )


def pages(s: dict[str, object]) -> dict[str, str]:
    agent, op = s["agent"], s["op"]
    fields: list[str] = s["fields"]  # type: ignore[assignment]
    p1, p2 = s["params"]  # type: ignore[misc]
    values: list[str] = s["values"]  # type: ignore[assignment]
    entity = f"<t:{fields[0]}>{escape(values[0])}</t:{fields[0]}>" + "".join(
        f"<t:{f}>text</t:{f}>" for f in fields[1:]
    )
    request = envelope(f"  <t:{op}><t:{p1}>{entity}</t:{p1}><t:{p2}>hello</t:{p2}></t:{op}>")
    response = envelope(f"  <t:{op}Response><t:{op}Result>{entity}</t:{op}Result></t:{op}Response>")
    wsdl_page = (
        f"---\nuid: wsdl-Services1-{agent}\ntitle: Services1.{agent}Agent WSDL\n---\n\n"
        f"# Services1.{agent}Agent WSDL\n\n```xml\n{wsdl(s)}```\n"
    )
    op_page = (
        f"---\ntitle: Services1.{agent}Agent.{op} SOAP\nuid: Services1-{agent}-{op}\n---\n\n# Services1 {agent} {op}\n\n"
        f"SOAP request and response examples **Remote/Services1/{agent}.svc**\n\n## {op}\n\n{s['description']}\n\n"
        f"* **{p1}:** {s['param_doc']}\n\n**Returns:** {s['returns_doc']}\n\n"
        f"## {op} Request\n\n```xml\n{request}```\n\n## {op} Response\n\n```xml\n{response}```\n"
    )
    return {f"Services1-{agent}.md": wsdl_page, f"{agent}/{op}.md": op_page}


# --- what a generated module may contain ------------------------------------------------------


def allowed_imports() -> set[str]:
    """The modules the real generated packages import (absolute imports)."""
    found: set[str] = set()
    for path in (ROOT / "generated").rglob("*.py"):
        if "_runtime" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
    return found


ALLOWED = allowed_imports()
TOP_LEVEL = (
    ast.Import,
    ast.ImportFrom,
    ast.ClassDef,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.Assign,
    ast.AnnAssign,
)


def identifiers(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            yield node.id
        elif isinstance(node, ast.Attribute):
            yield node.attr
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name
        elif isinstance(node, ast.arg):
            yield node.arg
        elif isinstance(node, ast.alias):
            yield node.name
            if node.asname:
                yield node.asname
        elif isinstance(node, ast.keyword) and node.arg:
            yield node.arg


def _is_binding(node: ast.stmt) -> bool:
    """A top-level call of the runtime's bind or bind_flags, and nothing else."""
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Attribute)
        and isinstance(node.value.func.value, ast.Name)
        and node.value.func.value.id == "_rt"
        and node.value.func.attr in ("bind", "bind_flags")
    )


def check_module(rel: str, source: str, package: str) -> None:
    tree = ast.parse(source, rel)  # a SyntaxError fails the example
    body = tree.body
    if (
        body
        and isinstance(body[0], ast.Expr)
        and isinstance(body[0].value, ast.Constant)
        and isinstance(body[0].value.value, str)
    ):
        body = body[1:]  # the module docstring
    for node in body:
        if _is_binding(node):
            continue  # _rt.bind(...) / _rt.bind_flags(...): a record's or a flag enum's wire format
        assert isinstance(
            node, TOP_LEVEL
        ), f"{rel}:{node.lineno}: unexpected top-level {type(node).__name__}"
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            assert node.module and node.module.split(".")[0] in ALLOWED | {
                package
            }, f"{rel}: imports {node.module}"
        elif isinstance(node, ast.Import):
            assert {
                a.name.split(".")[0] for a in node.names
            } <= ALLOWED, f"{rel}: imports {[a.name for a in node.names]}"
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assert all(
                isinstance(t, ast.Name) for t in targets
            ), f"{rel}:{node.lineno}: assignment to {ast.dump(targets[0])}"
    for name in identifiers(tree):
        assert MARK not in name.lower(), f"{rel}: identifier {name!r} comes from the docs"
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if MARK in tok.string.lower():
            assert (
                tok.type == tokenize.STRING
            ), f"{rel}:{tok.start[0]}: {tokenize.tok_name[tok.type]} token {tok.string!r}"


# --- the property -----------------------------------------------------------------------------

_counter = itertools.count()


@functools.cache
def formatted_runtime() -> dict[str, str]:
    """templates/runtime/ as every package gets it (formatted like all generated modules)."""
    folder = ROOT / "templates" / "runtime"
    texts = {f"_runtime/{p.name}": p.read_text(encoding="utf-8") for p in folder.glob("*.py")}
    return fmt.format_sources(texts, Collector())


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """black's cache for these examples lives in a temporary folder (SOAPGEN_CACHE's role)."""
    old = store.CACHE_DIR
    store.CACHE_DIR = str(tmp_path_factory.mktemp("black-cache"))
    yield
    store.CACHE_DIR = old


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(s=services())
def test_names_and_descriptions_cannot_inject_code(
    s: dict[str, object], tmp_path_factory: pytest.TempPathFactory, cache_dir: None
) -> None:
    n = next(_counter)
    package = f"hypo{n}"
    root = tmp_path_factory.mktemp("inj")
    version = root / "specs" / package / "Services1"
    for rel, text in pages(s).items():
        (version / rel).parent.mkdir(parents=True, exist_ok=True)
        (version / rel).write_text(text, encoding="utf-8")
    config = Config(
        root=str(root),
        specs=str(root / "specs"),
        output=str(root / "generated"),
    )
    result = generate(config)
    errors = [d for d in result.diags.items if d.level is Level.ERROR]
    for d in result.diags.items:
        assert re.fullmatch(r"[A-Z]+\d{3}", d.code) and d.file, d.format()
    if errors:  # a clear diagnostic instead of code is a valid outcome (the CLI writes nothing)
        event(f"errors: {sorted({d.code for d in errors})}")
        assert all(d.line >= 1 for d in errors), [d.format() for d in errors]
        return
    event("generated")
    runtime = formatted_runtime()
    sources = {
        rel: data.decode("utf-8") for rel, data in result.files.items() if rel.endswith(".py")
    }
    assert sources
    for rel, source in sources.items():
        if "/_runtime/" in rel:
            assert (
                source == runtime[rel[rel.index("_runtime/") :]]
            )  # verbatim: nothing from the docs
            continue
        check_module(rel, source, package)
    # the one-paragraph description reaches the client's docstring when the page is recognised
    agent_py = next(
        src
        for rel, src in sources.items()
        if rel.count("/") == 2 and not rel.endswith(("__init__.py", "types.py", "testing.py"))
    )
    marker = re.search(rf"{MARK}\d+", str(s["description"]))
    page_read = re.fullmatch(r"[A-Za-z_]\w*", str(s["op"])) is not None
    if marker and page_read:
        assert marker.group(0) in agent_py
    out = root / "out"
    for rel, data in result.files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(data)
    sys.path.insert(0, str(out))
    try:
        for rel in sorted(sources):
            module = rel[:-3].replace("/", ".").removesuffix(".__init__")
            importlib.import_module(module)  # module-level code runs; an injection would run here
    finally:
        sys.path.remove(str(out))
        for mod in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[mod]


def test_docstring_and_literal_helpers_contain_anything() -> None:
    """The two helpers every doc string passes through, on the payloads themselves."""
    from soapgen.plan.text import docstring, lit

    for payload in PAYLOADS:
        text = payload.format(m=f"{MARK}1")
        for indent in ("", "    "):
            src = (
                f"def f():\n    {docstring(text, '    ')}\n    return {lit(text)}\n"
                if indent
                else f"{docstring(text)}\nX = {lit(text)}\n"
            )
            tree = ast.parse(src)
            assert MARK not in " ".join(identifiers(tree))
            for tok in tokenize.generate_tokens(io.StringIO(src).readline):
                if MARK in tok.string:
                    assert tok.type == tokenize.STRING, (payload, tok)
    assert naming.identifier('"""; import os') == "import_os"
