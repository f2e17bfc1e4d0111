"""Per-call response headers under concurrency (issue 14), over a real HTTP server.

``last_response_headers`` is a context variable of the client: each thread, and each asyncio
task, sees the headers of the reply to its own last call. The server on 127.0.0.1 answers
every GetTicketEntity(i) with a reply whose headers are made for i (ExtraInfo, TimeZone,
Succeeded) after a random short delay, so that calls overlap and finish in another order than
they started.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
from collections.abc import Iterator

import pytest
from superoffice.services88.ticket import AsyncTicketAgent, TicketAgent

from stub_http import Reply, Request, StubServer

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
_ID = re.compile(rb"<(?:\w+:)?TicketEntityId>(-?[0-9]+)</(?:\w+:)?TicketEntityId>")


def _reply(i: int) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP11}" xmlns:n="{NS88}"><s:Header>'
        f"<n:ExtraInfo><n:ExtraInfoNameValuePair><n:Key>call</n:Key><n:Value>{i}</n:Value>"
        "</n:ExtraInfoNameValuePair></n:ExtraInfo>"
        f"<n:Succeeded>{'true' if i % 2 else 'false'}</n:Succeeded>"
        f"<n:TimeZone><n:SoTimeZoneId>{i}</n:SoTimeZoneId></n:TimeZone>"
        "</s:Header><s:Body><n:GetTicketEntityResponse><n:Response>"
        f"<n:TicketId>{i}</n:TicketId></n:Response></n:GetTicketEntityResponse></s:Body></s:Envelope>"
    ).encode()


def _answer(request: Request) -> Reply:
    found = _ID.search(request.body)
    assert found is not None, request.body
    data = _reply(int(found.group(1)))
    threading.Event().wait(random.uniform(0, 0.02))  # finish in another order
    return Reply(200, data)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with StubServer(_answer) as server:
        yield server.url + "/Cust1"


def _check(i: int, value: object, headers: object) -> None:
    assert value is not None and value.ticket_id == i  # type: ignore[attr-defined]
    assert headers is not None
    assert headers.extra_info == {"call": str(i)}  # type: ignore[attr-defined]
    assert headers.time_zone.so_time_zone_id == i  # type: ignore[attr-defined]
    assert headers.succeeded is bool(i % 2)  # type: ignore[attr-defined]


def test_200_concurrent_async_calls_each_see_their_own_headers(url: str) -> None:
    async def run() -> list[int]:
        async with AsyncTicketAgent(url, ticket="7T:abc") as agent:

            async def one(i: int) -> int:
                value = await agent.get_ticket_entity(i)
                await asyncio.sleep(random.uniform(0, 0.01))  # others finish meanwhile
                _check(i, value, agent.last_response_headers)
                value = await agent.get_ticket_entity(i + 1000)  # a second call, same task
                await asyncio.sleep(0)
                _check(i + 1000, value, agent.last_response_headers)
                return i

            done = await asyncio.gather(*(one(i) for i in range(200)))
            assert agent.last_response_headers is None  # this task made no call
            return done

    assert asyncio.run(run()) == list(range(200))


def test_16_threads_on_one_sync_client_each_see_their_own_headers(url: str) -> None:
    failures: list[BaseException] = []
    with TicketAgent(url, ticket="7T:abc") as agent:

        def work(t: int) -> None:
            try:
                for k in range(15):
                    i = t * 100 + k
                    _check(i, agent.get_ticket_entity(i), agent.last_response_headers)
            except BaseException as exc:  # reported by the test below
                failures.append(exc)

        threads = [threading.Thread(target=work, args=(t,)) for t in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        assert agent.last_response_headers is None  # the test's own thread made no call
        value = agent.get_ticket_entity(7)
        _check(7, value, agent.last_response_headers)
    assert not failures, failures[:3]
