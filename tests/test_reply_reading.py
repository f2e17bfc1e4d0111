"""How the generated client reads reply values, end to end (issue 14): comments and processing
instructions, element order, ranges and whitespace, and where a value cannot be read.

Each test calls the committed ``superoffice.services88`` Ticket client against an
``http.server.ThreadingHTTPServer`` on 127.0.0.1 answering a hand-written reply. The fuzz test
(tests/test_reply_fuzz.py) covers the same ground at random; these are the cases by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from superoffice.services88 import MalformedResponseError
from superoffice.services88.ticket import TicketAgent, TicketReadStatus, UserType

from stub_http import Reply, StubServer

SOAP11 = "http://schemas.xmlsoap.org/soap/envelope/"
NS88 = "http://www.superoffice.net/ws/crm/NetServer/Services88"
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"


class Server(StubServer):
    """Answers every POST with `body`."""

    def __init__(self) -> None:
        self.body = b""
        super().__init__(lambda _request: Reply(200, self.body))
        self.url += "/Cust1"


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


@pytest.fixture(scope="module")
def agent(server: Server) -> Iterator[TicketAgent]:
    with TicketAgent(server.url, ticket="7T:abc") as a:
        yield a


def _envelope(body: str) -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP11}" xmlns:n="{NS88}" xmlns:a="{ARRAYS}"'
        ' xmlns:i="http://www.w3.org/2001/XMLSchema-instance">'
        f"<s:Body>{body}</s:Body></s:Envelope>"
    ).encode()


def entity(server: Server, agent: TicketAgent, content: str) -> object:
    """GetTicketEntity answered with a TicketEntity of `content`."""
    server.body = _envelope(
        f"<n:GetTicketEntityResponse><n:Response>{content}</n:Response></n:GetTicketEntityResponse>"
    )
    return agent.get_ticket_entity(1)


def ids(server: Server, agent: TicketAgent, items: str) -> object:
    """UpdateTicketsReadStatus answered with the list of ints `items` (a:int elements)."""
    server.body = _envelope(
        "<n:UpdateTicketsReadStatusResponse><n:Response>"
        f"{items}</n:Response></n:UpdateTicketsReadStatusResponse>"
    )
    return agent.update_tickets_read_status([1], TicketReadStatus.GREEN)


def refused(server: Server, agent: TicketAgent, content: str) -> str:
    """The message of the MalformedResponseError GetTicketEntity raises for `content`."""
    with pytest.raises(MalformedResponseError) as info:
        entity(server, agent, content)
    return str(info.value)


WHERE = "GetTicketEntity: cannot read the response: GetTicketEntityResponse/Response/"


# ------------------------------------------------------------------ comments and PIs


def test_comments_and_pis_inside_values_never_cut_them(server: Server, agent: TicketAgent) -> None:
    got = entity(
        server,
        agent,
        "<n:TicketId>4<!-- -->2</n:TicketId><n:Title>Hello <?pi x?>World<!--!--></n:Title>"
        "<n:CreatedAt>2025-11-26T<!-- c -->12:08:43Z</n:CreatedAt>"
        "<n:CreatedBy><n:Type>Internal<?x?>Associate</n:Type></n:CreatedBy>",
    )
    assert got.ticket_id == 42 and got.title == "Hello World"  # type: ignore[attr-defined]
    assert got.created_at == dt.datetime(2025, 11, 26, 12, 8, 43, tzinfo=dt.UTC)  # type: ignore[attr-defined]
    assert got.created_by.type is UserType.INTERNAL_ASSOCIATE  # type: ignore[attr-defined]


def test_comments_and_pis_between_items_add_none(server: Server, agent: TicketAgent) -> None:
    items = "<!-- first --><a:int>1</a:int><!-- c --><?pi?><a:int>2</a:int><!-- last -->"
    assert ids(server, agent, items) == [1, 2]
    got = entity(
        server,
        agent,
        "<n:ExtraFields><!-- c --><n:StringKeyValuePair><n:Key>k</n:Key><!-- c -->"
        "<n:Value>v</n:Value></n:StringKeyValuePair><?pi?></n:ExtraFields>",
    )
    assert got.extra_fields == {"k": "v"}  # type: ignore[attr-defined]


# ------------------------------------------------------------------ order


def test_dictionary_pairs_are_read_by_name(server: Server, agent: TicketAgent) -> None:
    got = entity(
        server,
        agent,
        "<n:ExtraFields><n:StringKeyValuePair><n:Value>v</n:Value><n:Key>k</n:Key>"
        '</n:StringKeyValuePair><n:StringKeyValuePair><n:Value i:nil="true"/><n:Key>n</n:Key>'
        "</n:StringKeyValuePair></n:ExtraFields>",
    )
    assert got.extra_fields == {"k": "v", "n": None}  # type: ignore[attr-defined]
    message = refused(
        server,
        agent,
        "<n:ExtraFields><n:StringKeyValuePair><n:Value>v</n:Value></n:StringKeyValuePair>"
        "</n:ExtraFields>",
    )
    assert message.startswith(WHERE + "ExtraFields/StringKeyValuePair[0]: a pair without Key")
    got = entity(  # the schema says Key is nillable; a str key cannot be None: it reads as ""
        server,
        agent,
        '<n:ExtraFields><n:StringKeyValuePair><n:Key i:nil="true"/><n:Value>v</n:Value>'
        "</n:StringKeyValuePair></n:ExtraFields>",
    )
    assert got.extra_fields == {"": "v"}  # type: ignore[attr-defined]


def test_record_fields_in_any_order_the_last_of_a_repeated_field_wins(
    server: Server, agent: TicketAgent
) -> None:
    got = entity(
        server, agent, "<n:Title>t</n:Title><n:TicketId>1</n:TicketId><n:TicketId>2</n:TicketId>"
    )
    assert (got.ticket_id, got.title) == (2, "t")  # type: ignore[attr-defined]


def test_the_last_result_element_wins_nil_or_not(server: Server, agent: TicketAgent) -> None:
    server.body = _envelope(
        "<n:GetTicketEntityResponse><n:Response><n:TicketId>1</n:TicketId></n:Response>"
        '<n:Response i:nil="true"/></n:GetTicketEntityResponse>'
    )
    assert agent.get_ticket_entity(1) is None


# ------------------------------------------------------------------ ranges and lexical forms


@pytest.mark.parametrize(
    ("content", "where", "shown"),
    [
        ("<n:TicketId>2147483648</n:TicketId>", "TicketId", "'2147483648'"),
        ("<n:TicketId>-2147483649</n:TicketId>", "TicketId", "'-2147483649'"),
        ("<n:TicketId>1e3</n:TicketId>", "TicketId", "'1e3'"),
        ("<n:TicketId>4_2</n:TicketId>", "TicketId", "'4_2'"),
        ("<n:TicketId>\u0664\u0662</n:TicketId>", "TicketId", "'\u0664\u0662'"),
        ("<n:TicketId></n:TicketId>", "TicketId", "''"),
        ("<n:CreatedBy><n:Rank>" + "9" * 30 + "</n:Rank></n:CreatedBy>", "CreatedBy/Rank", "'999"),
        ("<n:CreatedBy><n:Rank>32768</n:Rank></n:CreatedBy>", "CreatedBy/Rank", "'32768'"),
        ("<n:Sale><n:Amount>1e400</n:Amount></n:Sale>", "Sale/Amount", "'1e400'"),
        ("<n:Sale><n:Amount>inf</n:Amount></n:Sale>", "Sale/Amount", "'inf'"),
        ("<n:CreatedAt>2025-02-30T00:00:00</n:CreatedAt>", "CreatedAt", "'2025-02-30T00:00:00'"),
        ("<n:CreatedAt>2025-11-26 12:00:00</n:CreatedAt>", "CreatedAt", "'2025-11-26 12:00:00'"),
        ("<n:CreatedBy><n:Deleted>maybe</n:Deleted></n:CreatedBy>", "CreatedBy/Deleted", "'maybe'"),
        ("<n:CreatedBy><n:Type>Nobody</n:Type></n:CreatedBy>", "CreatedBy/Type", "'Nobody'"),
    ],
)
def test_values_outside_their_type_are_refused_naming_path_value_and_type(
    server: Server, agent: TicketAgent, content: str, where: str, shown: str
) -> None:
    message = refused(server, agent, content)
    assert message.startswith(WHERE + where + ": "), message
    assert shown in message


def test_unsigned_int_refuses_minus_one(server: Server) -> None:
    from superoffice.services88.report import ReportAgent

    server.body = _envelope(
        "<n:CreateDefaultReportLabelLayoutEntityResponse><n:Response>"
        "<n:PaperWidth>-1</n:PaperWidth></n:Response></n:CreateDefaultReportLabelLayoutEntityResponse>"
    )
    with ReportAgent(server.url) as report, pytest.raises(MalformedResponseError) as info:
        report.create_default_report_label_layout_entity()
    assert "Response/PaperWidth: invalid xs:unsignedInt: '-1'" in str(info.value)


def test_values_at_the_edges_of_their_range_read(server: Server, agent: TicketAgent) -> None:
    got = entity(
        server,
        agent,
        "<n:TicketId>-2147483648</n:TicketId><n:CreatedBy><n:Rank>+032767</n:Rank></n:CreatedBy>"
        "<n:Sale><n:Amount>1.7976931348623157E308</n:Amount><n:Probability>-0</n:Probability><n:WeightedAmount>-0</n:WeightedAmount>"
        "</n:Sale><n:CreatedAt>2025-11-26T24:00:00+14:00</n:CreatedAt>",
    )
    assert got.ticket_id == -(2**31) and got.created_by.rank == 32767  # type: ignore[attr-defined]
    assert got.sale.amount == 1.7976931348623157e308 and got.sale.probability == 0  # type: ignore[attr-defined]
    assert str(got.sale.weighted_amount) == "-0.0"  # type: ignore[attr-defined]
    zone = dt.timezone(dt.timedelta(hours=14))
    assert got.created_at == dt.datetime(2025, 11, 27, tzinfo=zone)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ whitespace


def test_xml_schema_whitespace_around_values_is_layout(server: Server, agent: TicketAgent) -> None:
    got = entity(
        server,
        agent,
        "<n:TicketId>\n\t 42 \r\n</n:TicketId><n:Title>  kept  </n:Title>"
        "<n:CreatedBy>\n  <n:Deleted> true\t</n:Deleted><n:Type> InternalAssociate </n:Type>\n</n:CreatedBy>",
    )
    assert got.ticket_id == 42 and got.title == "  kept  "  # type: ignore[attr-defined]
    assert got.created_by.deleted is True and got.created_by.type is UserType.INTERNAL_ASSOCIATE  # type: ignore[attr-defined]
    assert ids(server, agent, "<a:int> 1 </a:int>\n<a:int>2\n</a:int>") == [1, 2]


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2003", "\u0085", "\ufeff"])
def test_other_whitespace_around_values_is_refused(
    server: Server, agent: TicketAgent, space: str
) -> None:
    assert refused(server, agent, f"<n:TicketId>42{space}</n:TicketId>").startswith(
        WHERE + "TicketId: invalid xs:int"
    )
    message = refused(
        server, agent, f"<n:CreatedBy><n:Deleted>{space}true</n:Deleted></n:CreatedBy>"
    )
    assert message.startswith(WHERE + "CreatedBy/Deleted: invalid xs:boolean")
    message = refused(
        server, agent, f"<n:CreatedBy><n:Type>InternalAssociate{space}</n:Type></n:CreatedBy>"
    )
    assert message.startswith(WHERE + "CreatedBy/Type: not a value of UserType")


# ------------------------------------------------------------------ structure


def test_wrong_shapes_name_the_element(server: Server, agent: TicketAgent) -> None:
    message = refused(server, agent, "<n:CreatedBy>Ann</n:CreatedBy>")
    assert message.startswith(WHERE + "CreatedBy: expected Associate content, found text")
    message = refused(server, agent, "<n:TicketId><n:x>1</n:x></n:TicketId>")
    assert message.startswith(WHERE + "TicketId: expected xs:int text, found element x")
    with pytest.raises(MalformedResponseError) as info:
        ids(server, agent, "<a:int>1</a:int><a:long>2</a:long>")
    assert "GetTicketEntity" not in str(info.value)
    assert "UpdateTicketsReadStatusResponse/Response/long[1]: expected int items" in str(info.value)
    with pytest.raises(MalformedResponseError) as info:
        ids(server, agent, '<a:int>1</a:int><a:int i:nil="true"/>')
    assert "Response/int[1]: an item of list[xs:int] cannot be nil" in str(info.value)
