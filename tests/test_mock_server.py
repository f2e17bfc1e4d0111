"""The generated mock server (``testing.serve()``), used the way a user's tests use it: the
generated clients over real HTTP on 127.0.0.1, sync and async, several agents of SuperOffice
and the Coruson (ServiceStack) SOAP 1.2 and JSON endpoints; requests the server refuses, and
every failure it can inject."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from coruson.v1 import AsyncCoruson, Coruson, ServiceStackError
from coruson.v1 import SoapFault as CorusonFault
from coruson.v1 import testing as coruson_testing
from coruson.v1.coruson import AsyncCorusonJsonAgent, CorusonJsonAgent
from coruson.v1.types import ImportReportsStatus, ImportReportsStatusResponse
from superoffice.services88 import (
    AsyncNetServer,
    MalformedResponseError,
    NetServer,
    NetServerError,
    NoAnswerError,
    ReadTimeoutError,
    SoapFault,
    TransportError,
    testing,
)
from superoffice.services88.report import ReportLabelLayoutEntity
from superoffice.services88.ticket import (
    ResponseHeaders,
    TicketBatchReplyData,
    TicketEntity,
    TicketSecurityLevel,
)
from superoffice.services88.types import SoExceptionInfo

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "http://www.superoffice.net/ws/crm/NetServer/Services88"


@pytest.fixture
def server() -> Iterator[testing.MockServer]:
    with testing.serve() as s:
        yield s


def _netserver(server: testing.MockServer, **kw: Any) -> NetServer:
    return NetServer(server.url, application_token="app-token", ticket="7T:secret", **kw)


def test_every_agent_answers_its_documented_samples(server: testing.MockServer) -> None:
    replay = NetServer("http://unused.invalid/", transport=testing.replay())
    with _netserver(server) as ns:
        assert ns.ticket.batch_reply(None) == replay.ticket.batch_reply(None)
        assert ns.report.get_report_label_layout_entity(
            3
        ) == replay.report.get_report_label_layout_entity(3)
        assert (
            ns.customer_service.check_if_customized_templates()
            == replay.customer_service.check_if_customized_templates()
        )
    assert [(c.agent, c.operation, c.status, c.errors) for c in server.calls] == [
        ("ticket", "BatchReply", 200, []),
        ("report", "GetReportLabelLayoutEntity", 200, []),
        ("customer_service", "CheckIfCustomizedTemplates", 200, []),
    ]


def test_calls_are_recorded_with_typed_arguments_and_headers(server: testing.MockServer) -> None:
    data = TicketBatchReplyData(ticket_ids=[1, 2], slevel=TicketSecurityLevel.INTERNAL)
    with _netserver(server) as ns:
        ns.ticket.batch_reply(data)
        ns.report.get_report_label_layout_entity(17)
    batch, label = server.calls
    assert batch.arguments["batch_reply_data"].ticket_ids == [1, 2]
    assert batch.arguments["batch_reply_data"].slevel is TicketSecurityLevel.INTERNAL
    assert label.arguments == {"report_label_layout_entity_id": 17}
    assert batch.headers["ApplicationToken"].text == "app-token"
    assert batch.http_headers["soapaction"] == f'"{NS}/Ticket/BatchReply"'
    assert "secret" not in repr(batch) and "app-token" not in repr(batch)
    assert server.calls_of(("report", "GetReportLabelLayoutEntity")) == [label]


def test_registered_values_callables_and_sequences(server: testing.MockServer) -> None:
    server.on("GetTicketEntity", TicketEntity(ticket_id=42, title="from the test"))
    server.on(
        ("report", "GetReportLabelLayoutEntity"),
        lambda call: ReportLabelLayoutEntity(
            report_label_layout_id=call.arguments["report_label_layout_entity_id"] * 10
        ),
    )
    server.on("BatchReply", 1, 2, 3)
    with _netserver(server) as ns:
        entity = ns.ticket.get_ticket_entity(1)
        assert entity is not None and (entity.ticket_id, entity.title) == (42, "from the test")
        label = ns.report.get_report_label_layout_entity(4)
        assert label is not None and label.report_label_layout_id == 40
        assert [ns.ticket.batch_reply(None) for _ in range(5)] == [1, 2, 3, 3, 3]
        server.on("GetTicketEntity", None)  # the result left out: the client's None
        assert ns.ticket.get_ticket_entity(1) is None


def test_async_clients_concurrently(server: testing.MockServer) -> None:
    server.on("BatchReply", lambda call: len(call.arguments["batch_reply_data"].ticket_ids))

    async def main() -> list[int]:
        async with AsyncNetServer(server.url, ticket="7T:secret") as ns:
            data = [TicketBatchReplyData(ticket_ids=list(range(n))) for n in range(40)]
            return await asyncio.gather(*(ns.ticket.batch_reply(d) for d in data))

    assert asyncio.run(main()) == list(range(40))
    assert len(server.calls) == 40 and not any(c.errors for c in server.calls)


# --- requests the server refuses ----------------------------------------------------------


def _post(server: testing.MockServer, body: str, **headers: str) -> httpx.Response:
    sent = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{NS}/Ticket/BatchReply"'}
    sent.update({k.replace("_", "-"): v for k, v in headers.items()})
    envelope = f'<s:Envelope xmlns:s="{SOAP11}" xmlns:t="{NS}"><s:Body>{body}</s:Body></s:Envelope>'
    return httpx.post(server.url_of("ticket"), content=envelope.encode(), headers=sent)


def test_a_request_the_schema_rejects_is_a_fault_naming_the_error(
    server: testing.MockServer,
) -> None:
    bad = "<t:BatchReply><t:BatchReplyData><t:TicketIds>1</t:TicketIds></t:BatchReplyData></t:BatchReply>"
    answer = _post(server, bad)
    assert answer.status_code == 500
    assert "faultcode" in answer.text and "Client" in answer.text
    assert "TicketIds" in answer.text and "not valid" in answer.text
    (call,) = server.calls
    assert call.operation == "BatchReply" and call.status == 500
    assert any("TicketIds" in e for e in call.errors)


@pytest.mark.parametrize(
    ("body", "headers", "status", "expected"),
    [
        ("<t:BatchReply/>", {"Content-Type": "application/json"}, 415, "text/xml"),
        ("<t:BatchReply/>", {"SOAPAction": '"urn:nothing"'}, 500, "names no operation"),
        ("<t:GetTicketEntity/>", {}, 500, "but the Body holds"),
        ("", {}, 500, "the Body holds no element"),
        ("<t:BatchReply>", {}, 500, "not XML"),
    ],
)
def test_http_and_envelope_checks(
    server: testing.MockServer, body: str, headers: dict[str, str], status: int, expected: str
) -> None:
    answer = _post(server, body, **headers)
    assert answer.status_code == status
    assert expected in answer.text
    assert server.calls[-1].errors


def test_a_soap12_envelope_at_a_soap11_endpoint_is_a_version_mismatch(
    server: testing.MockServer,
) -> None:
    envelope = (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body/></s:Envelope>'
    )
    answer = httpx.post(
        server.url_of("ticket"),
        content=envelope.encode(),
        headers={"Content-Type": "text/xml", "SOAPAction": '""'},
    )
    assert answer.status_code == 500 and "VersionMismatch" in answer.text


def test_unknown_paths_and_operations(server: testing.MockServer) -> None:
    assert httpx.post(server.url + "Remote/Services88/Nothing.svc", content=b"").status_code == 404
    assert httpx.get(server.url_of("ticket")).status_code == 405
    with pytest.raises(KeyError, match="did you mean GetTicketEntity"):
        server.on("GetTicketEntiti", None)


# --- injected failures ------------------------------------------------------------------


def test_an_injected_fault(server: testing.MockServer) -> None:
    server.on("BatchReply", testing.Fault("Ticket is locked", code="Server"))
    with _netserver(server) as ns, pytest.raises(SoapFault) as caught:
        ns.ticket.batch_reply(None)
    assert caught.value.reason == "Ticket is locked"
    assert caught.value.code == f"{{{SOAP11}}}Server" and caught.value.status_code == 500


def test_an_injected_exception_info_header(server: testing.MockServer) -> None:
    info = SoExceptionInfo(
        message="Ticket expired", exception_type="SoSessionException", source="NetServer"
    )
    server.on("BatchReply", testing.Answer(7, headers=ResponseHeaders(exception_info=info)))
    server.on("GetTicketEntity", testing.DocSample(ResponseHeaders(exception_info=info)))
    with _netserver(server) as ns:
        for call in (lambda: ns.ticket.batch_reply(None), lambda: ns.ticket.get_ticket_entity(1)):
            with pytest.raises(NetServerError) as caught:
                call()
            assert caught.value.info.exception_type == "SoSessionException"
            assert "Ticket expired" in str(caught.value)


@pytest.mark.parametrize("status", [500, 503])
def test_injected_http_errors_with_retry_after(server: testing.MockServer, status: int) -> None:
    server.on("BatchReply", testing.HttpStatus(status, retry_after=30, body=b"down"), 5)
    with _netserver(server) as ns:
        with pytest.raises(TransportError) as caught:
            ns.ticket.batch_reply(None)
        assert caught.value.status_code == status and caught.value.retry_after == 30.0
        assert ns.ticket.batch_reply(None) == 5  # the next answer


def test_a_slow_answer_times_out(server: testing.MockServer) -> None:
    server.on("BatchReply", testing.Slow(5.0))
    with _netserver(server, timeout=0.3) as ns, pytest.raises(ReadTimeoutError):
        ns.ticket.batch_reply(None)
    server.on("BatchReply", testing.Slow(0.05, then=9))
    with _netserver(server) as ns:
        assert ns.ticket.batch_reply(None) == 9


def test_a_connection_cut_before_the_answer(server: testing.MockServer) -> None:
    server.on("BatchReply", testing.CutOff())
    with _netserver(server) as ns, pytest.raises(NoAnswerError):
        ns.ticket.batch_reply(None)


def test_a_connection_cut_in_the_middle_of_the_answer(server: testing.MockServer) -> None:
    server.on("BatchReply", testing.CutOff(after_bytes=60, then=12345))
    with _netserver(server) as ns, pytest.raises((NoAnswerError, MalformedResponseError)):
        ns.ticket.batch_reply(None)


def test_async_clients_see_the_same_failures(server: testing.MockServer) -> None:
    server.on("BatchReply", testing.HttpStatus(503, retry_after=1))
    server.on("GetTicketEntity", testing.Fault("no such ticket", code="Client"))

    async def main() -> list[BaseException | Any]:
        async with AsyncNetServer(server.url, ticket="7T:secret") as ns:
            return await asyncio.gather(
                ns.ticket.batch_reply(None), ns.ticket.get_ticket_entity(1), return_exceptions=True
            )

    http_error, fault = asyncio.run(main())
    assert isinstance(http_error, TransportError) and http_error.status_code == 503
    assert isinstance(fault, SoapFault) and fault.reason == "no such ticket"


# --- the test's own mistakes ----------------------------------------------------------------


def test_an_answer_of_the_wrong_type_fails_the_test_at_the_end() -> None:
    with pytest.raises(testing.MockServerError, match="expected xs:int"):
        with testing.serve("ticket") as server:
            server.on("BatchReply", "seven")
            with _netserver(server) as ns, pytest.raises(SoapFault, match="cannot answer"):
                ns.ticket.batch_reply(None)


def test_serving_some_agents_only() -> None:
    with testing.serve("report") as server:
        assert [s.agent for s in server.services] == ["report"]
        with pytest.raises(KeyError):
            server.url_of("ticket")
    with pytest.raises(KeyError, match="no agent nothing"):
        testing.serve("nothing")


# --- ServiceStack: SOAP 1.2 and JSON ------------------------------------------------------


def _status(total: int) -> ImportReportsStatusResponse:
    return ImportReportsStatusResponse(
        status_description="done", total_reports=total, total_reports_imported=total
    )


def test_coruson_soap12_and_json_sync() -> None:
    job = uuid.UUID(int=7)
    with coruson_testing.serve() as server:
        server.on(
            "ImportReportsStatus", lambda call: _status(call.arguments["request"].import_id.int)
        )
        with Coruson(server.url) as client:
            assert (
                client.coruson.import_reports_status(
                    ImportReportsStatus(import_id=job)
                ).total_reports
                == 7
            )
        with CorusonJsonAgent(server.url) as json_client:
            assert (
                json_client.import_reports_status(ImportReportsStatus(import_id=job)).total_reports
                == 7
            )
        soap, js = server.calls
        assert (soap.soap_version, soap.path, soap.errors) == ("1.2", "/soap12", [])
        assert js.path == "/json/reply/ImportReportsStatus" and js.json["ImportId"] == job.hex


def test_coruson_documented_sample_and_errors_async() -> None:
    async def main(url: str) -> tuple[BaseException | Any, ...]:
        async with AsyncCoruson(url) as client, AsyncCorusonJsonAgent(url) as json_client:
            request = ImportReportsStatus(import_id=uuid.UUID(int=1))
            return tuple(
                await asyncio.gather(
                    client.coruson.import_reports_status(request),
                    json_client.import_reports_status(request),
                    return_exceptions=True,
                )
            )

    with coruson_testing.serve() as server:
        # the documented sample carries a ResponseStatus with an ErrorCode: a service error
        soap, js = asyncio.run(main(server.url))
        assert isinstance(soap, ServiceStackError) and isinstance(js, ServiceStackError)
        server.on(
            "ImportReportsStatus",
            coruson_testing.Fault("Import not found", code="NotFound", status=404),
        )
        soap, js = asyncio.run(main(server.url))
        assert isinstance(soap, CorusonFault) and soap.reason == "Import not found"
        assert isinstance(js, ServiceStackError) and "Import not found" in str(js)


def test_coruson_json_request_that_cannot_be_read() -> None:
    with coruson_testing.serve() as server:
        answer = httpx.post(
            server.url + "json/reply/ImportReportsStatus", json={"ImportId": "not a guid"}
        )
        assert answer.status_code == 400
        assert answer.json()["ResponseStatus"]["ErrorCode"] == "SerializationException"
        assert server.calls[0].errors


# --- soapgen serve ------------------------------------------------------------------------


def test_soapgen_serve_on_the_command_line() -> None:
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    args = [sys.executable, "-m", "soapgen", "serve", "--port", "0"]
    several = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert several.returncode == 2 and "choose one with --api" in several.stderr
    proc = subprocess.Popen(
        [*args, "--api", "superoffice", "--agent", "ticket"],
        cwd=root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # Ctrl-C as in a terminal, also when the tests run in the background (which ignores it)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("soapgen serve: superoffice services88 at http://127.0.0.1:")
        url = first.rsplit(" ", 1)[1].strip()
        listing = [proc.stdout.readline() for _ in range(2)]
        assert "ticket" in listing[0] and "Remote/Services88/Ticket.svc" in listing[0]
        assert "Ctrl-C or SIGTERM stops" in listing[1]
        with NetServer(url, ticket="7T:x") as ns:
            assert isinstance(ns.ticket.batch_reply(None), int)
        log = proc.stdout.readline()
        assert log.startswith("200 /Remote/Services88/Ticket.svc ticket.BatchReply")
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"soapgen serve did not stop on Ctrl-C: {out} {err}") from None
    assert proc.returncode == 0, err
    assert "soapgen serve: stopped" in out


def test_coruson_soap_request_the_schema_rejects() -> None:
    envelope = (
        '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
        '<ImportReportsStatus xmlns="http://schemas.servicestack.net/types">'
        "<ImportId>not-a-guid</ImportId></ImportReportsStatus></s:Body></s:Envelope>"
    )
    with coruson_testing.serve() as server:
        answer = httpx.post(
            server.url + "soap12",
            content=envelope.encode(),
            headers={
                "Content-Type": 'application/soap+xml; charset=utf-8; action="ImportReportsStatus"'
            },
        )
        assert answer.status_code == 400  # SOAP 1.2: a Sender fault
        assert "Sender" in answer.text and "ImportId" in answer.text
        assert server.calls[0].operation == "ImportReportsStatus" and server.calls[0].errors
