"""Action URL: the events a phone reports by calling URLs, and how to read them.

Under Settings -> Outbound Notification -> Action URL a phone has one field
per event and requests its URL, with `$variables` filled in, when the event
happens: a plain GET without authentication (field reports; no CTI guide
describes Action URL).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import re
from typing import Final
from urllib.parse import unquote

# The phone silently drops a longer value from an Action URL field.
MAX_URL_LENGTH: Final = 256
# Filled in, the longest of our URLs stays far below this; anything longer
# was not sent by a phone and is not read at all.
MAX_REQUEST_LENGTH: Final = 2048


class PhoneEventType(StrEnum):
    """An Action URL event, named as our URLs send it."""

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


@dataclass(frozen=True, kw_only=True)
class ActionUrlField:
    """One event's field in the phone's Action URL settings."""

    event: PhoneEventType
    # The field's name in the web interface, and its P-value.
    label: str
    pvalue: str
    # Whether the event concerns a call, so that the far end is worth sending.
    call: bool


# In the order of the phone's web interface (GXP21xx, GRP26xx, WP8x6).
FIELDS: Final = (
    ActionUrlField(
        event=PhoneEventType.SETUP_COMPLETED,
        label="Setup Completed",
        pvalue="P8304",
        call=False,
    ),
    ActionUrlField(
        event=PhoneEventType.REGISTERED,
        label="Registered",
        pvalue="P8305",
        call=False,
    ),
    ActionUrlField(
        event=PhoneEventType.UNREGISTERED,
        label="Unregistered",
        pvalue="P8306",
        call=False,
    ),
    ActionUrlField(
        event=PhoneEventType.OFF_HOOK, label="Off Hook", pvalue="P8308", call=False
    ),
    ActionUrlField(
        event=PhoneEventType.ON_HOOK, label="On Hook", pvalue="P8309", call=False
    ),
    ActionUrlField(
        event=PhoneEventType.INCOMING,
        label="Incoming Call",
        pvalue="P8310",
        call=True,
    ),
    ActionUrlField(
        event=PhoneEventType.OUTGOING,
        label="Outgoing Call",
        pvalue="P8311",
        call=True,
    ),
    ActionUrlField(
        event=PhoneEventType.MISSED, label="Missed Call", pvalue="P8312", call=True
    ),
    ActionUrlField(
        event=PhoneEventType.ESTABLISHED,
        label="Established Call",
        pvalue="P8313",
        call=True,
    ),
    ActionUrlField(
        event=PhoneEventType.TERMINATED,
        label="Terminated Call",
        pvalue="P8314",
        call=True,
    ),
    # Only WP8x6 phones have this field; others report a rejected call as missed.
    ActionUrlField(
        event=PhoneEventType.REJECTED,
        label="Rejected Call",
        pvalue="P8315",
        call=True,
    ),
    ActionUrlField(
        event=PhoneEventType.DND_ON, label="DND On", pvalue="P8316", call=False
    ),
    ActionUrlField(
        event=PhoneEventType.DND_OFF, label="DND Off", pvalue="P8317", call=False
    ),
    ActionUrlField(
        event=PhoneEventType.FORWARD_ON,
        label="Forward On",
        pvalue="P8318",
        call=False,
    ),
    ActionUrlField(
        event=PhoneEventType.FORWARD_OFF,
        label="Forward Off",
        pvalue="P8319",
        call=False,
    ),
    ActionUrlField(
        event=PhoneEventType.BLIND_TRANSFER,
        label="Blind Transfer",
        pvalue="P8320",
        call=True,
    ),
    ActionUrlField(
        event=PhoneEventType.ATTENDED_TRANSFER,
        label="Attended Transfer",
        pvalue="P8321",
        call=True,
    ),
    ActionUrlField(event=PhoneEventType.HOLD, label="Hold", pvalue="P8324", call=True),
    ActionUrlField(
        event=PhoneEventType.UNHOLD, label="Unhold", pvalue="P8325", call=True
    ),
)

# Grandstream's variable names ($call-id with a hyphen; $ip and $call_id are
# Yealink's). The display name goes last: it is the one value that may hold
# a raw "&", which the parser then glues back together.
_ALWAYS = (("mac", "$mac"), ("local", "$local"), ("user", "$active_user"))
_CALL = (("remote", "$remote"), ("call", "$call-id"), ("name", "$display_remote"))

# The keys our URLs use, and the variables' own names for people who write
# their URLs by hand.
_KEYS: Final = {
    "event": "event",
    "mac": "mac",
    "remote": "remote",
    "name": "name",
    "display_remote": "name",
    "local": "local",
    "user": "user",
    "active_user": "user",
    "call": "call",
    "call-id": "call",
    "call_id": "call",
}
# Other spellings of event names: the web interface's labels and the
# WP8x6's extra Answered Call field.
_EVENT_ALIASES: Final = {
    "answered": PhoneEventType.ESTABLISHED,
    "setup_complete": PhoneEventType.SETUP_COMPLETED,
    "transfer": PhoneEventType.BLIND_TRANSFER,
}
# A variable the phone had no value for arrives as its own name.
_UNFILLED = re.compile(r"\$[A-Za-z_][A-Za-z0-9_-]*")
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
    remote_name: str | None = None
    local: str | None = None
    user: str | None = None
    call_id: str | None = None


def build_action_urls(webhook_url: str) -> dict[PhoneEventType, str]:
    """Return the URL to paste into each event's field, in the web UI's order."""
    urls = {}
    for field in FIELDS:
        variables = _ALWAYS + _CALL if field.call else _ALWAYS
        query = "&".join(f"{key}={value}" for key, value in variables)
        urls[field.event] = f"{webhook_url}?event={field.event}&{query}"
    return urls


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
        return PhoneEventType(name)
    except ValueError:
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
        name = _KEYS.get(_decode(key).lower()) if equals else None
        if name is None:
            # A display name with a raw "&" splits at it: glue it together.
            if last == "name":
                raw[last] += f"&{segment}"
            continue
        if name in raw:
            # The first value wins, as with any query.
            last = None
            continue
        raw[name] = value
        last = name
    fields = {name: _value(value) for name, value in raw.items()}
    event = fields.get("event")
    event_type = parse_event_type(event) if event else None
    if event_type is None:
        raise InvalidActionUrl(f"not an event: {event!r}")
    mac = fields.get("mac")
    return PhoneEvent(
        type=event_type,
        mac=normalize_mac(mac) if mac else None,
        remote=fields.get("remote"),
        remote_name=fields.get("name"),
        local=fields.get("local"),
        user=fields.get("user"),
        call_id=fields.get("call"),
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
