"""Calls a phone reports, pushed or seen polling, as grandstream_cti_call events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final, Literal, TypedDict

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util
from homeassistant.util.event_type import EventType

if TYPE_CHECKING:
    from .coordinator import GrandstreamCtiConfigEntry, PhoneData


class CallEventData(TypedDict):
    """What a grandstream_cti_call event tells."""

    device_id: str
    type: str
    number: str | None
    name: str | None


# Fired for every call a phone reports, pushed or seen polling.
EVENT_CALL: Final[EventType[CallEventData]] = EventType("grandstream_cti_call")

# A pushed event and a poll that saw the same change within this long are
# one call; the phone sends its Action URLs within about a second.
SAME_CALL_WINDOW: Final = timedelta(seconds=30)

# Line states of an answered call, and of any call with a far end.
_UP = frozenset({"connected", "onhold"})
_BUSY = frozenset({"ringing", "calling", "connected", "onhold"})


class CallEventType(StrEnum):
    """What happened to a call."""

    INCOMING = "incoming"
    OUTGOING = "outgoing"
    ANSWERED = "answered"
    MISSED = "missed"
    ENDED = "ended"


# Which moment of a call an event marks: a call rings, is placed, is answered
# and ends once, so two reports of the same moment are one event. A rejected
# call pushed as ended is the missed call a poll sees.
_MOMENT: Final = {
    CallEventType.INCOMING: "ring",
    CallEventType.OUTGOING: "dial",
    CallEventType.ANSWERED: "answer",
    CallEventType.MISSED: "end",
    CallEventType.ENDED: "end",
}

type Source = Literal["push", "poll"]


@dataclass(frozen=True, kw_only=True)
class Call:
    """A call event, with the far end when the phone told it."""

    type: CallEventType
    number: str | None = None
    name: str | None = None


@dataclass(frozen=True, kw_only=True)
class _Told:
    """A call event fired: by whom, and when."""

    moment: str
    number: str | None
    source: Source
    at: float

    def same_number(self, number: str | None) -> bool:
        """Return whether a call with this far end may be the one told of."""
        # DECT handset lines do not tell the far end: then any number matches.
        return number is None or self.number is None or number == self.number


@dataclass(frozen=True, kw_only=True)
class _Line:
    """What the call events of one line are made of."""

    state: str
    number: str | None = None
    name: str | None = None


def _lines(data: PhoneData) -> dict[tuple[int, int], _Line]:
    """Return every line of a desk phone (handset 0) or of the DECT handsets."""
    lines = {
        (0, line.line): _Line(
            state=line.state,
            number=line.remote_number or None,
            name=line.remote_name or None,
        )
        for line in data.lines
    }
    # Handset line status has no far end.
    lines.update(
        ((line.handset, line.line), _Line(state=line.state))
        for line in data.handset_lines
    )
    return lines


def derive_calls(previous: PhoneData, data: PhoneData) -> list[Call]:
    """Return the call events that the changes between two polls show."""
    before = _lines(previous)
    # A call that rings or is up on some line did not end, it moved (a pushed
    # event may have put it on another line than the phone did).
    numbers_up = {line.number for line in _lines(data).values() if line.state in _BUSY}
    calls = []
    for key, line in _lines(data).items():
        if (old := before.get(key)) is None or old.state == line.state:
            continue
        if line.state == "ringing":
            calls.append(
                Call(type=CallEventType.INCOMING, number=line.number, name=line.name)
            )
        elif line.state == "calling" and old.state not in _UP:
            calls.append(
                Call(type=CallEventType.OUTGOING, number=line.number, name=line.name)
            )
        elif line.state == "connected" and old.state != "onhold":
            calls.append(
                Call(type=CallEventType.ANSWERED, number=line.number, name=line.name)
            )
        elif line.state == "idle" and not (old.number and old.number in numbers_up):
            if old.state == "ringing":
                calls.append(
                    Call(type=CallEventType.MISSED, number=old.number, name=old.name)
                )
            elif old.state in _BUSY:
                calls.append(
                    Call(type=CallEventType.ENDED, number=old.number, name=old.name)
                )
    return calls


class CallReporter:
    """Fire each call event once, whether a push or a poll told it first."""

    def __init__(self, hass: HomeAssistant, entry: GrandstreamCtiConfigEntry) -> None:
        """Start with no call seen."""
        self._hass = hass
        self._entry = entry
        self._told: list[_Told] = []

    @callback
    def async_report(self, call: Call, source: Source) -> None:
        """Fire the event, unless the other source already did for this call."""
        now = dt_util.utcnow().timestamp()
        window = SAME_CALL_WINDOW.total_seconds()
        self._told = [told for told in self._told if now - told.at < window]
        moment = _MOMENT[call.type]
        number = call.number
        # The call moved on: what was told of its earlier moments cannot be
        # told twice any more (and would hide the next call's).
        self._told = [
            told
            for told in self._told
            if told.moment == moment or not told.same_number(number)
        ]
        for told in self._told:
            if (
                told.source != source
                and told.moment == moment
                and told.same_number(number)
            ):
                # Both have now told of this call; a next one is a new call.
                self._told.remove(told)
                return
        self._told.append(
            _Told(moment=moment, number=call.number, source=source, at=now)
        )
        self._hass.bus.async_fire(
            EVENT_CALL,
            CallEventData(
                device_id=self._entry.runtime_data.device_id,
                type=call.type.value,
                number=call.number,
                name=call.name,
            ),
        )
