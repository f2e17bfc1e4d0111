"""Signing in to SuperOffice (issue 17): the generated NetServer / AsyncNetServer facades sign
in through SoPrincipal before the first call that needs a ticket, share the ticket among their
agents, renew it ahead of the documented 6-hour sliding expiry and when NetServer refuses it,
send a refused call again only when its operation is safe to repeat, sign in once however
many threads or tasks need a ticket, and keep passwords, tokens and tickets out of reprs,
messages and logs.

The server is ``signin_fake.FakeNetServer``: in process (a transport) and, once, behind
http.server on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import threading
from typing import Any

import pytest
from signin_fake import FakeNetServer, serve
from superoffice.services88 import (
    AccessToken,
    AsyncNetServer,
    NetServer,
    NetServerError,
    SignInError,
    SoapError,
    SoCredentials,
    TicketRejectedError,
    TicketSource,
    TransportError,
    UsernamePassword,
    testing,
)
from superoffice.services88 import _runtime as rt
from superoffice.services88.so_principal import SoPrincipalCarrier

from soapgen.config import profiles
from soapgen.plan.agents import safe_to_repeat

URL = "https://sod.example.invalid/Cust12345"
PASSWORD = "pw-Sekr1t-4711"
TOKEN = "8A:Cust12345.access-token-0815"
APP = "app-token-1234"


class Clock:
    """A clock the test moves (seconds)."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def fake() -> FakeNetServer:
    return FakeNetServer(users={"jr": PASSWORD}, access_tokens={TOKEN})


def netserver(server: FakeNetServer, clock: Clock | None = None, **kw: Any) -> NetServer:
    kw.setdefault("sign_in", UsernamePassword("jr", PASSWORD))
    return NetServer(URL, application_token=APP, transport=server, clock=clock, **kw)


def anetserver(server: FakeNetServer, clock: Clock | None = None, **kw: Any) -> AsyncNetServer:
    kw.setdefault("sign_in", UsernamePassword("jr", PASSWORD))
    return AsyncNetServer(URL, application_token=APP, transport=server, clock=clock, **kw)


def outcomes(server: FakeNetServer) -> list[tuple[str, str | None, str]]:
    return [(r.operation, r.ticket, r.outcome) for r in server.received]


# --- signing in and calling -------------------------------------------------------------------


def test_signs_in_before_the_first_call_needing_a_ticket() -> None:
    server = fake()
    ns = netserver(server)
    assert not ns.signed_in and ns.principal is None and server.received == []
    assert ns.ticket.get_ticket(3).ticket_id == 3
    assert ns.customer_service.get_program_url("p", False) == "https://example.invalid/program"
    assert ns.ticket.batch_reply(None) == 7
    assert outcomes(server) == [
        ("AuthenticateUsernamePassword", None, "ok"),
        ("GetTicket", "7T:tkt-1", "ok"),
        ("GetProgramUrl", "7T:tkt-1", "ok"),
        ("BatchReply", "7T:tkt-1", "ok"),
    ]
    # the sign-in carries the application token, and so does every call
    assert {r.app_token for r in server.received} == {APP}
    assert ns.signed_in
    principal = ns.principal
    assert isinstance(principal, SoPrincipalCarrier)
    assert (principal.associate_id, principal.full_name) == (5, "J R")
    # every agent of the facade sees the one ticket, in the shared header values
    assert ns.ticket.credentials == ns.report.credentials == SoCredentials(ticket="7T:tkt-1")


def test_operations_without_the_ticket_header_do_not_sign_in() -> None:
    """SoPrincipal's own operations send only ApplicationToken: no sign-in for them."""
    server = fake()
    ns = netserver(server)
    result = ns.so_principal.authenticate_username_password("jr", PASSWORD)
    assert result.authentication_succeeded
    assert outcomes(server) == [("AuthenticateUsernamePassword", None, "ok")]
    assert not ns.signed_in  # a direct call is the caller's; the facade did not sign in


def test_sign_in_eagerly_and_again() -> None:
    server = fake()
    ns = netserver(server)
    principal = ns.sign_in()
    assert principal is not None and principal.associate_id == 5
    assert ns.signed_in and server.sign_ins == 1
    ns.ticket.get_ticket(1)
    ns.sign_in()  # again: a new ticket
    ns.ticket.get_ticket(2)
    assert outcomes(server)[-1] == ("GetTicket", "7T:tkt-2", "ok")
    assert server.sign_ins == 2


def test_access_token_and_its_callable() -> None:
    server = fake()
    ns = netserver(server, sign_in=AccessToken(TOKEN))
    ns.ticket.get_ticket(1)
    assert server.count("AuthenticateWithAccessToken", "ok") == 1
    tokens = iter([TOKEN, "8A:stale"])
    server2 = fake()
    ns2 = netserver(server2, sign_in=AccessToken(lambda: next(tokens)))
    ns2.ticket.get_ticket(1)
    with pytest.raises(SignInError, match="AuthenticateWithAccessToken"):
        ns2.sign_in()  # the callable is asked again at each sign-in: its next token fails


def test_a_ticket_source_is_the_system_user_flow() -> None:
    """A callable returning a ticket (e.g. SuperOffice's system-user exchange)."""
    server = fake()
    server.valid.add("7T:system-user")
    calls: list[str] = []

    def system_user_ticket() -> str:
        calls.append("asked")
        return "7T:system-user"

    ns = netserver(server, sign_in=system_user_ticket)
    ns.ticket.get_ticket(1)
    assert outcomes(server) == [("GetTicket", "7T:system-user", "ok")]
    assert calls == ["asked"] and ns.principal is None
    assert isinstance(ns._session.sign_in, TicketSource)  # type: ignore[union-attr]


def test_a_given_ticket_serves_until_refused_then_sign_in_renews_it() -> None:
    server = fake()
    server.valid.add("7T:given")
    ns = netserver(server, ticket="7T:given")
    ns.ticket.get_ticket(1)
    assert server.sign_ins == 0
    server.expire_all()
    ns.ticket.get_ticket(2)
    assert outcomes(server)[1:] == [
        ("GetTicket", "7T:given", "rejected"),
        ("AuthenticateUsernamePassword", None, "ok"),
        ("GetTicket", "7T:tkt-1", "ok"),
    ]


def test_without_sign_in_the_facade_is_as_before() -> None:
    server = fake()
    ns = NetServer(URL, ticket="7T:unknown", transport=server)
    with pytest.raises(NetServerError) as info:  # the refusal as NetServer sent it
        ns.ticket.get_ticket(1)
    assert info.value.inner_exception is not None
    with pytest.raises(ValueError, match="no sign_in"):
        ns.sign_in()
    assert ns.signed_in and ns.principal is None  # it holds a (refused) ticket


def test_sign_in_with_a_method_the_version_lacks_is_refused_at_once() -> None:
    spec = rt.SignInSpec("Credentials", SoCredentials, "ticket")
    with pytest.raises(ValueError, match="cannot sign in with UsernamePassword"):
        rt.Session(
            spec,
            UsernamePassword("jr", PASSWORD),
            rt.HeaderValues(),
            None,  # type: ignore[arg-type]
            renew_after=None,
            rejected=lambda e: False,
        )
    with pytest.raises(TypeError, match="sign_in must be"):
        NetServer(URL, sign_in="jr:pw")  # type: ignore[arg-type]


# --- sign-in failures -------------------------------------------------------------------------


def test_refused_credentials_raise_sign_in_error_and_send_nothing_else() -> None:
    server = fake()
    ns = netserver(server, sign_in=UsernamePassword("jr", "wrong-" + PASSWORD))
    with pytest.raises(SignInError) as info:
        ns.ticket.batch_reply(None)
    err = info.value
    assert isinstance(err, SoapError) and err.operation == "AuthenticateUsernamePassword"
    assert "authentication_succeeded false" in str(err)
    assert outcomes(server) == [("AuthenticateUsernamePassword", None, "refused")]
    assert not ns.signed_in


def test_no_ticket_in_a_successful_answer_is_a_sign_in_error() -> None:
    server = fake()
    server.sign_in_mode = "empty"
    ns = netserver(server)
    with pytest.raises(SignInError, match="AuthenticateUsernamePassword: .*no ticket"):
        ns.ticket.get_ticket(1)
    assert server.count("GetTicket") == 0  # never a call with an empty ticket


def test_the_doc_sample_answer_is_a_failed_sign_in() -> None:
    """SoPrincipal's documented response has AuthenticationSucceeded false and no ticket."""
    replay = testing.replay()
    ns = NetServer(URL, transport=replay, sign_in=UsernamePassword("jr", PASSWORD))
    with pytest.raises(SignInError, match="authentication_succeeded false"):
        ns.ticket.get_ticket(1)
    assert [c.operation for c in replay.calls] == ["AuthenticateUsernamePassword"]


def test_an_exception_info_on_sign_in_is_a_sign_in_error_without_the_password() -> None:
    server = fake()
    server.sign_in_mode = "exception"  # its message echoes the password
    ns = netserver(server)
    with pytest.raises(SignInError) as info:
        ns.sign_in()
    assert isinstance(info.value.error, NetServerError)
    assert "Cannot sign in with ***" in str(info.value)
    assert PASSWORD not in str(info.value)


def test_a_transport_failure_while_signing_in_stays_a_transport_error() -> None:
    class Down:
        def send(self, call: rt.SoapCall) -> rt.SoapReply:
            raise rt.NotDeliveredError("connection refused", operation=call.operation)

    ns = NetServer(URL, transport=Down(), sign_in=UsernamePassword("jr", PASSWORD))
    with pytest.raises(rt.NotDeliveredError, match="connection refused"):
        ns.ticket.get_ticket(1)


# --- renewal ------------------------------------------------------------------------------


def test_proactive_renewal_before_the_sliding_window_lapses() -> None:
    """NetServer: a ticket lives 6 h after its last use; the facade renews after 5 h 50 min
    without a successful call, before sending (no call is refused)."""
    server, clock = fake(), Clock()
    ns = netserver(server, clock)
    ns.ticket.get_ticket(1)
    for _ in range(3):  # used every 5 h: the window slides, the ticket stays
        clock.now += 5 * 3600
        ns.ticket.get_ticket(2)
    assert server.sign_ins == 1
    clock.now += 5 * 3600 + 50 * 60  # idle 5 h 50 min: renewed before the next call
    ns.ticket.batch_reply(None)
    assert outcomes(server)[-2:] == [
        ("AuthenticateUsernamePassword", None, "ok"),
        ("BatchReply", "7T:tkt-2", "ok"),
    ]
    assert server.count("GetTicket", "rejected") == server.count("BatchReply", "rejected") == 0


def test_proactive_renewal_is_configurable_and_can_be_off() -> None:
    server, clock = fake(), Clock()
    ns = netserver(server, clock, renew_after=60.0)
    ns.ticket.get_ticket(1)
    clock.now += 61
    ns.ticket.get_ticket(1)
    assert server.sign_ins == 2
    server2 = fake()
    ns2 = netserver(server2, clock, renew_after=None)
    ns2.ticket.get_ticket(1)
    clock.now += 10 * 24 * 3600
    ns2.ticket.get_ticket(1)
    assert server2.sign_ins == 1


def test_a_refused_ticket_is_renewed_and_a_read_only_call_sent_again() -> None:
    server = fake()
    ns = netserver(server)
    ns.ticket.get_ticket(1)
    server.expire_all()
    assert ns.ticket.get_ticket(2).ticket_id == 2
    assert outcomes(server)[2:] == [
        ("GetTicket", "7T:tkt-1", "rejected"),
        ("AuthenticateUsernamePassword", None, "ok"),
        ("GetTicket", "7T:tkt-2", "ok"),
    ]


def test_a_call_not_safe_to_repeat_is_not_sent_again() -> None:
    server = fake()
    ns = netserver(server)
    ns.ticket.get_ticket(1)
    server.expire_all()
    with pytest.raises(TicketRejectedError) as info:
        ns.ticket.batch_reply(None)
    err = info.value
    assert (err.operation, err.renewed, err.repeated) == ("BatchReply", True, False)
    assert isinstance(err.error, NetServerError) and isinstance(err.__cause__, NetServerError)
    assert "not known to be safe to repeat" in str(err)
    assert server.count("BatchReply") == 1  # sent once, refused, not resent
    assert ns.signed_in and server.sign_ins == 2  # the new ticket is there for the next calls
    assert err.repeat() == 7  # the caller decides: sent again, with the new ticket
    assert outcomes(server)[-1] == ("BatchReply", "7T:tkt-2", "ok")


def test_a_second_refusal_right_after_renewal_does_not_loop() -> None:
    server = fake()
    ns = netserver(server)
    ns.ticket.get_ticket(1)
    server.reject_all = True  # the server refuses every ticket, new ones too
    with pytest.raises(TicketRejectedError) as info:
        ns.ticket.get_ticket(2)
    assert (info.value.renewed, info.value.repeated) == (True, True)
    assert server.count("GetTicket", "rejected") == 2 and server.sign_ins == 2
    # a ticket obtained for a call and refused at once is not renewed again for it
    with pytest.raises(TicketRejectedError) as info2:
        netserver(server).ticket.get_ticket(3)
    assert (info2.value.renewed, info2.value.repeated) == (False, False)
    assert server.sign_ins == 3


def test_http_401_is_a_refused_ticket_and_the_classifier_is_replaceable() -> None:
    server = fake()
    server.reject_status = 401
    ns = netserver(server)
    ns.ticket.get_ticket(1)
    server.expire_all()
    assert ns.ticket.get_ticket(2).ticket_id == 2  # 401: renewed and sent again
    assert server.sign_ins == 2
    # a classifier that never says "refused": the service's answer comes through as is
    server2 = fake()
    ns2 = netserver(server2, ticket_rejected=lambda error: False)
    ns2.ticket.get_ticket(1)
    server2.expire_all()
    with pytest.raises(NetServerError):
        ns2.ticket.get_ticket(2)
    assert server2.sign_ins == 1


def test_the_default_classifier() -> None:
    from superoffice.services88 import TICKET_REJECTED
    from superoffice.services88.types import SoExceptionInfo

    def error(*types: str) -> NetServerError:
        info: SoExceptionInfo | None = None
        for t in reversed(types):
            info = SoExceptionInfo(exception_type=t, message="m", inner_exception=info)
        assert info is not None
        return NetServerError(info)

    assert TICKET_REJECTED(error("SuperOffice.Exceptions.SoSessionException"))
    assert TICKET_REJECTED(error("SoSessionException"))
    assert TICKET_REJECTED(error("SoException", "System.X", "SoSessionException"))
    assert not TICKET_REJECTED(error("SoSecurityException"))
    assert not TICKET_REJECTED(error("SuperOffice.Exceptions.SoSessionExceptionX"))
    assert TICKET_REJECTED(TransportError("x", status_code=401))
    assert not TICKET_REJECTED(TransportError("x", status_code=403))
    assert not TICKET_REJECTED(rt.SoapFault("s:Server", "SoSessionException"))


# --- single flight ------------------------------------------------------------------------


def test_threads_sign_in_once_and_renew_once() -> None:
    server = fake()
    server.sign_in_delay = 0.05
    ns = netserver(server)
    n = 8
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            barrier.wait()
            ns.ticket.get_ticket(i)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def run_all() -> None:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)

    run_all()
    assert errors == [] and server.sign_ins == 1 and server.count("GetTicket", "ok") == n
    server.expire_all()
    ns.ticket.get_ticket(0)  # one refusal, one renewal
    server.expire_all()
    run_all()  # n refusals at once: one renewal between them
    assert errors == []
    assert server.sign_ins == 3
    assert server.count("GetTicket", "ok") == 2 * n + 1


def test_async_tasks_sign_in_once_and_renew_once() -> None:
    async def main() -> FakeNetServer:
        server = fake()
        server.sign_in_delay = 0.02
        ans = anetserver(server)
        n = 10
        results = await asyncio.gather(*(ans.ticket.get_ticket(i) for i in range(n)))
        assert [r.ticket_id for r in results if r] == list(range(n))
        assert server.sign_ins == 1
        server.expire_all()
        await asyncio.gather(*(ans.ticket.get_ticket(i) for i in range(n)))
        assert server.sign_ins == 2
        assert server.count("GetTicket", "ok") == 2 * n
        return server

    asyncio.run(main())


def test_async_renewal_and_the_no_repeat_rule() -> None:
    async def main() -> None:
        server, clock = fake(), Clock()
        ans = anetserver(server, clock)
        assert await ans.sign_in() is not None and ans.signed_in
        clock.now += 6 * 3600  # past renew_after: renewed before the call
        await ans.ticket.get_ticket(1)
        assert server.sign_ins == 2 and server.count("GetTicket", "rejected") == 0
        server.expire_all()
        with pytest.raises(TicketRejectedError) as info:
            await ans.ticket.batch_reply(None)
        assert info.value.renewed and not info.value.repeated
        assert server.count("BatchReply") == 1
        assert await info.value.repeat() == 7
        server.expire_all()
        assert (await ans.ticket.get_ticket(5)).ticket_id == 5  # read-only: sent again
        assert server.sign_ins == 4

        async def source() -> str:
            await asyncio.sleep(0)
            return "7T:from-async-source"

        server.valid.add("7T:from-async-source")
        ans2 = anetserver(server, sign_in=TicketSource(source))
        await ans2.customer_service.get_program_url("p", False)
        assert outcomes(server)[-1] == ("GetProgramUrl", "7T:from-async-source", "ok")
        bad = anetserver(server, sign_in=UsernamePassword("jr", "nope"))
        with pytest.raises(SignInError):
            await bad.ticket.get_ticket(1)

    asyncio.run(main())


def test_a_sync_facade_refuses_an_async_ticket_source() -> None:
    async def source() -> str:
        return "7T:x"

    ns = netserver(fake(), sign_in=source)
    with pytest.raises(TypeError, match="sync facade"):
        ns.ticket.get_ticket(1)


# --- secrets --------------------------------------------------------------------------------


def test_secrets_stay_out_of_reprs_messages_and_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    server = fake()
    server.ticket_prefix = "7T:SECRET-TICKET-"
    ns = netserver(server)
    ns.ticket.get_ticket(1)
    ticket = "7T:SECRET-TICKET-1"
    assert ns.ticket.credentials == SoCredentials(ticket=ticket)
    server.expire_all()
    errors: list[BaseException] = []
    try:
        ns.ticket.batch_reply(None)
    except TicketRejectedError as exc:
        errors += [exc, exc.error]
    server.reject_all = True
    try:
        ns.ticket.get_ticket(1)
    except TicketRejectedError as exc:
        errors.append(exc)
    server.reject_all, server.sign_in_mode = False, "exception"
    try:
        ns.sign_in()
    except SignInError as exc:
        errors.append(exc)
    tok = AccessToken(TOKEN)
    shown = [
        repr(x)
        for x in (
            UsernamePassword("jr", PASSWORD),
            tok,
            AccessToken(lambda: TOKEN),
            ns,
            ns.ticket,
            ns.so_principal,
            ns.header_values,
            ns._session,
            ns.ticket.credentials,
            SoCredentials(ticket=ticket),
        )
    ]
    shown += [str(x) for x in (UsernamePassword("jr", PASSWORD), tok, ns.ticket.credentials)]
    shown += [str(e) for e in errors] + [repr(e) for e in errors]
    assert len(errors) == 4
    text = "\n".join(shown) + caplog.text
    for secret in (PASSWORD, TOKEN, "SECRET-TICKET"):
        assert secret not in text
    assert "signed in with AuthenticateUsernamePassword" in caplog.text


# --- over HTTP ----------------------------------------------------------------------------


def test_over_http_sync_and_async() -> None:
    server = fake()
    with serve(server) as url:
        clock = Clock()
        with NetServer(
            url, application_token=APP, sign_in=UsernamePassword("jr", PASSWORD), clock=clock
        ) as ns:
            assert ns.ticket.get_ticket(1).ticket_id == 1
            server.expire_all()
            assert ns.customer_service.get_program_url("p", True).startswith("https://")
            server.expire_all()
            with pytest.raises(TicketRejectedError):
                ns.ticket.batch_reply(None)

        async def main() -> None:
            async with AsyncNetServer(
                url, application_token=APP, sign_in=UsernamePassword("jr", PASSWORD)
            ) as ans:
                got = await asyncio.gather(*(ans.ticket.get_ticket(i) for i in range(5)))
                assert [g.ticket_id for g in got if g] == list(range(5))

        asyncio.run(main())
    assert outcomes(server) == [
        ("AuthenticateUsernamePassword", None, "ok"),
        ("GetTicket", "7T:tkt-1", "ok"),
        ("GetProgramUrl", "7T:tkt-1", "rejected"),
        ("AuthenticateUsernamePassword", None, "ok"),
        ("GetProgramUrl", "7T:tkt-2", "ok"),
        ("BatchReply", "7T:tkt-2", "rejected"),
        ("AuthenticateUsernamePassword", None, "ok"),
        ("AuthenticateUsernamePassword", None, "ok"),
        *[("GetTicket", "7T:tkt-4", "ok")] * 5,
    ]


# --- what the generator decides -------------------------------------------------------------


@pytest.mark.parametrize(
    "name, safe",
    [
        ("GetTicket", True),
        ("FindPerson", True),
        ("IsValid", True),
        ("CreateDefaultTicketEntity", True),
        ("GetNextInQueue", False),
        ("GetNewMail", False),
        ("GetAccessToken", False),
        ("BatchReply", False),
        ("SaveTicketEntity", False),
        ("DeleteTicket", False),
        ("Getter", True),
    ],
)
def test_which_operations_are_safe_to_repeat(name: str, safe: bool) -> None:
    assert safe_to_repeat(name, profiles.BUILTIN["superoffice"]) is safe


def test_generated_operations_carry_the_classification() -> None:
    from superoffice.services88 import ticket

    assert ticket._OP_get_ticket.safe_to_repeat
    assert not ticket._OP_batch_reply.safe_to_repeat
    assert not ticket._OP_save_ticket_entity.safe_to_repeat


def test_versions_without_sign_in_operations_have_no_sign_in() -> None:
    """Services86 has no SoPrincipal pages: its facade takes no sign_in, as before."""
    import superoffice.services86 as s86

    assert not hasattr(s86.NetServer, "sign_in")
    assert "SignInError" not in s86.__all__
    fields = {f.name for f in dataclasses.fields(profiles.ApiProfile)}
    assert {"ticket_header", "password_sign_in", "repeatable"} <= fields


def _generate_services88(tmp_path: Any, apis: dict[str, dict[str, object]]) -> Any:
    import shutil
    from pathlib import Path

    from soapgen.config.project import Config
    from soapgen.pipeline.run import generate

    root = Path(__file__).resolve().parents[1]
    specs = tmp_path / "specs" / "superoffice" / "Services88"
    shutil.copytree(root / "specs" / "superoffice" / "Services88", specs)
    config = Config(
        root=str(tmp_path), specs=str(tmp_path / "specs"), output=str(tmp_path / "out"), apis=apis
    )
    return generate(config)


def test_a_sign_in_operation_of_the_wrong_shape_is_a_warning_not_a_sign_in(
    tmp_path: Any,
) -> None:
    result = _generate_services88(
        tmp_path,
        {
            "superoffice": {
                "password_sign_in": "Ticket.GetTicket",  # sends Credentials itself
                "token_sign_in": "SoPrincipal.GetSystemInfo",  # takes no token
                "repeatable": ["Batch*"],
            }
        },
    )
    warnings = sorted(d.message for d in result.diags.items if d.code == "GEN007")
    assert len(warnings) == 2, warnings
    assert "SoPrincipal.GetSystemInfo does not take 1 string argument" in warnings[0]
    assert "Ticket.GetTicket sends the Credentials header itself" in warnings[1]
    init = result.files["superoffice/services88/__init__.py"].decode()
    assert "sign_in" not in init and "SignInError" not in init
    ticket = result.files["superoffice/services88/ticket.py"].decode()
    batch = ticket[ticket.index("_OP_batch_reply = ") :]
    assert "safe_to_repeat=True" in batch[: batch.index("\n)\n")]  # the project's own list


def test_profile_settings_are_checked(tmp_path: Any) -> None:
    from soapgen.config.project import ConfigError, load

    for value, message in (
        ('renew_after = "soon"', "must be a integer"),
        ("renew_after = true", "must be a integer"),
        ("repeatable = [1]", "must be a list of strings"),
        ('repeatable = "Get*"', "must be a list"),
    ):
        (tmp_path / "pyproject.toml").write_text(
            f"[tool.soapgen.apis.superoffice]\n{value}\n", encoding="utf-8"
        )
        with pytest.raises(ConfigError, match=message):
            load(str(tmp_path / "pyproject.toml"))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.soapgen.apis.superoffice]\nrenew_after = 600\nrepeatable = ["Get*"]\n',
        encoding="utf-8",
    )
    apis = load(str(tmp_path / "pyproject.toml")).apis
    from soapgen.core import ir

    profile = profiles.for_version("superoffice", ir.Version("Services88", ()), apis)
    assert profile.renew_after == 600 and profile.repeatable == ("Get*",)


def test_against_the_generated_mock_server() -> None:
    """The package's own testing.serve() (real HTTP, requests checked against the WSDL's
    schema): sign in, calls, a refused ticket (an ExceptionInfo answer), renewal."""
    from superoffice.services88.so_principal import AuthenticateUsernamePasswordResult
    from superoffice.services88.ticket import ResponseHeaders
    from superoffice.services88.types import SoExceptionInfo, Ticket

    issued: list[str] = []
    valid: set[str] = set()

    def sign_in(call: Any) -> AuthenticateUsernamePasswordResult:
        ok = call.arguments == {"user_name": "jr", "password": PASSWORD}
        if ok:
            issued.append(f"7T:mock-{len(issued) + 1}")
            valid.add(issued[-1])
        return AuthenticateUsernamePasswordResult(
            credentials=SoCredentials(ticket=issued[-1] if ok else ""),
            authentication_succeeded=ok,
        )

    def get_ticket(call: Any) -> Any:
        ticket_el = call.headers["Credentials"][0]
        if ticket_el.text not in valid:
            info = SoExceptionInfo(
                exception_type="SuperOffice.Exceptions.SoSessionException",
                message="Failed to validate tokens",
            )
            return testing.Answer(None, headers=ResponseHeaders(exception_info=info))
        return Ticket(ticket_id=call.arguments["ticket_id"], title="t")

    with testing.serve() as server:
        server.on("AuthenticateUsernamePassword", sign_in)
        server.on("GetTicket", get_ticket)
        ns = NetServer(server.url, application_token=APP, sign_in=UsernamePassword("jr", PASSWORD))
        assert ns.ticket.get_ticket(1).ticket_id == 1
        valid.clear()  # NetServer forgets the ticket
        assert ns.ticket.get_ticket(2).ticket_id == 2
        assert issued == ["7T:mock-1", "7T:mock-2"]
        calls = [(c.operation, c.errors) for c in server.calls]
        assert calls == [
            ("AuthenticateUsernamePassword", []),
            ("GetTicket", []),
            ("GetTicket", []),
            ("AuthenticateUsernamePassword", []),
            ("GetTicket", []),
        ]
