"""A fake SuperOffice NetServer for the sign-in tests: answers SoPrincipal's sign-in operations
and three operations of other agents (Ticket.GetTicket and CustomerService.GetProgramUrl,
which only read, and Ticket.BatchReply, which does not) as NetServer does, in process (a
Transport and AsyncTransport) or behind http.server on 127.0.0.1.

Tickets are checked like NetServer's: an unknown or expired ticket is answered with an
``ExceptionInfo`` response header of type ``SuperOffice.Exceptions.SoSessionException`` and
``Succeeded`` false, and the operation is not run. Every request is recorded.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from lxml import etree
from superoffice.services88 import _runtime as rt

from stub_http import Reply, Request, StubServer

NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"
SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
SIGN_IN_OPS = ("AuthenticateUsernamePassword", "AuthenticateWithAccessToken")


def _text(root: etree._Element, path: str) -> str | None:
    found = root.find(path, {"s": SOAP11, "n": NS})
    return None if found is None else (found.text or "")


@dataclass
class Received:
    operation: str
    ticket: str | None  # the Credentials/Ticket the request carried
    app_token: str | None
    outcome: str  # "ok" | "rejected" | "refused" (sign-in) | "error"
    body: bytes = b""


@dataclass
class FakeNetServer:
    users: dict[str, str] = field(default_factory=dict)
    access_tokens: set[str] = field(default_factory=set)
    sign_in_delay: float = 0.0  # seconds a sign-in takes (to make races likely)
    reject_all: bool = False  # every ticket is refused (a server that never accepts one)
    ticket_prefix: str = "7T:tkt-"
    # how a sign-in answers: "ok", "empty" (succeeded but no ticket), "exception" (an
    # ExceptionInfo echoing the password)
    sign_in_mode: str = "ok"
    reject_status: int = 200  # 401: refuse a ticket with HTTP 401 instead of ExceptionInfo
    received: list[Received] = field(default_factory=list)
    valid: set[str] = field(default_factory=set)
    issued: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    # --- what the tests look at ---

    def count(self, operation: str, outcome: str | None = None) -> int:
        return sum(
            1
            for r in self.received
            if r.operation == operation and (outcome is None or r.outcome == outcome)
        )

    @property
    def sign_ins(self) -> int:
        return sum(self.count(op) for op in SIGN_IN_OPS)

    def expire_all(self) -> None:
        with self.lock:
            self.valid.clear()

    # --- answering ---

    def answer(self, operation: str, envelope: bytes, wait: bool = True) -> tuple[int, bytes]:
        """(HTTP status, reply) for a request; `wait`: take sign_in_delay here (a thread)."""
        root = etree.fromstring(envelope)
        ticket = _text(root, "s:Header/n:Credentials/n:Ticket")
        app = _text(root, "s:Header/n:ApplicationToken")
        if operation in SIGN_IN_OPS:
            if wait and self.sign_in_delay:
                time.sleep(self.sign_in_delay)
            return self._sign_in(operation, root, app, envelope)
        with self.lock:
            ok = ticket in self.valid and not self.reject_all
            self.received.append(
                Received(operation, ticket, app, "ok" if ok else "rejected", envelope)
            )
        if not ok:
            if self.reject_status != 200:
                return self.reject_status, b"<html>Unauthorized</html>"
            return 200, _envelope(
                _exception_info(
                    "SuperOffice.Exceptions.SoSessionException",
                    "Failed to validate tokens: ticket expired",
                ),
                f"<{operation}Response xmlns='{NS}'/>",
            )
        if operation == "GetTicket":
            ticket_id = _text(root, "s:Body/n:GetTicket/n:TicketId")
            body = f"<Response><TicketId>{ticket_id}</TicketId><Title>t</Title></Response>"
        elif operation == "GetProgramUrl":
            body = "<Response>https://example.invalid/program</Response>"
        elif operation == "BatchReply":
            body = "<Response>7</Response>"
        else:
            raise AssertionError(f"the fake does not answer {operation}")
        return 200, _envelope(
            _ok_headers(), f"<{operation}Response xmlns='{NS}'>{body}</{operation}Response>"
        )

    def _sign_in(
        self, operation: str, root: etree._Element, app: str | None, envelope: bytes
    ) -> tuple[int, bytes]:
        if operation == "AuthenticateUsernamePassword":
            user = _text(root, "s:Body/n:AuthenticateUsernamePassword/n:UserName")
            password = _text(root, "s:Body/n:AuthenticateUsernamePassword/n:Password")
            good = user in self.users and self.users[user] == password
        else:
            password = _text(root, "s:Body/n:AuthenticateWithAccessToken/n:AccessToken")
            good = password in self.access_tokens
        with self.lock:
            self.received.append(
                Received(operation, None, app, "ok" if good else "refused", envelope)
            )
            ticket = ""
            if good and self.sign_in_mode == "ok":
                self.issued += 1
                ticket = f"{self.ticket_prefix}{self.issued}"
                self.valid.add(ticket)
        headers = _ok_headers()
        if self.sign_in_mode == "exception":
            headers = _exception_info("SoException", f"Cannot sign in with {password}")
        principal = "<Response><AssociateId>5</AssociateId><FullName>J R</FullName></Response>"
        body = (
            f"<AuthenticateResponse xmlns='{NS}'>{principal if good else ''}"
            f"<Credentials><Ticket>{ticket}</Ticket></Credentials>"
            f"<AuthenticationSucceeded>{'true' if good else 'false'}</AuthenticationSucceeded>"
            "</AuthenticateResponse>"
        )
        return 200, _envelope(headers, body)

    # --- as a transport ---

    def send(self, call: rt.SoapCall) -> rt.SoapReply:
        status, body = self.answer(call.operation, call.envelope)
        return rt.SoapReply(status, body, "text/xml; charset=utf-8")

    async def asend(self, call: rt.SoapCall) -> rt.SoapReply:
        # other tasks run meanwhile: a sign-in takes sign_in_delay, any call one loop turn
        await asyncio.sleep(self.sign_in_delay if call.operation in SIGN_IN_OPS else 0)
        status, body = self.answer(call.operation, call.envelope, wait=False)
        return rt.SoapReply(status, body, "text/xml; charset=utf-8")


def _ok_headers() -> str:
    return (
        f"<ExceptionInfo xmlns='{NS}' xmlns:i='http://www.w3.org/2001/XMLSchema-instance'"
        f" i:nil='true'/><Succeeded xmlns='{NS}'>true</Succeeded>"
    )


def _exception_info(kind: str, message: str) -> str:
    return (
        f"<ExceptionInfo xmlns='{NS}'><Message>{message}</Message>"
        f"<ExceptionType>SuperOffice.Exceptions.SoException</ExceptionType>"
        f"<InnerException><Message>{message}</Message><ExceptionType>{kind}</ExceptionType>"
        f"</InnerException></ExceptionInfo><Succeeded xmlns='{NS}'>false</Succeeded>"
    )


def _envelope(headers: str, body: str) -> bytes:
    return (
        f"<s:Envelope xmlns:s='{SOAP11}'><s:Header>{headers}</s:Header>"
        f"<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


# --- over HTTP ------------------------------------------------------------------------------


@contextmanager
def serve(fake: FakeNetServer) -> Iterator[str]:
    """`fake` behind a ThreadingHTTPServer on 127.0.0.1; yields the installation's base URL
    (agents post to <base>/Remote/Services88/<Agent>.svc)."""

    def answer(request: Request) -> Reply:
        headers = {k.lower(): v for k, v in request.headers.items()}
        action = headers.get("soapaction", "").strip('"')
        path_ok = request.path.startswith("/Cust12345/Remote/Services88/")
        ctype_ok = headers.get("content-type", "").startswith("text/xml")
        if not (path_ok and ctype_ok and action.startswith(NS)):
            return Reply(400, b"bad request")
        return Reply(*fake.answer(action.rpartition("/")[2], request.body))

    with StubServer(answer) as server:
        yield server.url + "/Cust12345"
