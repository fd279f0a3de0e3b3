"""The phone's state: lines, handsets, accounts, music, and its call state machine."""

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass, field
import itertools
from typing import Protocol

from .families import DIGITS, FAMILIES, FamilyProfile
from .models import MUSIC_DIR, ModelProfile

IDLE = "idle"
RINGING = "ringing"
CALLING = "calling"
DIALING = "dialing"
CONNECTED = "connected"
ONHOLD = "onhold"

# Line states that make phone status say "busy" (it says "ringing" first).
BUSY_STATES = frozenset({CALLING, DIALING, CONNECTED, ONHOLD})

# DP750 spells the keypad symbols out.
_SPELLED = {"HASH": "#", "STAR": "*"}
_KEYPAD = DIGITS | {"#", "*"}


class Emit(Protocol):
    """Receive one phone event, named like the Action URL events."""

    def __call__(self, event: str, /, **variables: object) -> None:
        """Handle the event."""


@dataclass(slots=True)
class Line:
    """One call appearance, as line status reports it."""

    number: int
    # Account the line is bound to (1-based); 0 = none, as DP lines 2-10 show.
    account: int
    state: str = IDLE
    remote_number: str = ""
    remote_name: str = ""
    # Account of the current call (1-based); 0 when there is no call.
    call_account: int = 0
    # A new id per call, so an answer timer from an earlier call is ignored.
    call_id: int = 0

    @property
    def shown_account(self) -> int:
        """Return the account line status shows: the call's, else the bound one."""
        return self.call_account or self.account


@dataclass(slots=True)
class Station:
    """A keypad with its lines: the desk phone itself, or one DP750 handset."""

    # 0 for a desk phone, 1-5 for a DP handset.
    number: int
    lines: list[Line]
    # DP: paired with the base ("initialized" and "subscribed" in hs status).
    paired: bool = True
    # Digits typed since going off hook, dialled by SEND.
    dial_buffer: str = ""
    dnd: bool = False
    muted: bool = False
    speaker: bool = False
    headset: bool = False
    locked: bool = False


@dataclass(slots=True)
class Account:
    """One SIP account and whether it is registered now."""

    id: int
    sip_server: str
    sip_id: str
    name: str
    registered: bool
    handset_mode: str

    @property
    def configured(self) -> bool:
        """Return whether the account slot is set up at all."""
        return bool(self.sip_id)


@dataclass(slots=True)
class Music:
    """GSC local music playback: the playing file's path, or None."""

    path: str | None = None
    loop: bool = False


def summarize(lines: Iterable[Line]) -> str:
    """Return the phone status word for a set of lines."""
    states = {line.state for line in lines}
    if RINGING in states:
        return "ringing"
    if states & BUSY_STATES:
        return "busy"
    return "available"


@dataclass(slots=True)
class _Timers:
    """Pending "far end answers" timers, by call id."""

    handles: dict[int, asyncio.TimerHandle] = field(default_factory=dict)

    def cancel(self, call_id: int) -> None:
        """Forget one call's timer."""
        if (handle := self.handles.pop(call_id, None)) is not None:
            handle.cancel()

    def cancel_all(self) -> None:
        """Forget every timer."""
        for handle in self.handles.values():
            handle.cancel()
        self.handles.clear()


class PhoneState:
    """Calls and settings of one phone; every change goes through its methods."""

    def __init__(
        self, profile: ModelProfile, *, answer_delay: float | None, emit: Emit
    ) -> None:
        """Build the idle phone of a model."""
        self.profile = profile
        self.family: FamilyProfile = FAMILIES[profile.family]
        # Seconds until the far end answers an outgoing call; None = never by itself.
        self.answer_delay = answer_delay
        self.accounts = [
            Account(
                id=index,
                sip_server=config.sip_server,
                sip_id=config.sip_id,
                name=config.name,
                registered=config.registered,
                handset_mode=config.handset_mode,
            )
            for index, config in enumerate(profile.accounts, start=1)
        ]
        self.stations = self._build_stations()
        self.music = Music()
        # A test may force the phone status word (e.g. "calling" seen on a GXP1625).
        self.phone_status_override: str | None = None
        self._emit = emit
        self._timers = _Timers()
        self._call_ids = itertools.count(1)

    def _build_stations(self) -> list[Station]:
        """Return the desk phone, or the base's handsets."""
        profile = self.profile
        if not self.is_dp:
            return [
                Station(
                    0, [Line(n, account=1) for n in range(1, profile.line_count + 1)]
                )
            ]
        stations = []
        for number in range(1, profile.handset_count + 1):
            # Line 1 of a handset carries the account whose HSMode names it;
            # the other lines show Account 0 (Grandstream CTI guide, DP750/720 edition, Handset Line Status).
            bound = next(
                (a.id for a in self.accounts if a.handset_mode == f"HS{number}"), 0
            )
            lines = [
                Line(n, account=bound if n == 1 else 0)
                for n in range(1, profile.line_count + 1)
            ]
            stations.append(
                Station(number, lines, paired=number <= profile.paired_handsets)
            )
        return stations

    # ----- lookups

    @property
    def is_dp(self) -> bool:
        """Return whether the phone is a DECT base with handsets."""
        return self.profile.handset_count > 0

    @property
    def phone_status(self) -> str:
        """Return what api-get_phone_status says now."""
        if self.phone_status_override is not None:
            return self.phone_status_override
        return summarize(line for s in self.stations for line in s.lines)

    @property
    def music_paths(self) -> list[str]:
        """Return the paths api-get_music lists."""
        return [f"{MUSIC_DIR}/{name}" for name in self.profile.music]

    def station(self, handset: int | None = None) -> Station:
        """Return the desk phone, or a DP handset (None = handset 1)."""
        if not self.is_dp:
            if handset is not None:
                raise ValueError(f"{self.profile.model} has no handsets")
            return self.stations[0]
        number = 1 if handset is None else handset
        if not 1 <= number <= len(self.stations):
            raise ValueError(f"handset {number} is not 1..{len(self.stations)}")
        return self.stations[number - 1]

    def line(self, number: int, handset: int | None = None) -> Line:
        """Return one line (1-based) of the phone or of a DP handset."""
        lines = self.station(handset).lines
        if not 1 <= number <= len(lines):
            raise ValueError(f"line {number} is not 1..{len(lines)}")
        return lines[number - 1]

    def account(self, number: int) -> Account:
        """Return one account (1-based)."""
        if not 1 <= number <= len(self.accounts):
            raise ValueError(f"account {number} is not 1..{len(self.accounts)}")
        return self.accounts[number - 1]

    @staticmethod
    def find(station: Station, *states: str) -> Line | None:
        """Return the first line in the first of the states that has one."""
        for state in states:
            for line in station.lines:
                if line.state == state:
                    return line
        return None

    def active_line(self, station: Station) -> Line | None:
        """Return the call endcall ends: talking, ringing out, dialing, odd, held."""
        if (line := self.find(station, CONNECTED, CALLING, DIALING)) is not None:
            return line
        for line in station.lines:
            # A state set by a test (e.g. "failed") still counts as a call to end.
            if line.state not in (IDLE, RINGING, ONHOLD):
                return line
        return self.find(station, ONHOLD)

    def registered_account(self, station: Station) -> int | None:
        """Return the account a new call from this station uses, if any is registered."""
        bound = station.lines[0].account
        if bound and self.account(bound).registered:
            return bound
        return next((a.id for a in self.accounts if a.registered), None)

    # ----- the one place a line changes state

    def _set(self, station: Station, line: Line, state: str, event: str) -> None:
        """Move a line to a state and report the event."""
        variables: dict[str, object] = {
            "line": line.number,
            "state": state,
            "remote": line.remote_number,
            "display_remote": line.remote_name,
            "account": line.call_account,
        }
        if station.number:
            variables["handset"] = station.number
        line.state = state
        if state != CALLING:
            self._timers.cancel(line.call_id)
        if state == IDLE:
            line.remote_number = line.remote_name = ""
            line.call_account = 0
        self._emit(event, **variables)

    def _start_call(self, line: Line, number: str, name: str, account: int) -> None:
        """Give a line a new call's far end."""
        line.call_id = next(self._call_ids)
        line.remote_number = number
        line.remote_name = name
        line.call_account = account

    def _hold_others(self, station: Station, keep: Line) -> None:
        """Put the station's other talking lines on hold, as taking a new call does."""
        for line in station.lines:
            if line is not keep and line.state == CONNECTED:
                self._set(station, line, ONHOLD, "hold")

    # ----- call operations; each returns whether the phone accepted it

    def ring(
        self, station: Station, line: Line, number: str, name: str, account: int
    ) -> bool:
        """Let a call come in on an idle line of a paired handset or desk phone."""
        if line.state != IDLE or not station.paired:
            return False
        if station.dnd:
            # Do Not Disturb turns the caller away without ringing.
            self._emit(
                "missed_call",
                line=line.number,
                remote=number,
                display_remote=name,
                dnd=True,
            )
            return False
        self._start_call(line, number, name, account)
        self._set(station, line, RINGING, "incoming_call")
        return True

    def answer(self, station: Station, line: Line) -> bool:
        """Answer a ringing line; a call in progress goes on hold."""
        if line.state != RINGING:
            return False
        self._hold_others(station, line)
        self._set(station, line, CONNECTED, "established_call")
        return True

    def reject(self, station: Station, line: Line) -> bool:
        """Turn a ringing call away."""
        if line.state != RINGING:
            return False
        self._set(station, line, IDLE, "rejected_call")
        return True

    def hold(self, station: Station, line: Line) -> bool:
        """Hold a talking line."""
        if line.state != CONNECTED:
            return False
        self._set(station, line, ONHOLD, "hold")
        return True

    def resume(self, station: Station, line: Line) -> bool:
        """Take a held line back; a call in progress goes on hold."""
        if line.state != ONHOLD:
            return False
        self._hold_others(station, line)
        self._set(station, line, CONNECTED, "unhold")
        return True

    def end(self, station: Station, line: Line) -> bool:
        """Hang up a line that is not idle or ringing."""
        if line.state in (IDLE, RINGING):
            return False
        event = "on_hook" if line.state == DIALING else "terminated_call"
        if line.state == DIALING:
            station.dial_buffer = ""
        self._set(station, line, IDLE, event)
        return True

    def off_hook(self, station: Station, line: Line) -> bool:
        """Take an idle line off hook to dial on it."""
        if line.state != IDLE:
            return False
        self._hold_others(station, line)
        station.dial_buffer = ""
        self._set(station, line, DIALING, "off_hook")
        return True

    def place_call(
        self, station: Station, line: Line, number: str, account: int
    ) -> bool:
        """Call a number from an idle or dialing line; the far end answers later."""
        if line.state not in (IDLE, DIALING):
            return False
        self._hold_others(station, line)
        station.dial_buffer = ""
        self._start_call(line, number, "", account)
        self._set(station, line, CALLING, "outgoing_call")
        self._schedule_answer(station, line)
        return True

    def remote_answer(self, station: Station, line: Line) -> bool:
        """Let the far end answer an outgoing call."""
        if line.state != CALLING:
            return False
        self._set(station, line, CONNECTED, "established_call")
        return True

    def remote_hangup(self, station: Station, line: Line) -> bool:
        """Let the far end hang up; a ringing call becomes a missed call."""
        if line.state == IDLE:
            return False
        event = "missed_call" if line.state == RINGING else "terminated_call"
        self._set(station, line, IDLE, event)
        return True

    def force_state(
        self, station: Station, line: Line, state: str, number: str, name: str
    ) -> None:
        """Put a line in any state, even one no guide names."""
        if state != IDLE and (number or name):
            self._start_call(line, number, name, line.account)
        self._set(station, line, state, "line_state")

    def _schedule_answer(self, station: Station, line: Line) -> None:
        """Connect an outgoing call after answer_delay seconds."""
        delay = self.answer_delay
        if delay is None:
            return
        if delay <= 0:
            self.remote_answer(station, line)
            return
        call_id = line.call_id
        self._timers.handles[call_id] = asyncio.get_running_loop().call_later(
            delay, self._answered, station, line, call_id
        )

    def _answered(self, station: Station, line: Line, call_id: int) -> None:
        """Connect the call the timer was set for, if the line still has it."""
        self._timers.handles.pop(call_id, None)
        if line.call_id == call_id:
            self.remote_answer(station, line)

    # ----- settings

    def set_dnd(self, station: Station, on: bool) -> None:
        """Switch Do Not Disturb."""
        if station.dnd != on:
            station.dnd = on
            self._emit("dnd_on" if on else "dnd_off", handset=station.number or None)

    def set_registered(self, number: int, registered: bool) -> None:
        """Register or unregister one account (1-based)."""
        account = self.account(number)
        if account.registered != registered:
            account.registered = registered
            self._emit("registered" if registered else "unregistered", account=number)

    def provision_account(
        self, number: int, *, sip_id: str, name: str, sip_server: str, handset_mode: str
    ) -> None:
        """Configure an account slot (1-based); an empty sip_id clears it."""
        account = self.account(number)
        account.sip_id, account.name = sip_id, name
        account.sip_server, account.handset_mode = sip_server, handset_mode
        # DP: line 1 of the handset the account's HSMode names carries it.
        for station in self.stations:
            if station.number and handset_mode == f"HS{station.number}":
                station.lines[0].account = number

    def set_paired(self, number: int, paired: bool) -> None:
        """Pair a DP handset with the base, or remove it."""
        self.station(number).paired = paired

    def play_music(self, path: str, *, loop: bool) -> None:
        """Start playing a local music file."""
        self.music = Music(path, loop)
        self._emit("music_play", path=path, loop=loop)

    def stop_music(self) -> None:
        """Stop local music."""
        if self.music.path is not None:
            self.music = Music()
            self._emit("music_stop")

    def power_cycle(self, *, factory: bool) -> None:
        """Drop every call and transient setting, as a reboot does."""
        self._timers.cancel_all()
        for station in self.stations:
            for line in station.lines:
                line.state = IDLE
                line.remote_number = line.remote_name = ""
                line.call_account = 0
            station.dial_buffer = ""
            station.muted = station.speaker = station.headset = station.locked = False
            if factory:
                station.dnd = False
        self.music = Music()

    def cancel_timers(self) -> None:
        """Cancel pending answers, so nothing runs after the simulator stops."""
        self._timers.cancel_all()

    # ----- keys

    def press_keys(self, station: Station, keys: Iterable[str]) -> None:
        """Press keys one after the other, as send_key does."""
        for key in keys:
            self._press(station, key)

    def _press(self, station: Station, key: str) -> None:
        """Press one key."""
        if station.locked and key != "UNLOCK":
            # A locked keypad ignores everything but unlocking.
            return
        symbol = _SPELLED.get(key, key)
        if symbol in _KEYPAD:
            self._keypad(station, symbol)
            return
        match key:
            case "SEND":
                self._send(station)
            case "OFFHOOK":
                self._offhook_key(station)
            case "ONHOOK":
                self._onhook_key(station)
            case "SPEAKER":
                self._speaker_key(station)
            case "HEADSET":
                station.headset = not station.headset
            case "MUTE":
                station.muted = not station.muted
            case "HOLD":
                if (line := self.find(station, CONNECTED)) is not None:
                    self.hold(station, line)
            case "DND":
                self.set_dnd(station, not station.dnd)
            case "LOCK" | "UNLOCK":
                station.locked = key == "LOCK"
            case _ if key.startswith("LINE"):
                self._line_key(station, int(key.removeprefix("LINE")))
            case _:
                # XFER, CONF, VM, volume, soft keys, MPKs, arrows, OK: nothing
                # that line or phone status would show.
                pass

    def _keypad(self, station: Station, symbol: str) -> None:
        """Type a keypad symbol: dial it, or send it as DTMF during a call."""
        if self.find(station, CONNECTED) is not None:
            return
        if self.find(station, DIALING) is None:
            idle = self.find(station, IDLE)
            if idle is None:
                return
            self.off_hook(station, idle)
        station.dial_buffer += symbol

    def _send(self, station: Station) -> None:
        """Dial what was typed on the dialing line."""
        line = self.find(station, DIALING)
        if line is None or not station.dial_buffer:
            return
        account = self.registered_account(station) or line.account or 1
        self.place_call(station, line, station.dial_buffer, account)

    def _offhook_key(self, station: Station) -> None:
        """Answer a ringing call, dial what was typed, or go off hook."""
        if (line := self.find(station, RINGING)) is not None:
            self.answer(station, line)
        elif self.find(station, DIALING) is not None:
            self._send(station)
        elif self.find(station, CONNECTED, CALLING) is None:
            if (line := self.find(station, IDLE)) is not None:
                self.off_hook(station, line)

    def _onhook_key(self, station: Station) -> None:
        """Reject a ringing call, else hang up the active one."""
        if (line := self.find(station, RINGING)) is not None:
            self.reject(station, line)
        elif (line := self.active_line(station)) is not None:
            self.end(station, line)

    def _speaker_key(self, station: Station) -> None:
        """Answer on speaker, abandon dialing, go off hook, or switch the speaker."""
        if (line := self.find(station, RINGING)) is not None:
            station.speaker = True
            self.answer(station, line)
        elif (line := self.find(station, DIALING)) is not None:
            station.speaker = False
            self.end(station, line)
        elif self.find(station, CONNECTED, CALLING) is None and (
            (line := self.find(station, IDLE)) is not None
        ):
            station.speaker = True
            self.off_hook(station, line)
        else:
            station.speaker = not station.speaker

    def _line_key(self, station: Station, number: int) -> None:
        """Press a line key: resume, answer, or go off hook on that line."""
        if not 1 <= number <= len(station.lines):
            return
        line = station.lines[number - 1]
        if line.state == ONHOLD:
            self.resume(station, line)
        elif line.state == RINGING:
            self.answer(station, line)
        elif line.state == IDLE and self.find(station, DIALING) is None:
            self.off_hook(station, line)
