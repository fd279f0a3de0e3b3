"""Action URL: the events a phone reports by requesting the URL set for each, unauthenticated."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Final
from urllib.parse import unquote

# The phone silently drops a longer value from an Action URL field.
MAX_URL_LENGTH: Final = 256
# Filled in, our URLs stay far below this; anything longer was not sent by a
# phone and is not read at all.
MAX_REQUEST_LENGTH: Final = 2048


class PhoneEventType(StrEnum):
    """An Action URL event, in the order of the phone's Action URL settings.

    Only WP8x6 phones have Rejected Call; others report a rejected call as missed.
    """

    SETUP_COMPLETED = "setup_completed"
    REGISTERED = "registered"
    UNREGISTERED = "unregistered"
    OFF_HOOK = "off_hook"
    ON_HOOK = "on_hook"
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    MISSED = "missed"
    ESTABLISHED = "established"
    TERMINATED = "terminated"
    REJECTED = "rejected"
    DND_ON = "dnd_on"
    DND_OFF = "dnd_off"
    FORWARD_ON = "forward_on"
    FORWARD_OFF = "forward_off"
    BLIND_TRANSFER = "blind_transfer"
    ATTENDED_TRANSFER = "attended_transfer"
    HOLD = "hold"
    UNHOLD = "unhold"


# Phones fill variables in raw, and Home Assistant's HTTP server refuses a
# request line with a raw space or non-ASCII letter before any handler runs.
# So the URLs carry only values that cannot hold either: the MAC (hex digits
# and colons) and the far end's SIP user (RFC 3261 escapes spaces and
# non-ASCII there). Display names ($display_remote) come from reading the phone.
_CALL_EVENTS: Final = (
    "incoming",
    "outgoing",
    "missed",
    "established",
    "terminated",
    "rejected",
)
# Event names as our URLs send them, and other spellings: the web interface's
# labels and the WP8x6's extra Answered Call field.
_EVENT_NAMES: Final = {str(event): event for event in PhoneEventType} | {
    "answered": PhoneEventType.ESTABLISHED,
    "setup_complete": PhoneEventType.SETUP_COMPLETED,
    "transfer": PhoneEventType.BLIND_TRANSFER,
}
# A variable the phone had no value for arrives as its own name.
_UNFILLED = re.compile(r"\$[A-Za-z_][A-Za-z0-9_-]*")
_KEYS: Final = ("event", "mac", "remote")
_MAC_SEPARATORS = str.maketrans("", "", ":-. ")
_MAC_DIGITS = re.compile(r"[0-9a-f]{12}")


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
    return ":".join(re.findall("..", digits)) if _MAC_DIGITS.fullmatch(digits) else None


def parse_action_url(values: str, mac: str | None = None) -> PhoneEvent:
    """Read a phone event from what follows the webhook id; refuse another phone's."""
    # Values are in the query, or in the path of a URL without "?":
    # "…/ID/event=incoming&…". An event from another MAC than `mac` is refused.
    if len(values) > MAX_REQUEST_LENGTH:
        raise InvalidActionUrl(f"{len(values)} characters is too long for a phone")
    raw: dict[str, str] = {}
    last = None
    for segment in values.lstrip("/?&").split("&"):
        key, equals, value = segment.partition("=")
        name = (_value(key) or "").lower() if equals else ""
        if name not in _KEYS:
            # A far end with a raw "&" splits at it: glue it back together.
            if last == "remote":
                raw[last] += f"&{segment}"
            continue
        # The first value wins, as with any query.
        last = None if name in raw else name
        raw.setdefault(name, value)
    fields = {name: _value(value) for name, value in raw.items()}
    name = "_".join((fields.get("event") or "").lower().replace("-", " ").split())
    if (event_type := _EVENT_NAMES.get(name.removesuffix("_call"))) is None:
        raise InvalidActionUrl(f"not an event: {fields.get('event')!r}")
    event_mac = normalize_mac(fields.get("mac") or "")
    if mac and event_mac != normalize_mac(mac):
        raise InvalidActionUrl("an event from another MAC")
    return PhoneEvent(type=event_type, mac=event_mac, remote=fields.get("remote"))


def _value(raw: str) -> str | None:
    """Return a value decoded without control characters; None if empty or unfilled."""
    # Decoded by hand: a form decoder would turn the "+" of "+4930…" into a space.
    value = unquote(raw, errors="replace")
    value = "".join(char for char in value if char.isprintable()).strip()
    return None if not value or _UNFILLED.fullmatch(value) else value
