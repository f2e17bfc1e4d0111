"""Tests for soapgen.read.sources.superoffice: seeds, synthetic broken pages, and the corpus."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from soapgen.core.diagnostics import Diagnostic, Level
from soapgen.read.sources import superoffice
from soapgen.read.sources.superoffice import (
    CODES,
    Fence,
    IndexPage,
    OperationPage,
    WsdlPage,
    read_file,
    read_page,
)

DATA = Path(__file__).resolve().parent / "data" / "superoffice"
SEED_000 = DATA / "000_63f184d6481c57a6.txt"
SEED_002 = DATA / "002_30769b39148593c6.txt"
SEED_003 = DATA / "003_ef06e3cf65aa918c.txt"
CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def errors(diags: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diags if d.level is Level.ERROR]


def check_fence_maps(path: Path, fence: Fence) -> None:
    """Content line k of the fence is file line fence.line + k; fence lines around it."""
    lines = path.read_text(encoding="utf-8").split("\n")
    content = fence.text.split("\n")
    assert content[-1] == ""  # every content line ends with "\n"
    content = content[:-1]
    assert lines[fence.line - 2] == "```xml"
    assert lines[fence.line - 1 + len(content)] == "```"
    for k, text in enumerate(content):
        assert lines[fence.line - 1 + k] == text


OP_PAGE = """\
---
title: Services88.TicketAgent.BatchReply SOAP
uid: Services88-Ticket-BatchReply
---

# Services88 Ticket BatchReply

SOAP request and response examples **Remote/Services88/Ticket.svc**
Implemented by the `SuperOffice.Services88.ITicketAgent.BatchReply` method.

## BatchReply

[WSDL file for Services88/Ticket](../Services88-Ticket)

## BatchReply Request

```xml
<a/>
```

## BatchReply Response

```xml
<b/>
```
"""


# --- seeds -------------------------------------------------------------------------------


def test_seed_000_every_field() -> None:
    page, diags = read_file(str(SEED_000))
    assert diags == []
    assert isinstance(page, OperationPage)
    assert page.path == str(SEED_000)
    assert page.flavour == "docfx"
    assert page.title == "Services86 Report ImportReport"
    assert page.uid == "Services86-Report-ImportReport"
    assert (page.version, page.agent, page.operation) == (
        "Services86",
        "Report",
        "ImportReport",
    )
    assert page.endpoint == "Remote/Services86/Report.svc"
    assert page.description == (
        "Takes the input stream and create a report. This stream must be on a valid xml format"
    )
    assert page.param_docs == (("report", "The report to import in a correct xml format"),)
    assert page.returns_doc == "The id of the newly imported report"
    assert page.wsdl_link == "../Services86-Report.md"
    assert page.line == 7
    assert page.request is not None and page.response is not None
    assert page.request.line == 30
    assert page.response.line == 57
    assert page.request.text.startswith(
        '<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope\n'
    )
    assert "<Report:ImportReport>" in page.request.text
    assert page.request.text.endswith("</SOAP-ENV:Envelope>\n\n")
    assert "<Report:ImportReportResponse>" in page.response.text
    check_fence_maps(SEED_000, page.request)
    check_fence_maps(SEED_000, page.response)
    lines = SEED_000.read_text(encoding="utf-8").split("\n")
    k = page.request.text.split("\n").index("   <Report:ImportReport>")
    assert k == 14 and lines[page.request.line - 1 + k] == "   <Report:ImportReport>"
    assert page.request.line + k == 44


@pytest.mark.parametrize(
    ("seed", "agent", "operation", "request_line", "response_line"),
    [
        (SEED_002, "CustomerService", "ReportSessionActive", 27, 54),
        (SEED_003, "Ticket", "BatchReply", 28, 67),
    ],
)
def test_seeds_services88(
    seed: Path, agent: str, operation: str, request_line: int, response_line: int
) -> None:
    page, diags = read_file(str(seed))
    assert diags == []
    assert isinstance(page, OperationPage)
    assert page.flavour == "docfx"
    assert (page.version, page.agent, page.operation) == (
        "Services88",
        agent,
        operation,
    )
    assert page.uid == f"Services88-{agent}-{operation}"
    assert page.endpoint == f"Remote/Services88/{agent}.svc"
    assert page.wsdl_link == f"../Services88-{agent}.md"
    assert (page.description, page.param_docs, page.returns_doc) == ("", (), "")
    assert page.request is not None and page.response is not None
    assert (page.request.line, page.response.line) == (request_line, response_line)
    check_fence_maps(seed, page.request)
    check_fence_maps(seed, page.response)


# --- well-formed synthetic pages ------------------------------------------------------------


def test_mintlify_operation_page() -> None:
    page, diags = read_page("x.md", OP_PAGE)
    assert diags == []
    assert isinstance(page, OperationPage)
    assert page.flavour == "mintlify"
    assert page.wsdl_link == "../Services88-Ticket"
    assert page.request == Fence("<a/>\n", 18)
    assert page.response == Fence("<b/>\n", 24)


def test_bom_crlf_and_quoted_front_matter() -> None:
    text = "\ufeff" + OP_PAGE.replace("title: Services88", 'title: "Services88').replace(
        "BatchReply SOAP", 'BatchReply SOAP"'
    )
    page, diags = read_page("x.md", text.replace("\n", "\r\n"))
    assert diags == []
    assert isinstance(page, OperationPage)
    assert page.request == Fence("<a/>\n", 18)


def test_wsdl_page() -> None:
    text = (
        '---\nmode: "frame"\nuid: wsdl-Services88-Ticket\ntitle: Services88.TicketAgent WSDL\n---\n\n'
        "# Services88.TicketAgent WSDL\n\n```xml\n<wsdl:definitions>\n</wsdl:definitions>\n```\n"
    )
    page, diags = read_page("Services88-Ticket.md", text)
    assert diags == []
    assert page == WsdlPage(
        "Services88-Ticket.md",
        "Services88",
        "Ticket",
        "Services88.TicketAgent WSDL",
        Fence("<wsdl:definitions>\n</wsdl:definitions>\n", 10),
    )


def test_index_page() -> None:
    text = (
        "---\ntitle: Services88.TicketAgent SOAP\nuid: Services88-Ticket-soap\n---\n\n"
        "# Services88 Ticket SOAP\n\nSOAP request and response examples, and WSDL files for "
        "**Remote/Services88/Ticket.svc**\n\nDownload [WSDL file for Services88/Ticket]"
        "(../Services88-Ticket) if you need it.\n\n* [AcceptTickets](./AcceptTickets)\n"
        "* [BatchReply](BatchReply.md)\n"
    )
    page, diags = read_page("Ticket/index.md", text)
    assert diags == []
    assert page == IndexPage(
        "Ticket/index.md", "Services88", "Ticket", ("AcceptTickets", "BatchReply")
    )


def test_index_by_file_name_without_uid() -> None:
    text = "---\ntitle: Services88.TicketAgent SOAP\n---\n\n# Services88 Ticket SOAP\n\n* [A](A)\n"
    page, diags = read_page("Ticket/index.md", text)
    assert diags == []
    assert page == IndexPage("Ticket/index.md", "Services88", "Ticket", ("A",))


# --- broken input: never raises, always a diagnostic with path and 1-based line ------------------


@pytest.mark.parametrize("text", ["", "   \n\n\t\n", "\ufeff"])
def test_empty(text: str) -> None:
    page, diags = read_page("e.md", text)
    assert page is None and codes(diags) == ["SO001"]
    assert diags[0].level is Level.ERROR and diags[0].line == 1


def test_binary_junk(tmp_path: Path) -> None:
    junk = tmp_path / "junk.md"
    junk.write_bytes(b"# ok\n\x89PNG\r\n\x1a\n\x00\xff\xfe\x80")
    page, diags = read_file(str(junk))
    assert page is None and codes(diags) == ["SO002"]
    assert diags[0].file == str(junk) and diags[0].line == 2
    page, diags = read_page("nul.md", "# a\n\nb\x00c\n")
    assert page is None and codes(diags) == ["SO002"] and diags[0].line == 3


def test_missing_file(tmp_path: Path) -> None:
    page, diags = read_file(str(tmp_path / "nope.md"))
    assert page is None and codes(diags) == ["SO002"] and diags[0].line == 1


def test_no_front_matter_still_reads() -> None:
    text = OP_PAGE.split("---\n", 2)[2]
    page, diags = read_page("x.md", text)
    assert codes(diags) == ["SO003"] and diags[0].level is Level.WARNING
    assert isinstance(page, OperationPage)
    assert page.uid == "" and page.operation == "BatchReply"
    assert page.request is not None and page.request.line == 14


def test_unclosed_front_matter_and_bad_line() -> None:
    page, diags = read_page("x.md", "---\ntitle: x\n\n# Services88 Ticket SOAP\n")
    assert "SO004" in codes(diags)
    assert isinstance(page, IndexPage)  # the heading still identifies it
    page, diags = read_page("x.md", OP_PAGE.replace("uid: ", "uid: x\njust words\nuid: ", 1))
    assert [(d.code, d.line) for d in diags] == [("SO005", 4)]


def test_missing_title_and_unparsable_identity() -> None:
    page, diags = read_page("x.md", "---\ngenerated: 1\n---\n\nJust text.\n")
    assert page is None
    assert codes(diags) == ["SO006", "SO008"]
    page, diags = read_page(
        "x.md", "---\ntitle: Services88 reference\n---\n\n# SOAP web services\n"
    )
    assert page is None
    assert [(d.code, d.line) for d in diags] == [
        ("SO007", 5),
        ("SO007", 2),
        ("SO008", 5),
    ]


def test_identity_disagreement_warns() -> None:
    page, diags = read_page(
        "x.md",
        OP_PAGE.replace("# Services88 Ticket BatchReply", "# Services88 Ticket Other"),
    )
    assert isinstance(page, OperationPage) and page.operation == "BatchReply"  # uid wins
    assert [(d.code, d.line, d.level) for d in diags] == [("SO009", 6, Level.WARNING)]


def test_missing_request_and_response() -> None:
    text = OP_PAGE.split("## BatchReply Request")[0]
    page, diags = read_page("x.md", text)
    assert isinstance(page, OperationPage) and page.request is None and page.response is None
    assert [(d.code, d.level, d.line) for d in diags] == [
        ("SO010", Level.ERROR, 6),
        ("SO011", Level.ERROR, 6),
    ]
    text = OP_PAGE.replace("```xml\n<b/>\n```\n", "No sample.\n")
    page, diags = read_page("x.md", text)
    assert [(d.code, d.line) for d in diags] == [("SO011", 21)]


def test_fence_not_xml_is_used_with_warning() -> None:
    page, diags = read_page("x.md", OP_PAGE.replace("```xml\n<b/>", "```\n<b/>"))
    assert [(d.code, d.level, d.line) for d in diags] == [("SO012", Level.WARNING, 23)]
    assert isinstance(page, OperationPage) and page.response == Fence("<b/>\n", 24)


def test_unclosed_fence() -> None:
    text = OP_PAGE.rsplit("```", 1)[0]
    page, diags = read_page("x.md", text)
    assert [(d.code, d.level, d.line) for d in diags] == [("SO013", Level.ERROR, 23)]
    assert isinstance(page, OperationPage) and page.response is None
    # a lost closing line: the request fence runs on to the response's closing line
    text = OP_PAGE.replace("<a/>\n```\n", "<a/>\n", 1)
    page, diags = read_page("x.md", text)
    assert [(d.code, d.line) for d in diags] == [("SO011", 6)]
    assert isinstance(page, OperationPage) and page.request is not None
    assert "## BatchReply Response" in page.request.text


def test_extra_fence_and_foreign_section() -> None:
    text = OP_PAGE.replace("<a/>\n```\n", "<a/>\n```\n\n```xml\n<c/>\n```\n", 1)
    text = text.replace("## BatchReply Response", "## Other Response")
    page, diags = read_page("x.md", text)
    assert codes(diags) == ["SO014", "SO017"]
    assert isinstance(page, OperationPage) and page.request == Fence("<a/>\n", 18)


def test_missing_endpoint() -> None:
    page, diags = read_page("x.md", OP_PAGE.replace("**Remote/Services88/Ticket.svc**", "nowhere"))
    assert codes(diags) == ["SO015"]
    assert isinstance(page, OperationPage) and page.endpoint == ""


def test_wsdl_page_without_fence_and_empty_index() -> None:
    page, diags = read_page(
        "w.md", "---\nuid: wsdl-Services88-Ticket\n---\n# Services88.TicketAgent WSDL\n"
    )
    assert page is None and codes(diags) == ["SO016"]
    page, diags = read_page(
        "i.md", "---\nuid: Services88-Ticket-soap\n---\n# Services88 Ticket SOAP\n"
    )
    assert isinstance(page, IndexPage) and codes(diags) == ["SO018"]


def test_codes_documented() -> None:
    source = Path(superoffice.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'"(SO\d{3})"', source))
    assert used == set(CODES)
    assert all(CODES.values())


PIECES = list("#*-`~:[]()\n <>xmlSOAP\r\ufeff\t_.!") + [
    "```xml\n",
    "---\n",
    "## A Request\n",
]


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(PIECES)).map("".join), st.text()))
def test_never_raises(text: str) -> None:
    page, diags = read_page("f.md", text)
    assert page is not None or diags
    for d in diags:
        assert d.file == "f.md" and d.line >= 1 and d.code in CODES


# --- corpus -----------------------------------------------------------------------------------


def read_tree(root: Path) -> tuple[list[object], list[Diagnostic], float]:
    start = time.perf_counter()
    pages: list[object] = []
    diags: list[Diagnostic] = []
    for path in sorted(root.rglob("*.md")):
        page, found = read_file(str(path))
        pages.append(page)
        diags += found
    return pages, diags, time.perf_counter() - start


@pytest.mark.corpus
def test_corpus_mintlify() -> None:
    root = CORPUS / "superoffice-mintlify" / "Services88"
    if not root.is_dir():
        pytest.skip(f"{root} absent")
    pages, diags, seconds = read_tree(root)
    print(f"\nmintlify Services88: {len(pages)} files in {seconds:.2f} s")
    ops = [p for p in pages if isinstance(p, OperationPage)]
    assert len(ops) == 1381
    assert sum(isinstance(p, WsdlPage) for p in pages) == 43
    assert sum(isinstance(p, IndexPage) for p in pages) == 46
    assert errors(diags) == []
    assert all(p.request is not None and p.response is not None for p in ops)
    assert all(p.flavour == "mintlify" and p.endpoint for p in ops)
    # the only page left unrecognized is the version-level index (a list of agents)
    assert [p for p, page in zip(sorted(root.rglob("*.md")), pages) if page is None] == [
        root / "index.md"
    ]


@pytest.mark.corpus
def test_corpus_docfx() -> None:
    root = CORPUS / "superoffice-docfx"
    if not root.is_dir():
        pytest.skip(f"{root} absent")
    pages, diags, seconds = read_tree(root)
    print(f"\ndocfx: {len(pages)} files in {seconds:.2f} s")
    assert None not in pages
    assert diags == []
    ops = [p for p in pages if isinstance(p, OperationPage)]
    assert len(ops) == 32
    assert all(p.flavour == "docfx" and p.request and p.response for p in ops)
