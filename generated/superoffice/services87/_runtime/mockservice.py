"""What the mock server (:mod:`.mockserver`) knows of a generated agent module (its endpoint,
operations, samples and schema) and of each request it receives (a MockCall)."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from importlib.resources.abc import Traversable
from types import ModuleType
from typing import Any, cast

from lxml import etree

from .jsonclient import JsonServiceClient
from .operation import Operation


class MockService:
    """One agent of a generated package as the mock server serves it."""

    def __init__(
        self,
        agent: str,
        endpoint: str,
        soap_version: str,
        operations: Iterable[Operation[Any, Any]],
        response_headers: type | None = None,
        samples: Traversable | None = None,
        schema: Traversable | None = None,
        json_endpoint: bool = False,
    ) -> None:
        self.agent, self.soap_version = agent, soap_version
        self.path = "/" + endpoint.strip("/")
        self.operations = {op.name: op for op in operations}
        self.by_action = {op.action: op for op in self.operations.values() if op.action}
        self.by_tag = {op.request_tag: op for op in self.operations.values() if op.request_tag}
        self.response_headers = response_headers
        self.samples, self.schema_folder = samples, schema
        self.json_endpoint = json_endpoint
        self._schema: etree.XMLSchema | None = None
        self._lock = threading.Lock()

    @classmethod
    def of(
        cls,
        module: ModuleType,
        fixtures: Traversable | None = None,
        schemas: Traversable | None = None,
    ) -> MockService:
        """The service a generated agent module declares (its ENDPOINT, SOAP_VERSION and
        operations); its samples in ``fixtures/<agent>/``, its schema in
        ``schemas/<agent>/all.xsd``."""
        agent = module.__name__.rpartition(".")[2]
        ops = [v for v in vars(module).values() if isinstance(v, Operation)]
        samples = fixtures / agent if fixtures is not None else None
        schema = schemas / agent if schemas is not None else None
        json_endpoint = any(
            isinstance(v, type) and issubclass(v, JsonServiceClient) and v is not JsonServiceClient
            for v in vars(module).values()
        )
        return cls(
            agent,
            module.ENDPOINT,
            module.SOAP_VERSION,
            ops,
            getattr(module, "ResponseHeaders", None),
            samples if samples is not None and samples.is_dir() else None,
            schema if schema is not None and (schema / "all.xsd").is_file() else None,
            json_endpoint,
        )

    def schema(self) -> etree.XMLSchema | None:
        """The WSDL's schema (compiled on first use), or None when the package has none."""
        if self.schema_folder is None:
            return None
        with self._lock:
            if self._schema is None:
                self._schema = compile_schema(self.schema_folder)
            return self._schema

    def schema_errors(self, elements: list[etree._Element]) -> list[str] | None:
        """What the schema finds wrong with each element, validated as a document root (None:
        the package ships no schema). One validation at a time: an XMLSchema's error log is
        shared by the threads that use it."""
        schema = self.schema()
        if schema is None:
            return None
        errors: list[str] = []
        with self._lock:
            for el in elements:
                if not schema.validate(el):
                    for e in cast("Iterable[Any]", schema.error_log):
                        errors.append(f"line {e.line}: {e.message}")
        return errors

    def sample(self, op: str) -> bytes | None:
        if self.samples is None:
            return None
        file = self.samples / f"{op}.response.xml"
        return file.read_bytes() if file.is_file() else None


class _FolderResolver(etree.Resolver):
    """Schema documents found in one folder (package data: a zip works too); nothing else is
    loaded (no network, no file outside it). Remembers the names it resolved."""

    def __init__(self, folder: Traversable) -> None:
        super().__init__()
        self.folder = folder
        self.resolved: set[str] = set()

    def resolve(self, system_url: str, public_id: str, context: Any = None) -> Any:
        name = system_url.replace("\\", "/").rpartition("/")[2]
        file = self.folder / name
        if name and file.is_file():
            self.resolved.add(name)
            return self.resolve_string(file.read_bytes(), context, base_url=name)
        return self.resolve_empty(context)  # type: ignore[attr-defined]  # (not in lxml-stubs)


_XS = "{http://www.w3.org/2001/XMLSchema}"
_COMPILE_TRIES = 5


def _imported(folder: Traversable) -> set[str]:
    """The files of the folder that all.xsd imports or includes, directly or not."""
    seen: set[str] = set()
    todo = ["all.xsd"]
    while todo:
        name = todo.pop()
        file = folder / name
        if not file.is_file():
            continue
        doc = etree.fromstring(file.read_bytes(), etree.XMLParser(resolve_entities=False))
        for el in doc.iter(f"{_XS}import", f"{_XS}include", f"{_XS}redefine"):
            found = (el.get("schemaLocation") or "").replace("\\", "/").rpartition("/")[2]
            if found and found not in seen:
                seen.add(found)
                todo.append(found)
    return seen


def compile_schema(folder: Traversable) -> etree.XMLSchema:
    """The schema of ``folder/all.xsd``, with every document it imports.

    lxml loads the documents a schema imports through one document loader per process, which
    each parse swaps in for its own parser: another thread parsing XML at the wrong moment can
    answer an import with its own (empty) resolution, and the schema compiles without that
    namespace ("no matching global declaration" for valid requests, now and then). So the
    resolver counts what it loaded, and an incomplete compilation (or one that failed for it)
    is done again."""
    expected = _imported(folder)
    for _ in range(_COMPILE_TRIES):
        resolver = _FolderResolver(folder)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        parser.resolvers.add(resolver)
        data = (folder / "all.xsd").read_bytes()
        try:
            schema = etree.XMLSchema(etree.parse(io.BytesIO(data), parser, base_url="all.xsd"))
        except etree.XMLSchemaParseError:
            if expected <= resolver.resolved:
                raise  # the schema itself is wrong, not its loading
            continue
        if expected <= resolver.resolved:
            return schema
    raise RuntimeError(
        f"mock server: the schema in {folder} lost some of its imports to XML parsing in other"
        f" threads {_COMPILE_TRIES} times"
    )


class MockCall:
    """A request the mock server received: where it went, what it carried, what the server
    found wrong with it (``errors``, empty for a valid request) and the status it answered."""

    def __init__(self, path: str, http_headers: dict[str, str], content: bytes) -> None:
        self.path, self.http_headers, self.content = path, http_headers, content
        self.agent = self.operation = self.action = ""
        self.soap_version = ""
        self.errors: list[str] = []
        self.status = 0
        self.headers: dict[str, etree._Element] = {}  # SOAP header elements, by local name
        self.body: etree._Element | None = None  # the Body's element
        self.json: Any = None  # the JSON body of a json/reply call
        self._op: Operation[Any, Any] | None = None
        self._arguments: dict[str, Any] | None = None

    @property
    def arguments(self) -> dict[str, Any]:
        """The call's arguments by parameter name, read with the generated types (as the
        client's method took them); WireError when the request cannot be read."""
        if self._arguments is None:
            if self._op is None or self.body is None:
                return {}
            self._arguments = self._op.arguments(self.body)
        return self._arguments

    def __repr__(self) -> str:  # the content holds credentials: never shown
        return (
            f"MockCall(agent={self.agent!r}, operation={self.operation!r}, status={self.status},"
            f" errors={len(self.errors)})"
        )
