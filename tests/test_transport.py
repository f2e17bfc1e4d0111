"""The transport and its errors against a real HTTP server on 127.0.0.1, sync and async.

The clients are the committed generated packages (``superoffice.services88``); the server is an
``http.server.ThreadingHTTPServer`` whose behaviour each test scripts: here the parser's limits.
"""

from __future__ import annotations

import asyncio
import base64
import http.server
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from superoffice.services88 import _runtime as rt
from superoffice.services88.ticket import (
    AsyncTicketAgent,
    TicketAgent,
    TicketBatchReplyData,
    TicketSecurityLevel,
)

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


def call_sync(url: str, method: str, *args: Any, **options: Any) -> Any:
    client = options.pop("client", None)
    with rt.HttpxTransport(client, **options) as transport:
        return getattr(TicketAgent(url, transport=transport), method)(*args)


def call_async(url: str, method: str, *args: Any, **options: Any) -> Any:
    async def run() -> Any:
        async with rt.AsyncHttpxTransport(**options) as transport:
            return await getattr(AsyncTicketAgent(url, transport=transport), method)(*args)

    return asyncio.run(run())


CALLS = pytest.mark.parametrize("call", [call_sync, call_async], ids=["sync", "async"])


def raises(cls: type[E], fn: Call, *args: Any, **kwargs: Any) -> E:
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    return info.value


def batch_reply(call: Call, url: str, **options: Any) -> Any:
    return call(url, "batch_reply", reply_data(), **options)


class closed_port:
    """A URL on 127.0.0.1 whose port was just free: connecting to it is refused."""

    def __enter__(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}/Cust12345"

    def __exit__(self, *exc: object) -> None:
        pass


# -------------------------------------------------------------------------- parser limits


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
        assert "deeper than 256" in str(err)
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
