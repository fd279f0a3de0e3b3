"""Action URL: the events a phone reports by requesting URLs, and how to read them.

Under Settings -> Outbound Notification -> Action URL a phone has one field
per event and requests its URL, with `$variables` filled in raw, when the
event happens: a plain GET without authentication.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Final, Self
from urllib.parse import unquote

# The phone silently drops a longer value from an Action URL field.
MAX_URL_LENGTH: Final = 256
# Filled in, our URLs stay far below this; anything longer was not sent by a
# phone and is not read at all.
MAX_REQUEST_LENGTH: Final = 2048


class PhoneEventType(StrEnum):
    """An Action URL event, with its field in the phone's web interface.

    In the order of that interface (GXP21xx, GRP26xx, WP8x6); only WP8x6
    phones have Rejected Call, others report a rejected call as missed.
    """

    label: str
    pvalue: str

    def __new__(cls, value: str, label: str, pvalue: str) -> Self:
        """Name the event as our URLs send it; keep its field's label and P-value."""
        event = str.__new__(cls, value)
        event._value_, event.label, event.pvalue = value, label, pvalue
        return event

    SETUP_COMPLETED = "setup_completed", "Setup Completed", "P8304"
    REGISTERED = "registered", "Registered", "P8305"
    UNREGISTERED = "unregistered", "Unregistered", "P8306"
    OFF_HOOK = "off_hook", "Off Hook", "P8308"
    ON_HOOK = "on_hook", "On Hook", "P8309"
    INCOMING = "incoming", "Incoming Call", "P8310"
    OUTGOING = "outgoing", "Outgoing Call", "P8311"
    MISSED = "missed", "Missed Call", "P8312"
    ESTABLISHED = "established", "Established Call", "P8313"
    TERMINATED = "terminated", "Terminated Call", "P8314"
    REJECTED = "rejected", "Rejected Call", "P8315"
    DND_ON = "dnd_on", "DND On", "P8316"
    DND_OFF = "dnd_off", "DND Off", "P8317"
    FORWARD_ON = "forward_on", "Forward On", "P8318"
    FORWARD_OFF = "forward_off", "Forward Off", "P8319"
    BLIND_TRANSFER = "blind_transfer", "Blind Transfer", "P8320"
    ATTENDED_TRANSFER = "attended_transfer", "Attended Transfer", "P8321"
    HOLD = "hold", "Hold", "P8324"
    UNHOLD = "unhold", "Unhold", "P8325"


# Phones fill variables in raw, and Home Assistant's HTTP server refuses a
# request line with a raw space or non-ASCII letter before any handler runs.
# So the URLs carry only values that cannot hold either: the MAC (hex digits
# and colons) and the far end's SIP user (RFC 3261 escapes spaces and
# non-ASCII there). Display names ($display_remote) come from reading the phone.
_CALL_EVENTS: Final = frozenset(
    {"incoming", "outgoing", "missed", "established", "terminated", "rejected"}
)
# Other spellings of event names: the web interface's labels and the
# WP8x6's extra Answered Call field.
_EVENT_ALIASES: Final = {
    "answered": PhoneEventType.ESTABLISHED,
    "setup_complete": PhoneEventType.SETUP_COMPLETED,
    "transfer": PhoneEventType.BLIND_TRANSFER,
}
# A variable the phone had no value for arrives as its own name.
_UNFILLED = re.compile(r"\$[A-Za-z_][A-Za-z0-9_-]*")
_KEYS: Final = ("event", "mac", "remote")
_MAC_SEPARATORS = str.maketrans("", "", ":-. ")
_HEX = frozenset("0123456789abcdef")


class InvalidActionUrl(ValueError):
    """A request to an Action URL that is not a phone event we know."""


@dataclass(frozen=True, kw_only=True)
class PhoneEvent:
    """One event a phone pushed; None where the phone had no value."""

    type: PhoneEventType
    # Normalized to lowercase pairs separated by colons.
    mac: str | None = None
    remote: str | None = None


def build_action_urls(webhook_url: str) -> dict[PhoneEventType, str]:
    """Return the URL to paste into each event's field, in the web UI's order."""
    return {
        event: f"{webhook_url}?event={event}&mac=$mac"
        + ("&remote=$remote" if event in _CALL_EVENTS else "")
        for event in PhoneEventType
    }


def normalize_mac(value: str) -> str | None:
    """Return a MAC in any usual spelling as aa:bb:cc:dd:ee:ff, or None."""
    digits = value.translate(_MAC_SEPARATORS).lower()
    if len(digits) != 12 or not _HEX.issuperset(digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def parse_event_type(value: str) -> PhoneEventType | None:
    """Return the event an event name means, however the phone spelled it."""
    name = "_".join(value.lower().replace("-", " ").split()).removesuffix("_call")
    if name in _EVENT_ALIASES:
        return _EVENT_ALIASES[name]
    try:
        return PhoneEventType[name.upper()]
    except KeyError:
        return None


def parse_action_url(values: str) -> PhoneEvent:
    """Read a phone event from what follows the webhook id of a request.

    Phones put the values in the query or, when the URL has no "?", in the
    path ("…/ID/event=incoming&mac=…"). Values are decoded by hand: a form
    decoder would turn the "+" of "+4930…" into a space.
    """
    if len(values) > MAX_REQUEST_LENGTH:
        raise InvalidActionUrl(f"{len(values)} characters is too long for a phone")
    raw: dict[str, str] = {}
    last = None
    for segment in values.lstrip("/?&").split("&"):
        key, equals, value = segment.partition("=")
        name = _decode(key).lower() if equals else None
        if name is None or name not in _KEYS:
            # A far end with a raw "&" splits at it: glue it back together.
            if last == "remote":
                raw[last] += f"&{segment}"
            continue
        # The first value wins, as with any query.
        last = None if name in raw else name
        raw.setdefault(name, value)
    fields = {name: _value(value) for name, value in raw.items()}
    event = fields.get("event")
    if not event or (event_type := parse_event_type(event)) is None:
        raise InvalidActionUrl(f"not an event: {event!r}")
    mac = fields.get("mac")
    return PhoneEvent(
        type=event_type,
        mac=normalize_mac(mac) if mac else None,
        remote=fields.get("remote"),
    )


def _decode(text: str) -> str:
    """Return percent-decoded text without control characters; "+" stays."""
    decoded = unquote(text, errors="replace")
    return "".join(char for char in decoded if char.isprintable()).strip()


def _value(raw: str) -> str | None:
    """Return a value, or None for an empty or unfilled variable."""
    value = _decode(raw)
    if not value or _UNFILLED.fullmatch(value):
        return None
    return value
