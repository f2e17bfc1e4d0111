"""Which operations a generated client may send twice (issue 17): the profile's conservative,
name-based classification, carried by each generated Operation as ``safe_to_repeat``."""

from __future__ import annotations

from typing import Any

import pytest

from soapgen import profiles
from soapgen.plan.agents import safe_to_repeat


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


def test_profile_settings_are_checked(tmp_path: Any) -> None:
    from soapgen import ir
    from soapgen.config import ConfigError, load

    for value, message in (
        ("repeatable = [1]", "must be a list of strings"),
        ('repeatable = "Get*"', "must be a list"),
    ):
        (tmp_path / "pyproject.toml").write_text(
            f"[tool.soapgen.apis.superoffice]\n{value}\n", encoding="utf-8"
        )
        with pytest.raises(ConfigError, match=message):
            load(str(tmp_path / "pyproject.toml"))
    (tmp_path / "pyproject.toml").write_text(
        '[tool.soapgen.apis.superoffice]\nrepeatable = ["Get*"]\n', encoding="utf-8"
    )
    apis = load(str(tmp_path / "pyproject.toml")).apis
    profile = profiles.for_version("superoffice", ir.Version("Services88", ()), apis)
    assert profile.repeatable == ("Get*",)
