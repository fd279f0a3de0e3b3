"""Errors raised by the Grandstream CTI client."""

from __future__ import annotations

from collections.abc import Mapping


class GrandstreamError(Exception):
    """Base class for every error of the CTI client."""


class GrandstreamConnectionError(GrandstreamError):
    """The phone could not be reached (timeout, refused, DNS, TLS)."""


class GrandstreamCertificateError(GrandstreamConnectionError):
    """The phone's TLS certificate could not be verified."""


class GrandstreamAuthenticationError(GrandstreamError):
    """The phone refused the passcode."""


class GrandstreamAccessDeniedError(GrandstreamAuthenticationError):
    """The phone refused CTI itself: Action URI support off or this host not allowed."""


class GrandstreamCommandRejectedError(GrandstreamError):
    """The phone answered the request with an error response."""

    def __init__(self, function: str, body: object) -> None:
        """Keep the function and the phone's error body."""
        super().__init__(f"{function} rejected by the phone: {body!r}")
        self.function = function
        self.body = body


class GrandstreamInvalidResponseError(GrandstreamError):
    """The phone answered with something that is not the expected JSON."""


class GrandstreamUnsupportedError(GrandstreamError):
    """The phone's family lacks the function; raised before any request."""


class GrandstreamInvalidInputError(GrandstreamError, ValueError):
    """A parameter cannot be sent to the phone; raised before any request."""

    def __init__(
        self,
        field: str,
        reason: str,
        value: object = None,
        *,
        code: str = "invalid",
        placeholders: Mapping[str, str] | None = None,
    ) -> None:
        """Keep which field was wrong and why.

        `reason` is English for logs; `code` names the problem and
        `placeholders` its details, so applications can say it in any language.
        """
        super().__init__(f"invalid {field}: {reason}")
        self.field = field
        self.reason = reason
        self.value = value
        self.code = code
        self.placeholders: dict[str, str] = dict(placeholders or {})
