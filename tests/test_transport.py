"""The transport and its errors against a real HTTP server on 127.0.0.1, sync and async.

The clients are the committed generated packages (``superoffice.services88``, ``coruson.v1``);
the server is an ``http.server.ThreadingHTTPServer`` whose behaviour each test scripts:
redirects and body-less statuses, timeouts and dropped connections (delivered or not),
``Retry-After``, an overall deadline against a server trickling its answer, reply size and
parser limits, and secrets kept out of messages and reprs.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email.utils
import http.server
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from coruson.v1 import _runtime as crt
from coruson.v1.coruson import AsyncCorusonJsonAgent, CorusonJsonAgent
from coruson.v1.types import ImportReportsStatus
from superoffice.services88 import AsyncNetServer, NetServer
from superoffice.services88 import _runtime as rt
from superoffice.services88.ticket import (
    AsyncTicketAgent,
    SoCredentials,
    SoTimeZone,
    TicketAgent,
    TicketBatchReplyData,
    TicketSecurityLevel,
)

from stub_http import closed_port

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
TEXT_XML = "text/xml; charset=utf-8"

E = TypeVar("E", bound=BaseException)
Respond = Callable[[http.server.BaseHTTPRequestHandler], None]


# ------------------------------------------------------------------------------- server


class Server:
    """Each request: its body is read (unless read_body is False), it is recorded, and
    `respond` writes whatever the test wants to the connection."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, dict[str, str], bytes]] = []
        self.connections = 0
        self.read_body = True
        self.respond: Respond = reply(200, b"")
        self.release = threading.Event()  # set at teardown: slow handlers stop
        state = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_state = state

            def setup(self) -> None:
                super().setup()
                state.connections += 1

            def do_POST(self) -> None:  # noqa: N802
                data = b""
                if state.read_body:
                    data = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                state.requests.append((self.path, dict(self.headers), data))
                try:
                    state.respond(self)
                except OSError:  # the client gave up and closed the connection
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.url = self.base + "/Cust12345"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    try:
        yield s
    finally:
        s.close()


def reply(
    status: int,
    body: bytes | str,
    *,
    headers: tuple[tuple[str, str], ...] = (),
    content_type: str = TEXT_XML,
    length: bool = True,
    delay: float = 0.0,
) -> Respond:
    data = body.encode() if isinstance(body, str) else body

    def respond(h: http.server.BaseHTTPRequestHandler) -> None:
        if delay and h.server_state.release.wait(delay):  # type: ignore[attr-defined]
            return
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        for name, value in headers:
            h.send_header(name, value)
        if length:
            h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        h.wfile.write(data)

    return respond


def trickle_body(server: Server, every: float = 0.2, total: int = 100) -> Respond:
    """A 200 announcing `total` bytes, sent one byte every `every` seconds."""

    def respond(h: http.server.BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", TEXT_XML)
        h.send_header("Content-Length", str(total))
        h.end_headers()
        for _ in range(total):
            if server.release.wait(every):
                return
            h.wfile.write(b" ")
        h.close_connection = True

    return respond


def trickle_head(server: Server, every: float = 0.2) -> Respond:
    """The status line and headers, one byte every `every` seconds, for ever."""

    def respond(h: http.server.BaseHTTPRequestHandler) -> None:
        head = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10_000
        for byte in head:
            if server.release.wait(every):
                break
            h.wfile.write(bytes([byte]))
        h.close_connection = True

    return respond


def hang_up(h: http.server.BaseHTTPRequestHandler) -> None:
    """Close the connection without an answer (after reading the request)."""
    h.close_connection = True


def reset(h: http.server.BaseHTTPRequestHandler) -> None:
    """Reset the connection at once (SO_LINGER 0), the request body unread."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


# ------------------------------------------------------------------------------ clients


def envelope(body: str, header: str = "") -> str:
    head = f"<s:Header>{header}</s:Header>" if header else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?>'
        f'<s:Envelope xmlns:s="{SOAP11}" xmlns:n="{NS88}">{head}<s:Body>{body}</s:Body></s:Envelope>'
    )


def batch_reply_response(value: int) -> str:
    return envelope(
        f"<n:BatchReplyResponse><n:Response>{value}</n:Response></n:BatchReplyResponse>"
    )


def reply_data(html_body: str = "<p>Thanks</p>") -> TicketBatchReplyData:
    return TicketBatchReplyData(
        ticket_ids=[1, 2],
        close_tickets=True,
        attachment_ids=[],
        html_body=html_body,
        slevel=TicketSecurityLevel.EXTERNAL,
        time_spent=5,
        send_copy_to_customer=False,
    )


Call = Callable[..., Any]


# a one-way operation (no output message: nothing is read from a reply), for the Ticket endpoint
ONE_WAY = rt.Operation(
    "DeleteTicketEntity",
    "http://www.superoffice.net/ws/crm/NetServer/Services88/Ticket/DeleteTicketEntity",
    (),
    lambda ticket_entity_id: f"<t:DeleteTicketEntity xmlns:t='urn:t'>{ticket_entity_id}</t:DeleteTicketEntity>",
    (("ticket_entity_id", rt.scalar("int", int), "{urn:t}TicketEntityId"),),
    None,
    rt.nothing(),
)


def call_sync(url: str, method: str, *args: Any, **options: Any) -> Any:
    client = options.pop("client", None)
    with rt.HttpxTransport(client, **options) as transport:
        agent = TicketAgent(url, transport=transport)
        if method == "one_way":
            return agent._call(ONE_WAY, *args)
        return getattr(agent, method)(*args)


def call_async(url: str, method: str, *args: Any, **options: Any) -> Any:
    async def run() -> Any:
        async with rt.AsyncHttpxTransport(**options) as transport:
            agent = AsyncTicketAgent(url, transport=transport)
            if method == "one_way":
                return await agent._acall(ONE_WAY, *args)
            return await getattr(agent, method)(*args)

    return asyncio.run(run())


CALLS = pytest.mark.parametrize("call", [call_sync, call_async], ids=["sync", "async"])


def raises(cls: type[E], fn: Call, *args: Any, **kwargs: Any) -> E:
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    return info.value


def batch_reply(call: Call, url: str, **options: Any) -> Any:
    return call(url, "batch_reply", reply_data(), **options)


# --------------------------------------------------------- 1. redirects, body-less statuses


@CALLS
@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_redirect_is_a_transport_error_naming_status_and_location(
    server: Server, call: Call, status: int
) -> None:
    server.respond = reply(
        status,
        "<html>moved</html>",
        headers=(("Location", "https://new.example.com/Cust12345/Remote/Services88/Ticket.svc"),),
        content_type="text/html",
    )
    err = raises(rt.TransportError, batch_reply, call, server.url)
    assert type(err) is rt.TransportError  # an HTTP answer: neither not-delivered nor no-answer
    assert err.status_code == status and err.delivered is True
    assert err.location == "https://new.example.com/Cust12345/Remote/Services88/Ticket.svc"
    message = str(err)
    assert f"HTTP {status}" in message and err.location in message
    assert "BatchReply" in message and server.url in message
    assert err.body_excerpt == "<html>moved</html>"
    assert len(server.requests) == 1  # not followed


def test_redirect_is_not_followed_even_by_a_client_that_follows(server: Server) -> None:
    server.respond = reply(307, b"", headers=(("Location", server.url + "/elsewhere"),))
    with httpx.Client(follow_redirects=True, timeout=5) as client:
        err = raises(rt.TransportError, batch_reply, call_sync, server.url, client=client)
    assert err.status_code == 307 and err.location == server.url + "/elsewhere"
    assert len(server.requests) == 1


@CALLS
def test_redirect_without_location_and_304(server: Server, call: Call) -> None:
    server.respond = reply(302, b"")
    err = raises(rt.TransportError, batch_reply, call, server.url)
    assert err.status_code == 302 and err.location is None and "without a Location" in str(err)
    server.respond = reply(304, b"", length=False)
    err = raises(rt.TransportError, batch_reply, call, server.url)
    assert err.status_code == 304 and "HTTP 304" in str(err)


@CALLS
@pytest.mark.parametrize("status", [200, 202, 204])
def test_empty_answer_to_a_one_way_operation_is_success(
    server: Server, call: Call, status: int
) -> None:
    server.respond = reply(status, b"", length=status != 204)
    assert call(server.url, "one_way", 42) is None
    assert b"DeleteTicketEntity" in server.requests[0][2]


@CALLS
@pytest.mark.parametrize("status", [202, 204])
def test_empty_answer_where_a_reply_is_expected_names_the_status(
    server: Server, call: Call, status: int
) -> None:
    server.respond = reply(status, b"", length=status != 204)
    err = raises(rt.TransportError, batch_reply, call, server.url)
    assert err.status_code == status
    assert f"HTTP {status}" in str(err) and "empty body" in str(err) and "BatchReply" in str(err)


def test_empty_200_where_a_reply_is_expected_is_malformed(server: Server) -> None:
    server.respond = reply(200, b"")
    err = raises(rt.MalformedResponseError, batch_reply, call_sync, server.url)
    assert "HTTP 200 with an empty body" in str(err) and "BatchReply" in str(err)


@CALLS
def test_one_way_operation_still_reads_a_fault(server: Server, call: Call) -> None:
    fault = envelope(
        "<s:Fault><faultcode>s:Client</faultcode><faultstring>No such ticket</faultstring></s:Fault>"
    )
    server.respond = reply(500, fault)
    err = raises(rt.SoapFault, call, server.url, "delete_ticket_entity", 42)
    assert err.reason == "No such ticket"


# ---------------------------------------------------------------- 2. what kind of failure


@CALLS
def test_read_timeout_is_a_no_answer_timeout(server: Server, call: Call) -> None:
    server.respond = reply(200, batch_reply_response(1), delay=3.0)
    started = time.perf_counter()
    err = raises(rt.ReadTimeoutError, batch_reply, call, server.url, timeout=0.3)
    assert time.perf_counter() - started < 2.0
    assert isinstance(err, rt.TransportTimeoutError) and isinstance(err, rt.NoAnswerError)
    assert not isinstance(err, rt.NotDeliveredError)
    assert err.status_code is None and err.delivered is None
    assert "timed out" in str(err) and "BatchReply" in str(err) and server.url in str(err)
    assert err.operation == "BatchReply" and err.url.startswith(server.url)
    assert len(server.requests) == 1  # it did reach the server


@CALLS
def test_refused_connection_is_not_delivered(call: Call) -> None:
    with closed_port() as url:
        err = raises(rt.NotDeliveredError, batch_reply, call, url)
    assert not isinstance(err, rt.TransportTimeoutError)
    assert err.status_code is None and err.delivered is False
    assert "not delivered" in str(err) and "BatchReply" in str(err)


@CALLS
def test_unknown_host_is_not_delivered(call: Call) -> None:
    err = raises(
        rt.NotDeliveredError, batch_reply, call, "http://no-such-host.invalid/C", timeout=5
    )
    assert err.delivered is False and "no-such-host.invalid" in str(err)


@pytest.mark.skipif(sys.platform != "linux", reason="a full accept queue drops SYNs on Linux")
@CALLS
def test_connect_timeout_is_not_delivered(call: Call) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    filler = socket.create_connection(listener.getsockname())  # the accept queue is full now
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/Cust12345"
        err = raises(rt.ConnectTimeoutError, batch_reply, call, url, timeout=0.3)
    finally:
        filler.close()
        listener.close()
    assert isinstance(err, rt.NotDeliveredError) and isinstance(err, rt.TransportTimeoutError)
    assert err.delivered is False and "timed out before it was sent" in str(err)


def test_waiting_for_a_pooled_connection_is_not_delivered(server: Server) -> None:
    server.respond = reply(200, batch_reply_response(1), delay=1.5)
    client = httpx.Client(
        timeout=httpx.Timeout(5, pool=0.2), limits=httpx.Limits(max_connections=1)
    )
    with rt.HttpxTransport(client) as transport:
        agent = TicketAgent(server.url, transport=transport)
        busy = threading.Thread(target=agent.batch_reply, args=(reply_data(),))
        busy.start()
        while not server.requests:
            time.sleep(0.01)
        err = raises(rt.ConnectTimeoutError, agent.batch_reply, reply_data())
        busy.join()
    client.close()
    assert err.delivered is False
    assert len(server.requests) == 1  # the second call never reached the server


@CALLS
def test_connection_dropped_after_sending_is_no_answer(server: Server, call: Call) -> None:
    server.respond = hang_up
    err = raises(rt.NoAnswerError, batch_reply, call, server.url)
    assert not isinstance(err, rt.TransportTimeoutError)
    assert err.delivered is None and err.status_code is None
    assert "the server may have acted" in str(err)
    assert len(server.requests) == 1


@CALLS
def test_request_cut_off_while_sending_is_not_delivered(server: Server, call: Call) -> None:
    """The server resets the connection before reading the (large) request: the request never
    arrived whole, so the server cannot have acted on it. asyncio buffers what it writes, so
    the async transport does not always see the write fail: then it says "no answer", the
    cautious verdict, never "not delivered" for a request that may have arrived."""
    server.read_body = False
    server.respond = reset
    big = reply_data("x" * 20_000_000)
    err = raises(rt.TransportError, call, server.url, "batch_reply", big)
    if call is call_sync:
        assert isinstance(err, rt.NotDeliveredError) and err.delivered is False
    else:
        assert isinstance(err, (rt.NotDeliveredError, rt.NoAnswerError))
    assert err.status_code is None
    assert [body for _, _, body in server.requests] == [b""]


@CALLS
def test_stale_keep_alive_connection_is_replaced(server: Server, call: Call) -> None:
    """The server closes an idle keep-alive connection: the next call goes out on a new one
    (httpcore sees the closed connection before sending), no error."""

    def once(h: http.server.BaseHTTPRequestHandler) -> None:
        reply(200, batch_reply_response(len(server.requests)))(h)
        h.close_connection = True  # closed after answering, as an idle timeout would

    server.respond = once

    if call is call_sync:
        with rt.HttpxTransport() as transport:
            agent = TicketAgent(server.url, transport=transport)
            assert agent.batch_reply(reply_data()) == 1
            time.sleep(0.2)
            assert agent.batch_reply(reply_data()) == 2
    else:

        async def run() -> None:
            async with rt.AsyncHttpxTransport() as transport:
                agent = AsyncTicketAgent(server.url, transport=transport)
                assert await agent.batch_reply(reply_data()) == 1
                await asyncio.sleep(0.2)
                assert await agent.batch_reply(reply_data()) == 2

        asyncio.run(run())
    assert server.connections == 2


@pytest.mark.parametrize(
    ("raised", "expected", "delivered"),
    [
        (httpx.ConnectError("refused"), rt.NotDeliveredError, False),
        (httpx.ConnectTimeout("slow"), rt.ConnectTimeoutError, False),
        (httpx.ReadTimeout("slow"), rt.ReadTimeoutError, None),
        (httpx.RemoteProtocolError("gone"), rt.NoAnswerError, None),
    ],
)
def test_httpx_transport_without_httpcore_judged_by_the_error(
    raised: Exception, expected: type[rt.TransportError], delivered: bool | None
) -> None:
    """A user's httpx transport (here a MockTransport) reports no progress: the kind of httpx
    error decides, "not delivered" only for errors that happen before sending."""

    def handler(request: httpx.Request) -> httpx.Response:
        raise raised

    client = httpx.Client(transport=httpx.MockTransport(handler))
    err = raises(
        expected, call_sync, "http://h.invalid/C", "delete_ticket_entity", 1, client=client
    )
    assert type(err) is expected and err.delivered is delivered


def test_every_error_class_is_a_soap_error() -> None:
    classes = [
        rt.TransportError,
        rt.NotDeliveredError,
        rt.NoAnswerError,
        rt.TransportTimeoutError,
        rt.ConnectTimeoutError,
        rt.ReadTimeoutError,
        rt.MalformedResponseError,
        rt.ResponseTooLargeError,
    ]
    for cls in classes:
        assert issubclass(cls, rt.SoapError)
    assert rt.TransportError("x", status_code=500).delivered is True
    assert rt.NotDeliveredError("x").delivered is False
    assert rt.NoAnswerError("x").delivered is None and rt.NoAnswerError("x").status_code is None


# ------------------------------------------------------------------------- 3. Retry-After


@CALLS
def test_retry_after_seconds_on_503(server: Server, call: Call) -> None:
    server.respond = reply(
        503, "busy", headers=(("Retry-After", "120"),), content_type="text/plain"
    )
    err = raises(rt.TransportError, batch_reply, call, server.url)
    assert err.status_code == 503 and err.retry_after == 120.0
    assert "Retry-After: 120 s" in str(err) and err.body_excerpt == "busy"
    assert err.headers["retry-after"] == "120"


@CALLS
def test_retry_after_http_date_on_429(server: Server, call: Call) -> None:
    when = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=90)
    server.respond = reply(
        429, "", headers=(("Retry-After", email.utils.format_datetime(when, usegmt=True)),)
    )
    err = raises(rt.TransportError, batch_reply, call, server.url)
    assert err.status_code == 429
    assert err.retry_after is not None and 80 <= err.retry_after <= 91


def test_retry_after_values() -> None:
    parse = rt.parse_retry_after
    assert parse(None) is None and parse("") is None and parse("soon") is None
    assert parse(" 0 ") == 0.0 and parse("3600") == 3600.0
    assert parse("-5") is None and parse("1.5") is None and parse("9" * 40) is None
    assert parse("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert parse("Sun, 06 Nov 1994 08:49:37 +0000") == 0.0


def test_no_retry_after_on_a_plain_500(server: Server) -> None:
    server.respond = reply(500, "Internal Server Error", content_type="text/plain")
    err = raises(rt.TransportError, batch_reply, call_sync, server.url)
    assert err.retry_after is None and err.body_excerpt == "Internal Server Error"


# ------------------------------------------------------------------ 4. overall deadline


@CALLS
def test_deadline_bounds_a_trickled_body(server: Server, call: Call) -> None:
    """One byte every 0.2 s keeps every per-phase timeout (5 s) happy for 20 s; the deadline
    ends the call after 1 s."""
    server.respond = trickle_body(server)
    started = time.perf_counter()
    err = raises(rt.ReadTimeoutError, batch_reply, call, server.url, timeout=5, deadline=1.0)
    elapsed = time.perf_counter() - started
    assert 0.9 <= elapsed < 3.0, elapsed
    assert "deadline of 1 s" in str(err) and "BatchReply" in str(err)
    assert err.delivered is None and isinstance(err, rt.TransportTimeoutError)


@CALLS
def test_deadline_bounds_trickled_headers(server: Server, call: Call) -> None:
    server.respond = trickle_head(server)
    started = time.perf_counter()
    raises(rt.ReadTimeoutError, batch_reply, call, server.url, timeout=5, deadline=1.0)
    assert time.perf_counter() - started < 3.0


@CALLS
def test_calls_within_the_deadline_succeed(server: Server, call: Call) -> None:
    server.respond = reply(200, batch_reply_response(7))
    assert batch_reply(call, server.url, deadline=5.0) == 7
    server.respond = reply(202, b"")
    assert call(server.url, "one_way", 1, deadline=5.0) is None


def test_deadline_passing_before_sending_is_not_delivered(server: Server) -> None:
    """The only pooled connection is busy (a call without deadline on the same httpx.Client):
    the call with a deadline never gets to send."""
    server.respond = reply(200, batch_reply_response(1), delay=1.5)
    client = httpx.Client(timeout=10, limits=httpx.Limits(max_connections=1))
    busy = TicketAgent(server.url, transport=rt.HttpxTransport(client))
    first = threading.Thread(target=busy.batch_reply, args=(reply_data(),))
    first.start()
    while not server.requests:
        time.sleep(0.01)
    agent = TicketAgent(server.url, transport=rt.HttpxTransport(client, deadline=0.5))
    err = raises(rt.ConnectTimeoutError, agent.batch_reply, reply_data())
    first.join()
    assert err.delivered is False and "before it was sent" in str(err)
    time.sleep(0.5)  # the abandoned call is not sent once the connection is free
    client.close()
    assert len(server.requests) == 1


def test_deadline_through_the_client_constructors(server: Server) -> None:
    server.respond = trickle_body(server)
    with TicketAgent(server.url, deadline=0.5) as client:
        assert isinstance(client.transport, rt.HttpxTransport)
        assert client.transport.deadline == 0.5
        raises(rt.ReadTimeoutError, client._call, ONE_WAY, 1)

    async def run() -> None:
        async with AsyncTicketAgent(server.url, deadline=0.5, max_reply_bytes=10**6) as aclient:
            assert isinstance(aclient.transport, rt.AsyncHttpxTransport)
            assert aclient.transport.max_reply_bytes == 10**6
            with pytest.raises(rt.ReadTimeoutError):
                await aclient._acall(ONE_WAY, 1)

    asyncio.run(run())
    with pytest.raises(ValueError):
        rt.HttpxTransport(deadline=0)
    with pytest.raises(ValueError):
        rt.AsyncHttpxTransport(max_reply_bytes=0)


def test_json_client_deadline_redirect_and_retry_after(server: Server) -> None:
    request = ImportReportsStatus(import_id=uuid.UUID(int=1))
    server.respond = trickle_body(server)
    started = time.perf_counter()
    with CorusonJsonAgent(server.base, timeout=5, deadline=1.0) as agent:
        err = raises(crt.ReadTimeoutError, agent.import_reports_status, request)
    assert time.perf_counter() - started < 3.0 and "ImportReportsStatus" in str(err)
    server.respond = reply(308, b"", headers=(("Location", "https://elsewhere/json"),))
    with CorusonJsonAgent(server.base) as agent:
        err = raises(crt.TransportError, agent.import_reports_status, request)
    assert err.status_code == 308 and err.location == "https://elsewhere/json"

    async def run() -> crt.TransportError:
        async with AsyncCorusonJsonAgent(server.base) as agent:
            with pytest.raises(crt.TransportError) as info:
                await agent.import_reports_status(request)
            return info.value

    server.respond = reply(503, b"{}", headers=(("Retry-After", "7"),))
    err = asyncio.run(run())
    assert err.status_code == 503 and err.retry_after == 7.0
    with closed_port() as url:
        with CorusonJsonAgent(url) as agent:
            err = raises(crt.NotDeliveredError, agent.import_reports_status, request)
    assert err.status_code is None


# -------------------------------------------------------------------------- 5. limits


def attachment_response(size: int) -> tuple[bytes, bytes]:
    data = bytes(range(256)) * (size // 256)
    encoded = base64.b64encode(data).decode()
    body = envelope(
        f"<n:GetAttachmentStreamResponse><n:Response>{encoded}</n:Response>"
        "</n:GetAttachmentStreamResponse>"
    )
    return data, body.encode()


@CALLS
def test_20_mb_base64_text_node_with_the_default_limits(server: Server, call: Call) -> None:
    data, body = attachment_response(15 * 1024 * 1024)
    assert len(body) > 20_000_000
    server.respond = reply(200, body)
    assert call(server.url, "get_attachment_stream", 1) == data


@CALLS
@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_reply_over_the_size_limit(server: Server, call: Call, chunked: bool) -> None:
    _, body = attachment_response(2 * 1024 * 1024)

    def respond(h: http.server.BaseHTTPRequestHandler) -> None:
        if not chunked:
            reply(200, body)(h)
            return
        h.send_response(200)
        h.send_header("Content-Type", TEXT_XML)
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        for start in range(0, len(body), 65536):
            piece = body[start : start + 65536]
            h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
        h.wfile.write(b"0\r\n\r\n")

    server.respond = respond
    limit = 1024 * 1024
    err = raises(
        rt.ResponseTooLargeError,
        call,
        server.url,
        "get_attachment_stream",
        1,
        max_reply_bytes=limit,
    )
    assert isinstance(err, rt.MalformedResponseError)
    assert err.limit == limit and str(limit) in str(err) and "max_reply_bytes" in str(err)
    assert "GetAttachmentStream" in str(err) and err.status_code == 200
    assert err.body_excerpt.startswith("<?xml")
    if not chunked:
        assert f"is {len(body)} bytes" in str(err)


def test_default_size_limit() -> None:
    assert rt.DEFAULT_MAX_REPLY_BYTES == 100 * 1024 * 1024
    assert rt.HttpxTransport().max_reply_bytes == rt.DEFAULT_MAX_REPLY_BYTES


def nested(depth: int) -> str:
    return "<n:x>" * depth + "</n:x>" * depth


@CALLS
@pytest.mark.parametrize("padding", [0, 3_000_000], ids=["small", "huge"])
def test_nesting_beyond_the_depth_limit_is_refused(
    server: Server, call: Call, padding: int
) -> None:
    """Refused both by libxml2's own check (small replies) and by the walk that replaces it
    for replies large enough to need huge_tree."""
    pad = f"<!--{'p' * padding}-->" if padding else ""
    response = "<n:BatchReplyResponse><n:Response>1</n:Response>{}</n:BatchReplyResponse>"
    server.respond = reply(200, envelope(response.format(nested(250) + pad)))
    assert batch_reply(call, server.url) == 1  # deep, within the limit
    for depth in (rt.MAX_DEPTH, 3000):
        server.respond = reply(200, envelope(response.format(nested(depth) + pad)))
        err = raises(rt.MalformedResponseError, batch_reply, call, server.url)
        assert "deeper than 256" in str(err) and "BatchReply" in str(err)
        assert err.body_excerpt.startswith("<?xml")


def test_billion_laughs_in_a_huge_utf16_reply_is_refused(server: Server) -> None:
    """UTF-16 gets past the byte-level DOCTYPE check, and a reply over 2.5 MB meets the
    huge_tree parser: still refused (libxml2's amplification limit, then the DTD check)."""
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10)
    )
    body = envelope(
        f"<n:BatchReplyResponse><n:Response>&l9;</n:Response><!--{'p' * 2_000_000}-->"
        "</n:BatchReplyResponse>"
    )
    prolog = f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE s:Envelope [{entities}]>'
    doc = (prolog + body.split("?>", 1)[1]).encode("utf-16")
    assert len(doc) > 2_500_000
    server.respond = reply(200, doc)
    started = time.perf_counter()
    raises(rt.MalformedResponseError, batch_reply, call_sync, server.url)
    assert time.perf_counter() - started < 5.0


# ------------------------------------------------------------------------- 6. secrets


def test_password_in_the_base_url_is_not_in_messages(server: Server) -> None:
    secret_url = server.url.replace("http://", "http://someone:S3cr3t-pw@")
    server.respond = reply(500, "oops", content_type="text/plain")
    errors: list[BaseException] = [raises(rt.TransportError, batch_reply, call_sync, secret_url)]
    assert server.requests[0][1]["Authorization"].startswith("Basic ")  # still sent, as auth
    server.respond = reply(302, b"", headers=(("Location", "http://a:S3cr3t-pw@h/x"),))
    errors.append(raises(rt.TransportError, batch_reply, call_async, secret_url))
    server.respond = hang_up
    errors.append(raises(rt.NoAnswerError, batch_reply, call_sync, secret_url))
    server.respond = trickle_body(server)
    errors.append(raises(rt.ReadTimeoutError, batch_reply, call_async, secret_url, deadline=0.5))
    server.respond = reply(200, "not xml")
    errors.append(raises(rt.MalformedResponseError, batch_reply, call_sync, secret_url))
    with closed_port() as url:
        bad = url.replace("http://", "http://someone:S3cr3t-pw@")
        errors.append(raises(rt.NotDeliveredError, batch_reply, call_sync, bad))
    for err in errors:
        assert "S3cr3t-pw" not in str(err) and "S3cr3t-pw" not in repr(err), err
        assert "S3cr3t-pw" not in str(getattr(err, "url", "")), err
    assert "***@127.0.0.1" in str(errors[0])
    assert errors[1].location == "http://a:S3cr3t-pw@h/x"  # the server's value, as sent


def test_tracebacks_of_transport_errors_hold_no_password(server: Server) -> None:
    """The whole traceback a user's log gets, chained httpx errors included."""
    server.respond = hang_up
    secret_url = server.url.replace("http://", "http://someone:S3cr3t-pw@")
    errors: list[BaseException] = [raises(rt.NoAnswerError, batch_reply, call_sync, secret_url)]
    with closed_port() as url:
        bad = url.replace("http://", "http://someone:S3cr3t-pw@")
        errors.append(raises(rt.NotDeliveredError, batch_reply, call_async, bad))
    for err in errors:
        shown = "".join(traceback.format_exception(err))
        assert "S3cr3t-pw" not in shown, shown


def test_secrets_stay_out_of_reprs_and_vars(server: Server) -> None:
    """Credentials, application token and a password in the base URL never show in repr()
    or vars() of credentials, clients (sync, async, facades, JSON) and their transports."""
    secrets = ("S3cr3t-pw", "7T:secret-ticket", "app-secret-token")
    url = server.url.replace("http://", "http://someone:S3cr3t-pw@")
    creds = SoCredentials(ticket="7T:secret-ticket")
    assert repr(creds) == "SoCredentials(ticket=<hidden>)" and str(creds) == repr(creds)
    tz = SoTimeZone(so_time_zone_id=1, so_time_zone_location_code="Oslo")
    options: dict[str, Any] = {"credentials": creds, "application_token": "app-secret-token"}
    clients: list[Any] = [
        TicketAgent(url, time_zone=tz, **options),
        AsyncTicketAgent(url, **options),
        TicketAgent(url, ticket="7T:secret-ticket"),
        NetServer(url, **options),
        AsyncNetServer(url, **options),
        CorusonJsonAgent(url),
        AsyncCorusonJsonAgent(url),
    ]
    for client in clients:
        shown = [repr(client), repr(vars(client)), str(vars(client))]
        for value in vars(client).values():
            if hasattr(value, "__dict__"):  # the agents of a facade, transports
                shown += [repr(value), repr(vars(value))]
        for secret in secrets:
            assert all(secret not in text for text in shown), (secret, shown)
    agent = clients[0]
    assert agent.credentials is creds and agent.application_token == "app-secret-token"
    assert agent.url == url + "/Remote/Services88/Ticket.svc"  # the URL itself, for the transport
    assert repr(agent.url) == repr(
        server.url.replace("http://", "http://***@") + "/Remote/Services88/Ticket.svc"
    )
    assert "***@" in repr(vars(clients[-1]))
    for client in clients:
        if hasattr(client, "aclose"):
            asyncio.run(client.aclose())
        else:
            client.close()


def test_redact_url() -> None:
    redact_url = sys.modules[rt.__name__ + ".errors"].redact_url
    assert redact_url("https://u:p@host:8443/a?b=1") == "https://***@host:8443/a?b=1"
    assert redact_url("https://host/a@b") == "https://host/a@b"
    assert redact_url("http://host/x") == "http://host/x"
    assert redact_url("http://u:p@ss@host/x") == "http://***@host/x"
    assert redact_url("http://u:pw@[::1/x") == "http://***@[::1/x"  # unparseable: still cut


@pytest.mark.parametrize("url", ["http://u:S3cr3t-pw@[::1/x", "ftp://u:S3cr3t-pw@h/x", "nohost"])
def test_unusable_url_is_not_delivered(url: str) -> None:
    err = raises(rt.NotDeliveredError, call_sync, url, "delete_ticket_entity", 1)
    assert "S3cr3t-pw" not in str(err) and "DeleteTicketEntity" in str(err)


def test_soap_call_repr_holds_no_envelope() -> None:
    envelope_bytes = b"<Envelope><Ticket>7T:secret-ticket</Ticket></Envelope>"
    call = rt.SoapCall(
        "https://u:pw-123@h/x", "GetTicket", "urn:a", "1.1", envelope_bytes, "ticket"
    )
    shown = repr(call)
    assert "secret-ticket" not in shown and "pw-123" not in shown
    assert "GetTicket" in shown and f"<{len(envelope_bytes)} bytes>" in shown
    assert "ticket" in shown and "https://***@h/x" in shown
    reply_ = rt.SoapReply(200, b"<secret/>", TEXT_XML)
    assert "secret" not in repr(reply_) and "<9 bytes>" in repr(reply_)
    assert call == rt.SoapCall(
        "https://u:pw-123@h/x", "GetTicket", "urn:a", "1.1", envelope_bytes, "ticket"
    )


def test_replay_transport_keeps_working_with_the_new_reply_fields() -> None:
    replay = rt.ReplayTransport({"BatchReply": batch_reply_response(3).encode()})
    assert TicketAgent("https://example.invalid", transport=replay).batch_reply(reply_data()) == 3
    assert "BatchReply" in repr(replay.calls[0]) and "Thanks" not in repr(replay.calls[0])


# --------------------------------------------------------------------- 7. body_excerpt


@CALLS
def test_body_excerpt_of_unreadable_replies(server: Server, call: Call) -> None:
    wrong = envelope("<n:SomethingElseResponse/>")
    server.respond = reply(200, wrong)
    err = raises(rt.MalformedResponseError, batch_reply, call, server.url)
    assert err.body_excerpt == wrong and "SomethingElseResponse" in str(err)
    bad_value = envelope(
        "<n:BatchReplyResponse><n:Response>seven</n:Response></n:BatchReplyResponse>"
    )
    server.respond = reply(200, bad_value)
    err = raises(rt.MalformedResponseError, batch_reply, call, server.url)
    assert err.body_excerpt == bad_value
    server.respond = reply(200, "<html>maintenance</html>", content_type="text/html")
    err = raises(rt.MalformedResponseError, batch_reply, call, server.url)
    assert err.body_excerpt == "<html>maintenance</html>"
    assert "BatchReply" in str(err) and server.url in str(err)
