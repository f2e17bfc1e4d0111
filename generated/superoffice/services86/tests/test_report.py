"""Fixture tests of Services86 Report: the client against its doc samples."""

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
    ArchiveColumnInfo,
    ArchiveRestrictionInfo,
    InterRestrictionOperator,
    ReportCategory,
    ReportEntity,
    ReportLabelLayoutEntity,
    ReportLayout,
    ReportPaperOrientation,
    SoCredentials,
)

FIX = _testing.FIXTURES / "report"
SOAP_VERSION = "1.1"
_ = (datetime, decimal, pytest, uuid, _dt, _decimal, _uuid)

# the values the doc samples show, each once (a sample's repeated entities share one)
V_REPORT_ENTITY_1 = ReportEntity(
    report_id=0,
    report_category=ReportCategory.NONE,
    description="",
    report_layout=ReportLayout.UNKNOWN,
    name="",
    associate_id=0,
    template_id=0,
    published=False,
)
V_SO_CREDENTIALS_1 = SoCredentials(ticket="7T:1234abcxyzExample==")
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
V_ARCHIVE_COLUMN_INFO_1 = ArchiveColumnInfo(
    display_name="",
    display_tooltip="",
    display_type="",
    can_order_by=False,
    name="",
    can_restrict_by=False,
    restriction_type="",
    restriction_list_name="",
    is_visible=False,
    width="",
    icon_hint="",
    heading_icon_hint="",
)
V_ARCHIVE_RESTRICTION_INFO_1 = ArchiveRestrictionInfo(
    name="",
    operator="",
    nil_fields=frozenset({"column_info", "display_values", "sub_restrictions", "values"}),
)
V_ARCHIVE_RESTRICTION_INFO_2 = ArchiveRestrictionInfo(
    name="",
    operator="",
    values=[""],
    display_values=[""],
    column_info=V_ARCHIVE_COLUMN_INFO_1,
    is_active=False,
    sub_restrictions=[V_ARCHIVE_RESTRICTION_INFO_1],
    inter_parenthesis=0,
    inter_operator=InterRestrictionOperator.NONE,
    unique_hash=0,
)
V_ARCHIVE_RESTRICTION_INFO_3 = ArchiveRestrictionInfo(
    name="",
    operator="",
    values=[""],
    display_values=[""],
    column_info=V_ARCHIVE_COLUMN_INFO_1,
    is_active=False,
    sub_restrictions=[V_ARCHIVE_RESTRICTION_INFO_2],
    inter_parenthesis=0,
    inter_operator=InterRestrictionOperator.NONE,
    unique_hash=0,
)


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
        "CreateDefaultReportEntity",
        "CreateDefaultReportEntity.md:27",
        lambda c: c.create_default_report_entity(),
        V_REPORT_ENTITY_1,
    ),
    _testing.Case(
        "SaveReportEntity",
        "SaveReportEntity.md:29",
        lambda c: c.save_report_entity(V_REPORT_ENTITY_1),
        V_REPORT_ENTITY_1,
    ),
    _testing.Case(
        "CreateDefaultReportLabelLayoutEntity",
        "CreateDefaultReportLabelLayoutEntity.md:28",
        lambda c: c.create_default_report_label_layout_entity(),
        V_REPORT_LABEL_LAYOUT_ENTITY_1,
    ),
    _testing.Case(
        "SaveReportLabelLayoutEntity",
        "SaveReportLabelLayoutEntity.md:27",
        lambda c: c.save_report_label_layout_entity(V_REPORT_LABEL_LAYOUT_ENTITY_1),
        V_REPORT_LABEL_LAYOUT_ENTITY_1,
    ),
    _testing.Case(
        "DeleteReportLabelLayoutEntity",
        "DeleteReportLabelLayoutEntity.md:27",
        lambda c: c.delete_report_label_layout_entity(0),
        None,
    ),
    _testing.Case(
        "GetReportEntity",
        "GetReportEntity.md:27",
        lambda c: c.get_report_entity(0),
        V_REPORT_ENTITY_1,
    ),
    _testing.Case(
        "CreateFavorite",
        "CreateFavorite.md:27",
        lambda c: c.create_favorite(0, "", ""),
        V_REPORT_ENTITY_1,
    ),
    _testing.Case("DeleteFavorite", "DeleteFavorite.md:27", lambda c: c.delete_favorite(0), None),
    _testing.Case(
        "UpdateFavorite",
        "UpdateFavorite.md:27",
        lambda c: c.update_favorite(V_REPORT_ENTITY_1),
        V_REPORT_ENTITY_1,
    ),
    _testing.Case(
        "GenerateReport",
        "GenerateReport.md:23",
        lambda c: c.generate_report(0, 0, "", "", "", [V_ARCHIVE_RESTRICTION_INFO_3]),
        "",
        request_fill=[
            ((5, 0, 6, 0, 6, 0, 5), "false"),
            ((5, 0, 6, 0, 6, 0, 7), "0"),
            ((5, 0, 6, 0, 6, 0, 8), "None"),
            ((5, 0, 6, 0, 6, 0, 9), "0"),
        ],
    ),
    _testing.Case("ImportReport", "ImportReport.md:30", lambda c: c.import_report(""), 0),
    _testing.Case("DeleteReport", "DeleteReport.md:23", lambda c: c.delete_report(0), False),
    _testing.Case(
        "GetReportLabelLayoutEntity",
        "GetReportLabelLayoutEntity.md:23",
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


def test_generate_report_documented_deviations() -> None:
    """The doc samples contradict the WSDL here; the client follows the WSDL.

    - request GenerateReport/Restrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/IsActive (line 100): xsi:nil on an element the WSDL does not declare nillable
    - request GenerateReport/Restrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/InterParenthesis (line 102): xsi:nil on an element the WSDL does not declare nillable
    - request GenerateReport/Restrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/InterOperator (line 103): xsi:nil on an element the WSDL does not declare nillable
    - request GenerateReport/Restrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/SubRestrictions/ArchiveRestrictionInfo/UniqueHash (line 104): xsi:nil on an element the WSDL does not declare nillable
    """
    raw = (FIX / "GenerateReport.doc-request.xml").read_bytes()
    for path in [
        (5, 0, 6, 0, 6, 0, 5),
        (5, 0, 6, 0, 6, 0, 7),
        (5, 0, 6, 0, 6, 0, 8),
        (5, 0, 6, 0, 6, 0, 9),
    ]:
        assert _testing.at(raw, path) is not None
