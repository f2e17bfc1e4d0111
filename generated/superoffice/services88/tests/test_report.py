"""Fixture tests of Services88 Report: the client against its doc samples."""

from __future__ import annotations

import datetime
import datetime as _dt
import decimal
import decimal as _decimal
import uuid
import uuid as _uuid

import pytest

from .. import testing as _testing
from ..report import (
    ReportAgent,
)
from ..types import (
    ReportLabelLayoutEntity,
    ReportPaperOrientation,
    SoCredentials,
)

FIX = _testing.FIXTURES / "report"
SOAP_VERSION = "1.1"
_ = (datetime, decimal, pytest, uuid, _dt, _decimal, _uuid)

# the values the doc samples show, each once (a sample's repeated entities share one)
V_REPORT_LABEL_LAYOUT_ENTITY_1 = ReportLabelLayoutEntity(
    report_label_layout_id=0,
    name="",
    description="",
    orientation=ReportPaperOrientation.NONE,
    paper_width=0,
    paper_height=0,
    left_margin=0,
    right_margin=0,
    top_margin=0,
    bottom_margin=0,
    count_columns=0,
    count_rows=0,
)
V_SO_CREDENTIALS_1 = SoCredentials(ticket="7T:1234abcxyzExample==")


def _client(transport: _testing.ReplayTransport) -> ReportAgent:
    return ReportAgent(
        "http://127.0.0.1:9/replay",
        application_token="1234567-1234-9876",
        credentials=V_SO_CREDENTIALS_1,
        transport=transport,
    )


# One case per operation: its name, where its request sample is, the call made with the values
# of that sample, and the value its response sample parses to (testing.Case).
CASES: list[_testing.Case[ReportAgent]] = [
    _testing.Case(
        "CreateDefaultReportLabelLayoutEntity",
        "CreateDefaultReportLabelLayoutEntity.md:24",
        lambda c: c.create_default_report_label_layout_entity(),
        V_REPORT_LABEL_LAYOUT_ENTITY_1,
    ),
    _testing.Case(
        "SaveReportLabelLayoutEntity",
        "SaveReportLabelLayoutEntity.md:24",
        lambda c: c.save_report_label_layout_entity(V_REPORT_LABEL_LAYOUT_ENTITY_1),
        V_REPORT_LABEL_LAYOUT_ENTITY_1,
    ),
    _testing.Case(
        "DeleteReportLabelLayoutEntity",
        "DeleteReportLabelLayoutEntity.md:24",
        lambda c: c.delete_report_label_layout_entity(0),
        None,
    ),
    _testing.Case(
        "GetReportLabelLayoutEntity",
        "GetReportLabelLayoutEntity.md:24",
        lambda c: c.get_report_label_layout_entity(0),
        V_REPORT_LABEL_LAYOUT_ENTITY_1,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_request_matches_doc_sample(case: _testing.Case[ReportAgent]) -> None:
    _testing.assert_request(case, _client, FIX, SOAP_VERSION)


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_parses_doc_response(case: _testing.Case[ReportAgent]) -> None:
    assert _testing.response_value(case, _client, FIX, SOAP_VERSION) == case.expected
