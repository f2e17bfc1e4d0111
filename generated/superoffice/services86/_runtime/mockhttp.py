"""The mock server's HTTP side: the standard library's ThreadingHTTPServer, one thread per
connection; each request is answered by :meth:`.mockserver.MockServer.handle`, then sent
(slowly, cut off or not at all, as the answer says)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol

from .mockreplies import Reply


class Answering(Protocol):
    """What the HTTP side needs of the mock server."""

    stopping: threading.Event

    def handle(self, method: str, path: str, headers: Message, content: bytes) -> Reply: ...


MAX_REQUEST_BYTES = 64 * 1024 * 1024


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # a test's asyncio.gather opens many connections at once

    def __init__(
        self, address: tuple[str, int], handler: Callable[..., Any], mock: Answering
    ) -> None:
        self.mock = mock
        super().__init__(address, handler)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HTTPServer

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self._serve("POST")

    def do_GET(self) -> None:  # noqa: N802
        self._serve("GET")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: tests read server.calls

    def _serve(self, method: str) -> None:
        mock = self.server.mock
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self._send(Reply(411, b"a Content-Length is required", "text/plain"))
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_REQUEST_BYTES:
            self._send(Reply(413 if length > 0 else 400, b"bad Content-Length", "text/plain"))
            return
        content = self.rfile.read(length) if length else b""
        self._send(mock.handle(method, self.path, self.headers, content))

    def _send(self, reply: Reply) -> None:
        stop = self.server.mock.stopping
        if reply.delay and stop.wait(reply.delay):
            reply = Reply(503, b"the mock server is closing", "text/plain")
        if reply.drop:
            self.close_connection = True
            self._hang_up()
            return
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.cut_after is not None:
            self.send_header("Connection", "close")
        self.end_headers()
        if reply.cut_after is None:
            self.wfile.write(reply.body)
            return
        self.wfile.write(reply.body[: reply.cut_after])
        self.wfile.flush()
        self.close_connection = True
        self._hang_up()

    def _hang_up(self) -> None:
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
