"""Fixture tests of Services88 CustomerService: the client against its doc samples."""

from __future__ import annotations

import datetime
import datetime as _dt
import decimal
import decimal as _decimal
import uuid
import uuid as _uuid

import pytest

from .. import testing as _testing
from ..customer_service import (
    CustomerServiceAgent,
)
from ..types import (
    AttachmentEntity,
    ChatSession,
    ConfigType,
    CsFeatureToggle,
    CsSessionKey,
    CustomerCenterConfig,
    CustomerServiceStartup,
    EventData,
    EventHandlerType,
    Mailbox,
    MailboxEntity,
    MailboxType,
    PrefDescValueType,
    Preference,
    PreferenceLevel,
    PreferenceSpec,
    PreviewFaqEntry,
    PreviewQuickReply,
    PreviewReplyTemplate,
    ReplyTemplateParsed,
    SmsConfig,
    SmtpTestResult,
    SoCredentials,
    StatisticsDataSet,
    StatisticsDataValue,
    StatusScreenPanelType,
    SystemTemplateSettings,
    TabOrder,
    TicketInfo,
)

FIX = _testing.FIXTURES / "customer_service"
SOAP_VERSION = "1.1"
_ = (datetime, decimal, pytest, uuid, _dt, _decimal, _uuid)

# the values the doc samples show, each once (a sample's repeated entities share one)
V_CUSTOMER_CENTER_CONFIG_1 = CustomerCenterConfig(
    cust_config_id=0,
    type=ConfigType.STYLE,
    config="",
    cust_lang_id=0,
    registered=datetime.datetime(2025, 11, 26, 12, 7, 11, tzinfo=datetime.timezone.utc),
    registered_associate_id=0,
    updated=datetime.datetime(2025, 11, 26, 12, 7, 11, tzinfo=datetime.timezone.utc),
    updated_associate_id=0,
)
V_SO_CREDENTIALS_1 = SoCredentials(ticket="7T:1234abcxyzExample==")
V_MAILBOX_ENTITY_1 = MailboxEntity(
    mail_in_filter_id=0,
    server_type=MailboxType.UNKNOWN,
    address="",
    username="",
    password="",
    server="",
    port=0,
)
V_CHAT_SESSION_1 = ChatSession(chat_session_id=0)
V_CS_FEATURE_TOGGLE_1 = CsFeatureToggle(name="", state=False)
V_CS_SESSION_KEY_1 = CsSessionKey(key="", login_id=0, user_id=0)
V_CUSTOMER_CENTER_CONFIG_2 = CustomerCenterConfig(
    cust_config_id=0,
    type=ConfigType.STYLE,
    config="",
    cust_lang_id=0,
    registered=datetime.datetime(2025, 11, 26, 12, 7, 16, tzinfo=datetime.timezone.utc),
    registered_associate_id=0,
    updated=datetime.datetime(2025, 11, 26, 12, 7, 16, tzinfo=datetime.timezone.utc),
    updated_associate_id=0,
)
V_PREFERENCE_SPEC_1 = PreferenceSpec(section="", key="")
V_TAB_ORDER_1 = TabOrder(tab_order_id=0, tab_name="", order="", associate_id=0)
V_PREFERENCE_1 = Preference(
    level=PreferenceLevel.UNDEFINED,
    raw_value="",
    specification=V_PREFERENCE_SPEC_1,
    display_value="",
    display_tooltip="",
    display_type=PrefDescValueType.UNKNOWN,
    tab_order=V_TAB_ORDER_1,
    target_id=0,
    pref_desc_id=0,
    table_name="",
    user_preference_id=0,
)
V_CUSTOMER_SERVICE_STARTUP_1 = CustomerServiceStartup(
    timezone_enabled=False,
    tz_offset=0,
    recaptcha_site_key="",
    selected_preferences=[V_PREFERENCE_1],
)
V_EVENT_DATA_1 = EventData(
    type=EventHandlerType.UNKNOWN,
    input_values={"": ""},
    block_execution=False,
    navigate_to="",
    message="",
    show_dialog="",
    output_values={"": ""},
    state_values={"": ""},
    exception="",
    parser_values={"": ""},
    cgi_variables={"": ""},
    cgi_content="",
    headers={"": ""},
    trace_execution=False,
)
V_MAILBOX_1 = Mailbox(mail_in_filter_id=0, address="", category_name="", priority_name="")
V_PREVIEW_FAQ_ENTRY_1 = PreviewFaqEntry(
    title="",
    registered_by_full_name="",
    updated=datetime.datetime(2025, 11, 26, 12, 7, 16, tzinfo=datetime.timezone.utc),
    question="",
    answer="",
)
V_PREVIEW_QUICK_REPLY_1 = PreviewQuickReply(
    name="",
    updated_by_full_name="",
    updated=datetime.datetime(2025, 11, 26, 12, 7, 16, tzinfo=datetime.timezone.utc),
    html_body="",
)
V_PREVIEW_REPLY_TEMPLATE_1 = PreviewReplyTemplate(
    name="",
    description="",
    owned_by_full_name="",
    updated=datetime.datetime(2025, 11, 26, 12, 7, 16, tzinfo=datetime.timezone.utc),
    body="",
    is_html=False,
)
V_ATTACHMENT_ENTITY_1 = AttachmentEntity(
    attachment_id=0,
    name="",
    content_type="",
    att_size=0,
    inline_image=False,
    content_id="",
    auth_key="",
    is_safe_file_extension=False,
)
V_REPLY_TEMPLATE_PARSED_1 = ReplyTemplateParsed(
    reply_template_id=0,
    plain_parsed="",
    html_parsed="",
    attachments=[V_ATTACHMENT_ENTITY_1],
    subject="",
)
V_SMS_CONFIG_1 = SmsConfig(
    default_sms_country="",
    net_server_sms_provider="",
    ns_plugin_sender="",
    ns_plugin_config={"": ""},
)
V_SMTP_TEST_RESULT_1 = SmtpTestResult(success=False, error_message="")
V_STATISTICS_DATA_VALUE_1 = StatisticsDataValue(label="", value=0.0, description="")
V_STATISTICS_DATA_SET_1 = StatisticsDataSet(
    label="", values=[V_STATISTICS_DATA_VALUE_1], description=""
)
V_SYSTEM_TEMPLATE_SETTINGS_1 = SystemTemplateSettings(
    customer_new_customer_template_id=0,
    customer_customer_reply_template_id=0,
    customer_password_template_id=0,
    customer_confirm_email_template_id=0,
    customer_chat_log_template_id=0,
    new_link_template_id=0,
    hotlist_new_message_template_id=0,
    hotlist_ticket_activated_template_id=0,
    user_ticket_alarm_template_id=0,
    hotlist_ticket_taken_over_template_id=0,
    user_active_tickets_template_id=0,
    user_new_message_template_id=0,
    user_ticket_activated_template_id=0,
    user_new_ticket_template_id=0,
    publish_kb_question_template_id=0,
    publish_kb_answer_template_id=0,
    user_ticket_taken_over_template_id=0,
    print_ticket_template_id=0,
    week_stat_template_id=0,
    ticket_alarm_hotlist_template_id=0,
    email_addresses="",
)
V_TICKET_INFO_1 = TicketInfo(
    ticket_id=0,
    title="",
    owner_name="",
    category_name="",
    priority_name="",
    ticket_url="",
    person_name="",
    contact_name="",
)


def _client(transport: _testing.ReplayTransport) -> CustomerServiceAgent:
    return CustomerServiceAgent(
        "http://127.0.0.1:9/replay",
        application_token="1234567-1234-9876",
        credentials=V_SO_CREDENTIALS_1,
        transport=transport,
    )


# One case per operation: its name, where its request sample is, the call made with the values
# of that sample, and the value its response sample parses to (testing.Case).
CASES: list[_testing.Case[CustomerServiceAgent]] = [
    _testing.Case(
        "CreateDefaultCustomerCenterConfig",
        "CreateDefaultCustomerCenterConfig.md:24",
        lambda c: c.create_default_customer_center_config(),
        V_CUSTOMER_CENTER_CONFIG_1,
    ),
    _testing.Case(
        "SaveCustomerCenterConfig",
        "SaveCustomerCenterConfig.md:24",
        lambda c: c.save_customer_center_config(V_CUSTOMER_CENTER_CONFIG_1),
        V_CUSTOMER_CENTER_CONFIG_1,
    ),
    _testing.Case(
        "DeleteCustomerCenterConfig",
        "DeleteCustomerCenterConfig.md:24",
        lambda c: c.delete_customer_center_config(0),
        None,
    ),
    _testing.Case(
        "CreateDefaultMailboxEntity",
        "CreateDefaultMailboxEntity.md:24",
        lambda c: c.create_default_mailbox_entity(),
        V_MAILBOX_ENTITY_1,
    ),
    _testing.Case(
        "SaveMailboxEntity",
        "SaveMailboxEntity.md:24",
        lambda c: c.save_mailbox_entity(V_MAILBOX_ENTITY_1),
        V_MAILBOX_ENTITY_1,
    ),
    _testing.Case(
        "DeleteChatSessions",
        "DeleteChatSessions.md:24",
        lambda c: c.delete_chat_sessions([0]),
        None,
    ),
    _testing.Case(
        "ChatSessionsForUser",
        "ChatSessionsForUser.md:24",
        lambda c: c.chat_sessions_for_user(),
        [V_CHAT_SESSION_1],
    ),
    _testing.Case(
        "UpdateFeatureToggles",
        "UpdateFeatureToggles.md:24",
        lambda c: c.update_feature_toggles([V_CS_FEATURE_TOGGLE_1]),
        None,
    ),
    _testing.Case(
        "EventHandlerExists",
        "EventHandlerExists.md:24",
        lambda c: c.event_handler_exists(EventHandlerType.UNKNOWN),
        False,
    ),
    _testing.Case(
        "EventHandlersExists",
        "EventHandlersExists.md:24",
        lambda c: c.event_handlers_exists([EventHandlerType.UNKNOWN]),
        [EventHandlerType.UNKNOWN],
    ),
    _testing.Case(
        "CreateSession", "CreateSession.md:24", lambda c: c.create_session(""), V_CS_SESSION_KEY_1
    ),
    _testing.Case("RemoveSession", "RemoveSession.md:24", lambda c: c.remove_session(0), None),
    _testing.Case(
        "SessionIsValid", "SessionIsValid.md:24", lambda c: c.session_is_valid(""), False
    ),
    _testing.Case("HasChatNotify", "HasChatNotify.md:24", lambda c: c.has_chat_notify(), False),
    _testing.Case(
        "CheckSymmetricEncryption",
        "CheckSymmetricEncryption.md:24",
        lambda c: c.check_symmetric_encryption(""),
        "",
    ),
    _testing.Case(
        "ReportSessionActive", "ReportSessionActive.md:24", lambda c: c.report_session_active(""), 0
    ),
    _testing.Case(
        "GetCustomerCenterConfig",
        "GetCustomerCenterConfig.md:24",
        lambda c: c.get_customer_center_config(0),
        V_CUSTOMER_CENTER_CONFIG_2,
    ),
    _testing.Case(
        "GetAllCustomerCenterConfigs",
        "GetAllCustomerCenterConfigs.md:24",
        lambda c: c.get_all_customer_center_configs(),
        [V_CUSTOMER_CENTER_CONFIG_2],
    ),
    _testing.Case(
        "SaveAllCustomerCenterConfigs",
        "SaveAllCustomerCenterConfigs.md:24",
        lambda c: c.save_all_customer_center_configs([V_CUSTOMER_CENTER_CONFIG_2]),
        None,
    ),
    _testing.Case(
        "CheckIfCustomizedTemplates",
        "CheckIfCustomizedTemplates.md:24",
        lambda c: c.check_if_customized_templates(),
        False,
    ),
    _testing.Case(
        "GetProgramUrl", "GetProgramUrl.md:24", lambda c: c.get_program_url("", False), ""
    ),
    _testing.Case(
        "GetFaqForCustomer", "GetFaqForCustomer.md:24", lambda c: c.get_faq_for_customer(0), ""
    ),
    _testing.Case(
        "GetCustomerServiceStartup",
        "GetCustomerServiceStartup.md:24",
        lambda c: c.get_customer_service_startup(),
        V_CUSTOMER_SERVICE_STARTUP_1,
    ),
    _testing.Case(
        "GetCustomerServiceStartupByOwner",
        "GetCustomerServiceStartupByOwner.md:24",
        lambda c: c.get_customer_service_startup_by_owner(0),
        V_CUSTOMER_SERVICE_STARTUP_1,
    ),
    _testing.Case(
        "ExecuteEventHandlers",
        "ExecuteEventHandlers.md:24",
        lambda c: c.execute_event_handlers(V_EVENT_DATA_1),
        V_EVENT_DATA_1,
    ),
    _testing.Case("GetMailboxes", "GetMailboxes.md:24", lambda c: c.get_mailboxes(), [V_MAILBOX_1]),
    _testing.Case(
        "GetMailboxEntity",
        "GetMailboxEntity.md:24",
        lambda c: c.get_mailbox_entity(0),
        V_MAILBOX_ENTITY_1,
    ),
    _testing.Case(
        "GetPreviewFaqEntry",
        "GetPreviewFaqEntry.md:24",
        lambda c: c.get_preview_faq_entry(0),
        V_PREVIEW_FAQ_ENTRY_1,
    ),
    _testing.Case(
        "GetPreviewQuickReply",
        "GetPreviewQuickReply.md:24",
        lambda c: c.get_preview_quick_reply(0),
        V_PREVIEW_QUICK_REPLY_1,
    ),
    _testing.Case(
        "GetPreviewReplyTemplate",
        "GetPreviewReplyTemplate.md:24",
        lambda c: c.get_preview_reply_template(0),
        V_PREVIEW_REPLY_TEMPLATE_1,
    ),
    _testing.Case(
        "GetParsedTemplate",
        "GetParsedTemplate.md:24",
        lambda c: c.get_parsed_template(0, 0, 0, 0),
        V_REPLY_TEMPLATE_PARSED_1,
    ),
    _testing.Case(
        "GetUnparsedTemplate",
        "GetUnparsedTemplate.md:24",
        lambda c: c.get_unparsed_template(0, 0),
        V_REPLY_TEMPLATE_PARSED_1,
    ),
    _testing.Case(
        "GetSmsConfig", "GetSmsConfig.md:24", lambda c: c.get_sms_config(), V_SMS_CONFIG_1
    ),
    _testing.Case(
        "TestSmtpServer",
        "TestSmtpServer.md:24",
        lambda c: c.test_smtp_server("", "", False),
        V_SMTP_TEST_RESULT_1,
    ),
    _testing.Case(
        "GetStatistics",
        "GetStatistics.md:24",
        lambda c: c.get_statistics([StatusScreenPanelType.NONE]),
        [V_STATISTICS_DATA_SET_1],
    ),
    _testing.Case(
        "GetSystemTemplateSettings",
        "GetSystemTemplateSettings.md:24",
        lambda c: c.get_system_template_settings(),
        V_SYSTEM_TEMPLATE_SETTINGS_1,
    ),
    _testing.Case(
        "SaveSystemTemplateSettings",
        "SaveSystemTemplateSettings.md:24",
        lambda c: c.save_system_template_settings(V_SYSTEM_TEMPLATE_SETTINGS_1),
        V_SYSTEM_TEMPLATE_SETTINGS_1,
    ),
    _testing.Case(
        "CreateTicketFromMailData",
        "CreateTicketFromMailData.md:24",
        lambda c: c.create_ticket_from_mail_data(0, ""),
        V_TICKET_INFO_1,
    ),
    _testing.Case(
        "AddMessageFromMailData",
        "AddMessageFromMailData.md:24",
        lambda c: c.add_message_from_mail_data(0, ""),
        V_TICKET_INFO_1,
    ),
    _testing.Case(
        "FindTicketsByTitleOrId",
        "FindTicketsByTitleOrId.md:24",
        lambda c: c.find_tickets_by_title_or_id("", 0),
        [V_TICKET_INFO_1],
    ),
]


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_request_matches_doc_sample(case: _testing.Case[CustomerServiceAgent]) -> None:
    _testing.assert_request(case, _client, FIX, SOAP_VERSION)


@pytest.mark.parametrize("case", CASES, ids=_testing.case_id)
def test_parses_doc_response(case: _testing.Case[CustomerServiceAgent]) -> None:
    assert _testing.response_value(case, _client, FIX, SOAP_VERSION) == case.expected
