"""The generated Coruson (ServiceStack) client against a real HTTP server on 127.0.0.1:
SOAP 1.2 at /soap12 and JSON at /json/reply/<Operation>, sync and async; ResponseStatus errors."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from coruson.v1 import ServiceStackError
from coruson.v1.coruson import AsyncCorusonJsonAgent, CorusonAgent, CorusonJsonAgent
from coruson.v1.types import ImportReportsStatus, ImportReportsStatusResponse
from lxml import etree

from stub_http import Reply, Request, StubServer

FIXTURES = (
    Path(__file__).resolve().parents[1] / "generated" / "coruson" / "v1" / "fixtures" / "coruson"
)
IMPORT_ID = uuid.UUID("3f2af04c-445e-4c72-8f00-000000000001")


class Server(StubServer):
    """Answers each path with `replies[path]` (status, content type, body)."""

    def __init__(self) -> None:
        self.replies: dict[str, tuple[int, str, bytes]] = {}
        super().__init__(self._answer)

    def _answer(self, request: Request) -> Reply:
        status, content_type, body = self.replies[request.path]
        return Reply(status, body, content_type)


@pytest.fixture
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


def _ok_soap_reply() -> bytes:
    sample = (FIXTURES / "ImportReportsStatus.response.xml").read_bytes()
    # the doc sample reports an error (ErrorCode "String"); a successful reply has none
    return sample.replace(b"<ErrorCode>String</ErrorCode>", b"", 1)


def test_soap12_against_real_server(server: Server) -> None:
    server.replies["/soap12"] = (200, "application/xml", _ok_soap_reply())
    with CorusonAgent(server.url) as client:
        result = client.import_reports_status(ImportReportsStatus(import_id=IMPORT_ID, version=2))
    assert isinstance(result, ImportReportsStatusResponse)
    assert result.imported_reports == {uuid.UUID(int=0): "String"} and result.total_reports == 0
    path, headers, body = server.requests[0]
    assert path == "/soap12"
    assert (
        headers["Content-Type"]
        == 'application/soap+xml; charset=utf-8; action="ImportReportsStatus"'
    )
    root = etree.fromstring(body)
    ns = "{http://schemas.servicestack.net/types}"
    request = root.find(f"{{http://www.w3.org/2003/05/soap-envelope}}Body/{ns}ImportReportsStatus")
    assert request is not None
    assert [(c.tag, c.text) for c in request] == [
        (f"{ns}Version", "2"),
        (f"{ns}ImportId", str(IMPORT_ID)),
    ]


def test_soap12_error_status_carries_response_status(server: Server) -> None:
    server.replies["/soap12"] = (
        500,
        "application/xml",
        (FIXTURES / "ImportReportsStatus.response.xml").read_bytes(),
    )
    with pytest.raises(ServiceStackError) as info:
        CorusonAgent(server.url).import_reports_status(ImportReportsStatus(import_id=IMPORT_ID))
    assert info.value.error_code == "String" and info.value.message == "String"
    assert isinstance(info.value.response, ImportReportsStatusResponse)


def test_json_sync_and_async_against_real_server(server: Server) -> None:
    reply = {
        "ImportedReports": {IMPORT_ID.hex: "Quarterly"},
        "TotalReportsImported": 1,
        "TotalReports": 2,
        "StatusDescription": "Done",
    }
    server.replies["/json/reply/ImportReportsStatus"] = (
        200,
        "application/json",
        json.dumps(reply).encode(),
    )
    with CorusonJsonAgent(server.url) as client:
        result = client.import_reports_status(ImportReportsStatus(import_id=IMPORT_ID, version=3))
    assert result.imported_reports == {IMPORT_ID: "Quarterly"} and result.total_reports == 2
    assert result.status_description == "Done" and result.response_status is None
    path, headers, body = server.requests[0]
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == {"Version": 3, "ImportId": IMPORT_ID.hex}

    async def run() -> ImportReportsStatusResponse:
        async with AsyncCorusonJsonAgent(server.url) as aclient:
            return await aclient.import_reports_status(ImportReportsStatus(import_id=IMPORT_ID))

    assert asyncio.run(run()).total_reports_imported == 1


def test_json_camel_case_and_error_response(server: Server) -> None:
    error = {"responseStatus": {"errorCode": "NotFound", "message": "No such import", "errors": []}}
    server.replies["/json/reply/ImportReportsStatus"] = (
        404,
        "application/json",
        json.dumps(error).encode(),
    )
    with pytest.raises(ServiceStackError) as info:
        CorusonJsonAgent(server.url).import_reports_status(ImportReportsStatus(import_id=IMPORT_ID))
    assert info.value.error_code == "NotFound" and str(info.value) == "No such import"
