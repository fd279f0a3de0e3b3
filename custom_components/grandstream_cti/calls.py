"""Call events, derived from the call states a phone's coordinator publishes."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Final, NamedTuple, TypedDict

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.util.event_type import EventType

from .cti import FamilyProfile, Function

if TYPE_CHECKING:
    from .coordinator import GrandstreamCtiConfigEntry, PhoneData


class CallEventData(TypedDict):
    """What a grandstream_cti_call event tells."""

    device_id: str
    type: str
    number: str | None
    name: str | None


# Fired once for every moment of a call, whichever of push or poll showed it.
EVENT_CALL: Final[EventType[CallEventData]] = EventType("grandstream_cti_call")


class CallEventType(StrEnum):
    """What happened to a call."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ANSWERED = "answered"
    MISSED = "missed"
    ENDED = "ended"


# The stage of a call each line state (or a GSC's phone status) means.
_STAGES: Final = {"ringing": "ringing", "calling": "calling"} | dict.fromkeys(
    ("connected", "onhold", "busy", "oncall", "holding"), "talking"
)
# The call event of a line's call moving from one stage to another; a line
# seen talking first was answered between two reads.
_EVENTS: Final = {
    (None, "ringing"): CallEventType.INCOMING,
    (None, "calling"): CallEventType.OUTGOING,
    (None, "talking"): CallEventType.ANSWERED,
    ("ringing", "talking"): CallEventType.ANSWERED,
    ("calling", "talking"): CallEventType.ANSWERED,
    ("ringing", None): CallEventType.MISSED,
    ("calling", None): CallEventType.ENDED,
    ("talking", None): CallEventType.ENDED,
}


class Call(NamedTuple):
    """The call on one line: its stage and far end."""

    stage: str
    number: str | None
    name: str | None


type CallEvent = tuple[CallEventType, Call]


def call_event_types(profile: FamilyProfile) -> list[str]:
    """Return the call events a family's phones can produce."""
    # A GSC's phone status tells ringing and busy, never an outgoing call.
    outgoing = profile.supports(Function.GET_LINE_STATUS) or profile.handsets
    return [str(kind) for kind in CallEventType if outgoing or kind != "outgoing"]


def _calls(data: PhoneData) -> dict[tuple[int, int], Call]:
    """Return the calls by line: (0, line) on a desk phone, (handset, line) on DECT."""
    # Handset lines and a GSC's phone status tell no far end: the pushed one.
    lines = [
        ((0, line.line), line.state, line.remote_number or None, line.remote_name)
        for line in data.lines
    ]
    lines += [
        ((line.handset, line.line), line.state, data.remote_number, "")
        for line in data.handset_lines
    ]
    if data.status:
        lines.append(((0, 0), data.status.status, data.remote_number, ""))
    return {
        key: Call(stage=_STAGES[state], number=number, name=name or None)
        for key, state, number, name in lines
        if state in _STAGES
    }


def derive_calls(previous: PhoneData, data: PhoneData) -> list[CallEvent]:
    """Return the call events between two published states, line by line."""
    events, rejected = [], previous.rejected
    before, after = _calls(previous), _calls(data)
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old and new and old.number and new.number and old.number != new.number:
            # Another call on the same line: the first one ended in between.
            moves = [(old, None), (None, new)]
        else:
            moves = [(old, new)]
        for was, now in moves:
            kind = _EVENTS.get((was.stage if was else None, now.stage if now else None))
            if kind is None or (call := now or was) is None:
                continue
            if kind is CallEventType.MISSED and rejected and call.number == rejected:
                # The phone pushed that the user rejected the call: no miss.
                kind = CallEventType.ENDED
            events.append((kind, call))
    return events


@callback
def async_track_calls(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> CALLBACK_TYPE:
    """Fire grandstream_cti_call events as the phone's published states change."""
    coordinator = entry.runtime_data.coordinator
    previous = coordinator.data

    @callback
    def _async_published() -> None:
        nonlocal previous
        old, previous = previous, coordinator.data
        for kind, call in derive_calls(old, previous):
            hass.bus.async_fire(
                EVENT_CALL,
                CallEventData(
                    device_id=entry.runtime_data.device_id,
                    type=kind.value,
                    number=call.number,
                    name=call.name,
                ),
            )

    return coordinator.async_add_listener(_async_published)
