"""Errors raised by the Grandstream CTI client."""

from __future__ import annotations

from collections.abc import Mapping

# Error messages, which may quote what a phone sent, are cut to this many
# characters: a broken or hostile phone must not fill logs or the UI.
MAX_TEXT = 200


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    """Return the text, cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else f"{text[:limit]}…"


class GrandstreamError(Exception):
    """Base class for every error of the CTI client."""

    def __init__(self, message: str = "") -> None:
        """Keep the message, cut to a bounded length."""
        super().__init__(shorten(message))


class GrandstreamConnectionError(GrandstreamError):
    """The phone could not be reached (timeout, refused, DNS, TLS)."""


class GrandstreamCertificateError(GrandstreamConnectionError):
    """The phone's TLS certificate could not be verified."""


class GrandstreamAuthenticationError(GrandstreamError):
    """The phone refused the passcode; the client sends nothing more."""


class GrandstreamAccessDeniedError(GrandstreamError):
    """The phone refused CTI itself: Action URI support off or this host not allowed.

    Not a refused passcode: a new passcode would not help, and the client
    keeps sending, so it sees when the phone allows CTI again.
    """


class GrandstreamCommandRejectedError(GrandstreamError):
    """The phone answered the request with an error response."""

    def __init__(self, function: str, body: object) -> None:
        """Keep the function and the phone's error body, cut when long."""
        text = repr(body)
        if len(text) > MAX_TEXT:
            body = shorten(body if isinstance(body, str) else text)
            text = repr(body)
        super().__init__(f"{function} rejected by the phone: {text}")
        self.function = function
        self.body = body


class GrandstreamInvalidResponseError(GrandstreamError):
    """The phone answered with something that is not the expected JSON."""


class GrandstreamHttpsRequiredError(GrandstreamError):
    """The phone redirects plain HTTP elsewhere: it serves its API over HTTPS."""


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
