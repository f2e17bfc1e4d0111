"""How the generated client reports what a real HTTP server answers, sync and async.

The client is the committed ``generated/superoffice/services88`` package; the server is an
``http.server.ThreadingHTTPServer`` on 127.0.0.1 (port 0) whose answer each test sets:
success, SOAP 1.1 and 1.2 faults, HTML error pages, malformed XML, a server too slow for the
client's timeout, a refused connection, an ``ExceptionInfo`` response header, and a user's own
``httpx`` client whose headers reach the server.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import pytest
from superoffice.services88 import AsyncNetServer, NetServer, NetServerError, SoapError, SoapFault
from superoffice.services88 import _runtime as rt
from superoffice.services88.ticket import (
    AsyncTicketAgent,
    TicketAgent,
    TicketBatchReplyData,
    TicketReadStatus,
    TicketSecurityLevel,
)

from stub_http import Reply, Request, StubServer, closed_port

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12 = "http://www.w3.org/2003/05/soap-envelope"
NS88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
TEXT_XML = "text/xml; charset=utf-8"

E = TypeVar("E", bound=BaseException)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = TEXT_XML
    delay: float = 0.0  # seconds the server waits before answering


@dataclass
class Server:
    url: str
    requests: list[Request] = field(default_factory=list)
    answer: Answer = field(default_factory=Answer)
    release: threading.Event = field(default_factory=threading.Event)

    def reply(self, body: bytes | str, status: int = 200, content_type: str = TEXT_XML) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.answer = Answer(status, data, content_type)


@pytest.fixture
def server() -> Iterator[Server]:
    state: Server

    def answer(_request: Request) -> Reply:
        now = state.answer
        if now.delay:
            state.release.wait(now.delay)  # released early when the test ends
        return Reply(now.status, now.body, now.content_type)

    with StubServer(answer) as stub:
        state = Server(stub.url + "/Cust12345", stub.requests)
        try:
            yield state
        finally:
            state.release.set()


# ------------------------------------------------------------------------------ helpers


def envelope(body: str, header: str = "", ns: str = SOAP11) -> str:
    head = f"<s:Header>{header}</s:Header>" if header else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{ns}" xmlns:n="{NS88}">{head}<s:Body>{body}</s:Body></s:Envelope>'
    )


def batch_reply_response(value: int) -> str:
    return envelope(
        f"<n:BatchReplyResponse><n:Response>{value}</n:Response></n:BatchReplyResponse>"
    )


FAULT11 = envelope(
    "<s:Fault><faultcode>s:Client</faultcode><faultstring>Ticket 42 is locked</faultstring>"
    "<faultactor>urn:ticket-service</faultactor>"
    "<detail><n:Why>locked by associate 7</n:Why></detail></s:Fault>"
)

FAULT12 = envelope(
    '<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode><s:Value xmlns:a="urn:app">a:Locked'
    "</s:Value></s:Subcode></s:Code>"
    '<s:Reason><s:Text xml:lang="de">Gesperrt</s:Text><s:Text xml:lang="en">Locked</s:Text></s:Reason>'
    "<s:Detail><n:Why>locked</n:Why></s:Detail></s:Fault>",
    ns=SOAP12,
)

EXCEPTION_INFO = envelope(
    "<n:BatchReplyResponse><n:Response>0</n:Response></n:BatchReplyResponse>",
    header=(
        "<n:ExceptionInfo><n:Message>No access to ticket 42</n:Message><n:StackTrace>at X</n:StackTrace>"
        "<n:FriendlyText>Sorry</n:FriendlyText><n:ExceptionType>SoSecurityException</n:ExceptionType>"
        "<n:Parameters><n:SoExceptionInfoParametersKeyValuePair><n:Key>id</n:Key><n:Value>42</n:Value>"
        "</n:SoExceptionInfoParametersKeyValuePair></n:Parameters></n:ExceptionInfo>"
        "<n:Succeeded>false</n:Succeeded>"
    ),
)

HTML_502 = (
    "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>Bad Gateway</h1><p>upstream ticket-svc unavailable</p></body></html>"
)


def reply_data() -> TicketBatchReplyData:
    return TicketBatchReplyData(
        ticket_ids=[1, 2],
        close_tickets=True,
        attachment_ids=[],
        html_body="<p>Thanks</p>",
        slevel=TicketSecurityLevel.EXTERNAL,
        time_spent=5,
        send_copy_to_customer=False,
    )


def call_sync(server: Server, **kwargs: Any) -> int:
    with NetServer(server.url, application_token="tok", ticket="7T:abc", **kwargs) as ns:
        return ns.ticket.batch_reply(reply_data())


async def _call_async(server: Server, **kwargs: Any) -> int:
    async with AsyncNetServer(
        server.url, application_token="tok", ticket="7T:abc", **kwargs
    ) as ans:
        return await ans.ticket.batch_reply(reply_data())


def call_async(server: Server, **kwargs: Any) -> int:
    return asyncio.run(_call_async(server, **kwargs))


CALLS = pytest.mark.parametrize("call", [call_sync, call_async], ids=["sync", "async"])
Call = Callable[..., int]


def raises(exc: type[E], call: Call, server: Server, **kwargs: Any) -> E:
    with pytest.raises(exc) as info:
        call(server, **kwargs)
    return info.value


# -------------------------------------------------------------------------------- tests


@CALLS
def test_success(server: Server, call: Call) -> None:
    server.reply(batch_reply_response(7))
    assert call(server) == 7
    (req,) = server.requests
    assert req.path == "/Cust12345/Remote/Services88/Ticket.svc"
    assert req.headers["SOAPAction"] == f'"{NS88}/Ticket/BatchReply"'
    root = rt.parse_xml(req.body)
    assert root.findtext(f"{{{SOAP11}}}Header/{{{NS88}}}ApplicationToken") == "tok"
    assert root.findtext(f"{{{SOAP11}}}Header/{{{NS88}}}Credentials/{{{NS88}}}Ticket") == "7T:abc"


@CALLS
def test_soap11_fault_with_http_500(server: Server, call: Call) -> None:
    server.reply(FAULT11, status=500)
    fault = raises(SoapFault, call, server)
    assert fault.code == f"{{{SOAP11}}}Client"
    assert fault.reason == "Ticket 42 is locked"
    assert fault.actor == "urn:ticket-service"
    assert fault.soap_version == "1.1"
    assert fault.status_code == 500
    assert fault.detail is not None
    assert fault.detail.findtext(f"{{{NS88}}}Why") == "locked by associate 7"
    assert "Ticket 42 is locked" in str(fault)


@CALLS
def test_soap12_fault_with_http_500(server: Server, call: Call) -> None:
    server.reply(FAULT12, status=500, content_type="application/soap+xml; charset=utf-8")
    fault = raises(SoapFault, call, server)
    assert fault.code == f"{{{SOAP12}}}Sender"
    assert fault.subcodes == ("{urn:app}Locked",)
    assert fault.reason == "Locked"  # the English text wins
    assert fault.soap_version == "1.2"
    assert fault.status_code == 500
    assert fault.detail is not None and fault.detail.findtext(f"{{{NS88}}}Why") == "locked"


def test_fault_with_http_200_is_still_a_fault(server: Server) -> None:
    server.reply(FAULT11, status=200)
    fault = raises(SoapFault, call_sync, server)
    assert fault.status_code == 200 and fault.reason == "Ticket 42 is locked"


@CALLS
def test_html_502_is_a_transport_error(server: Server, call: Call) -> None:
    server.reply(HTML_502, status=502, content_type="text/html")
    err = raises(rt.TransportError, call, server)
    assert not isinstance(err, SoapFault)
    assert err.status_code == 502
    assert "upstream ticket-svc unavailable" in err.body_excerpt
    assert "502" in str(err)


def test_plain_text_500_is_a_transport_error(server: Server) -> None:
    server.reply("Internal Server Error", status=500, content_type="text/plain")
    err = raises(rt.TransportError, call_sync, server)
    assert err.status_code == 500 and err.body_excerpt == "Internal Server Error"


def test_http_500_with_an_envelope_but_no_fault_is_a_transport_error(server: Server) -> None:
    server.reply(batch_reply_response(1), status=500)
    err = raises(rt.TransportError, call_sync, server)
    assert err.status_code == 500 and "BatchReplyResponse" in err.body_excerpt


@CALLS
def test_malformed_xml_with_200_is_malformed_response(server: Server, call: Call) -> None:
    server.reply(b"<s:Envelope xmlns:s='" + SOAP11.encode() + b"'><s:Body><oops></s:Body>")
    err = raises(rt.MalformedResponseError, call, server)
    assert "not well-formed" in str(err)
    assert err.body_excerpt.startswith("<s:Envelope")


def test_xml_that_is_no_envelope_is_malformed_response(server: Server) -> None:
    server.reply("<html><body>maintenance</body></html>")
    err = raises(rt.MalformedResponseError, call_sync, server)
    assert "not a SOAP 1.1 envelope" in str(err)


def test_empty_200_is_malformed_response(server: Server) -> None:
    server.reply(b"")
    raises(rt.MalformedResponseError, call_sync, server)


def test_wrong_response_element_is_malformed_response(server: Server) -> None:
    server.reply(envelope("<n:SomethingElseResponse/>"))
    err = raises(rt.MalformedResponseError, call_sync, server)
    assert "BatchReplyResponse" in str(err)


@CALLS
def test_timeout_is_a_transport_error(server: Server, call: Call) -> None:
    server.answer = Answer(body=batch_reply_response(1).encode(), delay=2.0)
    started = time.perf_counter()
    err = raises(rt.TransportError, call, server, timeout=0.3)
    assert time.perf_counter() - started < 1.5
    assert err.status_code is None and isinstance(err, rt.ReadTimeoutError)
    assert "timed out" in str(err) and "BatchReply" in str(err)


@CALLS
def test_refused_connection_is_a_transport_error(call: Call) -> None:
    with closed_port() as url:
        err = raises(rt.TransportError, call, Server(url))
    assert err.status_code is None and "failed" in str(err)
    assert isinstance(err, rt.NotDeliveredError) and err.delivered is False


def test_injected_httpx_client_sync(server: Server) -> None:
    server.reply(batch_reply_response(3))
    client = httpx.Client(headers={"Authorization": "Bearer user-token"}, timeout=5)
    with TicketAgent(server.url, ticket="7T:abc", transport=rt.HttpxTransport(client)) as agent:
        assert agent.batch_reply(reply_data()) == 3
    with NetServer(server.url, transport=rt.HttpxTransport(client)) as ns:
        assert ns.ticket.batch_reply(reply_data()) == 3
    assert not client.is_closed  # the user's client stays the user's
    client.close()
    assert [r.headers["Authorization"] for r in server.requests] == ["Bearer user-token"] * 2
    assert server.requests[0].headers["SOAPAction"] == f'"{NS88}/Ticket/BatchReply"'


def test_injected_httpx_client_async(server: Server) -> None:
    server.reply(batch_reply_response(4))

    async def run() -> tuple[int, int, bool]:
        client = httpx.AsyncClient(headers={"Authorization": "Bearer async-token"}, timeout=5)
        transport = rt.AsyncHttpxTransport(client)
        async with AsyncTicketAgent(server.url, transport=transport) as agent:
            first = await agent.batch_reply(reply_data())
        async with AsyncNetServer(server.url, transport=transport) as ans:
            second = await ans.ticket.batch_reply(reply_data())
        still_open = not client.is_closed
        await client.aclose()
        return first, second, still_open

    assert asyncio.run(run()) == (4, 4, True)
    assert [r.headers["Authorization"] for r in server.requests] == ["Bearer async-token"] * 2


@CALLS
def test_exception_info_header_raises_net_server_error(server: Server, call: Call) -> None:
    server.reply(EXCEPTION_INFO)
    err = raises(NetServerError, call, server)
    assert isinstance(err, SoapError)
    assert err.message == "No access to ticket 42"
    assert err.exception_type == "SoSecurityException"
    assert err.parameters == {"id": "42"}
    assert str(err) == "No access to ticket 42"


def test_response_headers_are_kept_after_net_server_error(server: Server) -> None:
    server.reply(EXCEPTION_INFO)
    agent = TicketAgent(server.url)
    with pytest.raises(NetServerError):
        agent.batch_reply(reply_data())
    headers = agent.last_response_headers
    assert headers is not None and headers.succeeded is False
    assert headers.exception_info is not None
    assert headers.exception_info.friendly_text == "Sorry"


def test_nil_exception_info_is_no_error(server: Server) -> None:
    server.reply(
        envelope(
            "<n:BatchReplyResponse><n:Response>5</n:Response></n:BatchReplyResponse>",
            header=(
                '<n:ExceptionInfo xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:nil="true"/>'
                "<n:Succeeded>true</n:Succeeded>"
            ),
        )
    )
    agent = TicketAgent(server.url)
    assert agent.batch_reply(reply_data()) == 5
    assert agent.last_response_headers is not None
    assert agent.last_response_headers.succeeded is True
    assert agent.last_response_headers.exception_info is None


def _with_exception_info(info: str) -> str:
    return envelope(
        "<n:BatchReplyResponse><n:Response>5</n:Response></n:BatchReplyResponse>",
        header=f'<n:ExceptionInfo xmlns:i="http://www.w3.org/2001/XMLSchema-instance">{info}'
        "</n:ExceptionInfo><n:Succeeded>true</n:Succeeded>",
    )


@pytest.mark.parametrize(
    "info",
    [
        "",
        '<n:Message i:nil="true"/><n:StackTrace/><n:ExceptionType i:nil="true"/>',
        "<n:Message></n:Message><n:Parameters/><n:InnerException><n:Message/></n:InnerException>",
    ],
    ids=["empty", "nil-fields", "empty-fields"],
)
def test_present_but_empty_exception_info_is_no_error(server: Server, info: str) -> None:
    """An ExceptionInfo whose fields are all absent, nil or empty reports no error: WCF
    services may send a default one with every reply. It stays readable on the headers."""
    server.reply(_with_exception_info(info))
    agent = TicketAgent(server.url)
    assert agent.batch_reply(reply_data()) == 5
    headers = agent.last_response_headers
    assert headers is not None and headers.exception_info is not None
    assert not rt.carries_error(headers.exception_info)


@CALLS
def test_exception_info_with_a_message_is_an_error(server: Server, call: Call) -> None:
    server.reply(_with_exception_info("<n:Message>Ticket 42 is locked</n:Message>"))
    err = raises(NetServerError, call, server)
    assert str(err) == "Ticket 42 is locked" and err.exception_type is None


@CALLS
def test_exception_info_with_only_an_exception_type_is_an_error(server: Server, call: Call) -> None:
    server.reply(_with_exception_info("<n:ExceptionType>SoSecurityException</n:ExceptionType>"))
    err = raises(NetServerError, call, server)
    assert err.message is None and err.exception_type == "SoSecurityException"
    assert str(err) == "SoSecurityException (the service sent no message)"


def test_net_server_error_messages_are_never_empty(server: Server) -> None:
    cases = {
        "<n:FriendlyText>Sorry</n:FriendlyText>": "Sorry",
        "<n:Message> </n:Message><n:FriendlyText>Sorry</n:FriendlyText>": "Sorry",
        "<n:Source>db</n:Source>": "SoExceptionInfo reports an error without a message: ",
        "<n:Parameters><n:SoExceptionInfoParametersKeyValuePair><n:Key>id</n:Key>"
        "<n:Value>42</n:Value></n:SoExceptionInfoParametersKeyValuePair></n:Parameters>": (
            "SoExceptionInfo reports an error without a message: "
        ),
    }
    for info, message in cases.items():
        server.reply(_with_exception_info(info))
        err = raises(NetServerError, call_sync, server)
        assert str(err).startswith(message), str(err)


def test_wrong_argument_types_fail_before_sending(server: Server) -> None:
    """A TypeError naming the operation, the parameter, the type expected and the one given,
    raised before anything is sent."""
    agent = TicketAgent(server.url, ticket="7T:abc")
    cases: list[tuple[Callable[[], object], str]] = [
        (
            lambda: agent.get_ticket_entity("abc"),  # type: ignore[arg-type]
            "GetTicketEntity: ticket_entity_id must be xs:int, not str ('abc')",
        ),
        (
            lambda: agent.get_ticket_entity(True),
            "GetTicketEntity: ticket_entity_id must be xs:int, not bool (True)",
        ),
        (
            lambda: agent.update_tickets_read_status([1], "Green"),  # type: ignore[arg-type]
            "UpdateTicketsReadStatus: new_status must be TicketReadStatus, not str ('Green')",
        ),
        (
            lambda: agent.update_tickets_read_status(["1"], TicketReadStatus.GREEN),  # type: ignore[list-item]
            "UpdateTicketsReadStatus: ticket_ids[0] must be xs:int, not str ('1')",
        ),
        (  # inside a record: found when writing fails, before anything is sent
            lambda: agent.batch_reply(
                TicketBatchReplyData(slevel="External")  # type: ignore[arg-type]
            ),
            "BatchReply: batch_reply_data.slevel must be TicketSecurityLevel, not str ('External')",
        ),
        (
            lambda: agent.batch_reply(TicketBatchReplyData(ticket_ids=[1, "2"])),  # type: ignore[list-item]
            "BatchReply: batch_reply_data.ticket_ids[1] must be xs:int, not str ('2')",
        ),
        (
            lambda: agent.batch_reply(TicketSecurityLevel.EXTERNAL),  # type: ignore[arg-type]
            "BatchReply: batch_reply_data must be TicketBatchReplyData, not TicketSecurityLevel",
        ),
    ]
    for make_call, message in cases:
        with pytest.raises(TypeError) as info:
            make_call()
        assert str(info.value).startswith(message), str(info.value)
    assert server.requests == []


def test_every_error_is_a_soap_error() -> None:
    for cls in (SoapFault, rt.TransportError, rt.MalformedResponseError, NetServerError):
        assert issubclass(cls, SoapError)
