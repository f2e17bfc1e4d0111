"""A real HTTP server on 127.0.0.1 for the client tests: every POST is recorded and answered
by a function of the test's (``answer(request) -> Reply``), on the server's request thread.

    with StubServer(lambda request: Reply(200, body)) as server:
        client = Agent(server.url + "/Cust1")
        ...
        assert server.requests[0].path == "/Cust1/Remote/..."

Tests that script the connection itself (hang-ups, resets, slow bytes) keep their own handlers.
"""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable
from typing import NamedTuple, Self

TEXT_XML = "text/xml; charset=utf-8"


class Request(NamedTuple):
    path: str
    headers: dict[str, str]
    body: bytes


class Reply(NamedTuple):
    status: int = 200
    body: bytes = b""
    content_type: str = TEXT_XML


class _Httpd(http.server.ThreadingHTTPServer):
    request_queue_size = 512  # hundreds of concurrent clients
    daemon_threads = True


class StubServer:
    """Listening from construction until close(); ``url`` has no trailing slash."""

    def __init__(self, answer: Callable[[Request], Reply]) -> None:
        self.requests: list[Request] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                request = Request(self.path, dict(self.headers), body)
                server.requests.append(request)
                reply = answer(request)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:  # the client gave up (a timeout) and closed the connection
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = _Httpd(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class closed_port:
    """A URL on 127.0.0.1 whose port was just free: connecting to it is refused."""

    def __enter__(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        return f"http://127.0.0.1:{port}/Cust12345"

    def __exit__(self, *exc: object) -> None:
        pass
