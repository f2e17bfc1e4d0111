"""The generated clients against a real HTTP server on 127.0.0.1 answering doc response samples."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from superoffice.services88 import AsyncNetServer, NetServer, NetServerError, SoapFault, testing
from superoffice.services88.ticket import TicketBatchReplyData, TicketSecurityLevel

from stub_http import Reply, StubServer

GENERATED = Path(__file__).resolve().parents[1] / "generated" / "superoffice" / "services88"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"


class _Server(StubServer):
    """Answers every POST with `status` and `body`."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b""
        super().__init__(lambda _request: Reply(self.status, self.body))
        self.url += "/Cust12345"


@pytest.fixture
def server() -> Iterator[_Server]:
    with _Server() as s:
        yield s


def _doc_response(op: str) -> bytes:
    return (GENERATED / "fixtures" / "ticket" / f"{op}.response.xml").read_bytes()


def _reply_data() -> TicketBatchReplyData:
    return TicketBatchReplyData(
        ticket_ids=[1, 2],
        close_tickets=True,
        attachment_ids=[],
        html_body="<p>Thanks & bye</p>",
        slevel=TicketSecurityLevel.EXTERNAL,
        time_spent=5,
        send_copy_to_customer=False,
    )


def test_sync_client_against_real_server(server: _Server) -> None:
    server.body = _doc_response("BatchReply").replace(b">0</", b">7</")
    with NetServer(server.url, application_token="tok-1", ticket="7T:abc") as ns:
        assert ns.ticket.batch_reply(_reply_data()) == 7
    path, headers, body = server.requests[0]
    assert path == "/Cust12345/Remote/Services88/Ticket.svc"
    assert (
        headers["SOAPAction"]
        == '"http://www.superoffice.net/ws/crm/NetServer/Services88/Ticket/BatchReply"'
    )
    assert headers["Content-Type"].startswith("text/xml")
    root = testing._rt.parse_xml(body)
    assert root.tag == f"{{{SOAP11}}}Envelope"
    ns88 = "{http://www.superoffice.net/ws/crm/NetServer/Services88}"
    header = root.find(f"{{{SOAP11}}}Header")
    assert header is not None
    assert header.findtext(f"{ns88}ApplicationToken") == "tok-1"
    assert header.findtext(f"{ns88}Credentials/{ns88}Ticket") == "7T:abc"
    data = root.find(f"{{{SOAP11}}}Body/{ns88}BatchReply/{ns88}BatchReplyData")
    assert data is not None
    assert data.findtext(f"{ns88}HtmlBody") == "<p>Thanks & bye</p>"
    assert data.findtext(f"{ns88}Slevel") == "External"
    assert [e.text for e in data.find(f"{ns88}TicketIds")] == ["1", "2"]


def test_async_client_against_real_server(server: _Server) -> None:
    server.body = _doc_response("BatchReply")

    async def run() -> int:
        async with AsyncNetServer(server.url, application_token="t", ticket="x") as ans:
            return await ans.ticket.batch_reply(_reply_data())

    assert asyncio.run(run()) == 0
    assert len(server.requests) == 1


def test_typed_entity_parsed_from_real_server(server: _Server) -> None:
    server.body = _doc_response("GetTicketEntity")
    entity = NetServer(server.url).ticket.get_ticket_entity(42)
    assert entity is not None
    assert type(entity).__name__ == "TicketEntity"
    assert isinstance(entity.ticket_id, int)


def test_soap_fault_from_real_server(server: _Server) -> None:
    server.status = 500
    server.body = (
        f'<s:Envelope xmlns:s="{SOAP11}"><s:Body><s:Fault><faultcode>s:Client</faultcode>'
        "<faultstring>Ticket is invalid</faultstring></s:Fault></s:Body></s:Envelope>"
    ).encode()
    with pytest.raises(SoapFault) as info:
        NetServer(server.url).ticket.batch_reply(_reply_data())
    assert info.value.reason == "Ticket is invalid"
    assert info.value.code == f"{{{SOAP11}}}Client"


def test_exception_info_header_raises_typed_error(server: _Server) -> None:
    ns88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
    server.body = (
        f'<s:Envelope xmlns:s="{SOAP11}" xmlns:n="{ns88}"><s:Header><n:ExceptionInfo>'
        "<n:Message>No access</n:Message><n:StackTrace></n:StackTrace><n:FriendlyText>x</n:FriendlyText>"
        "<n:ExceptionType>SoSecurityException</n:ExceptionType>"
        "<n:Parameters><n:SoExceptionInfoParametersKeyValuePair><n:Key>id</n:Key><n:Value>42</n:Value>"
        "</n:SoExceptionInfoParametersKeyValuePair></n:Parameters>"
        "</n:ExceptionInfo></s:Header><s:Body><n:BatchReplyResponse><n:Response>0</n:Response>"
        "</n:BatchReplyResponse></s:Body></s:Envelope>"
    ).encode()
    with pytest.raises(NetServerError) as info:
        NetServer(server.url).ticket.batch_reply(_reply_data())
    assert info.value.message == "No access"
    assert info.value.exception_type == "SoSecurityException"
    assert info.value.parameters == {"id": "42"}


def test_replay_transport_answers_every_documented_operation() -> None:
    ns = NetServer("http://replay.invalid", transport=testing.replay())
    assert ns.ticket.batch_reply(_reply_data()) == 0
    with pytest.raises(testing._rt.UnexpectedCallError):
        testing._rt.ReplayTransport({}).send(
            testing._rt.SoapCall("http://x", "Nope", "", "1.1", b"<x/>")
        )
