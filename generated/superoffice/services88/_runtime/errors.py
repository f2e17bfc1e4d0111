"""The errors a generated client raises: every failure of a call is a SoapError."""

from __future__ import annotations

from lxml import etree


class SoapError(Exception):
    """Base class of every error raised by a generated client."""


class SoapFault(SoapError):
    """A SOAP Fault returned by the service; str() gives code and reason."""

    def __init__(
        self,
        code: str,
        reason: str,
        *,
        detail: etree._Element | None = None,
        subcodes: tuple[str, ...] = (),
        actor: str | None = None,
        soap_version: str = "1.1",
        status_code: int | None = None,
    ) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
        self.detail = detail
        self.subcodes = subcodes
        self.actor = actor
        self.soap_version = soap_version
        self.status_code = status_code
        # a declared fault whose detail could not be read: why (the fault is raised as it came)
        self.detail_error: str | None = None


class TransportError(SoapError):
    """HTTP error status without a fault, or a network error (status_code 0)."""

    def __init__(self, message: str, *, status_code: int, body_excerpt: str = ""):
        super().__init__(message)
        self.status_code = status_code
        self.body_excerpt = body_excerpt


class MalformedResponseError(SoapError):
    """The reply is not XML, not a SOAP envelope, or carries a DTD."""

    def __init__(self, message: str, *, body_excerpt: str = "") -> None:
        super().__init__(message)
        self.body_excerpt = body_excerpt


class UnexpectedCallError(SoapError):
    """A ReplayTransport received a call it has no recorded answer for."""
