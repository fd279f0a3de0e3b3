"""Typed models of what Grandstream phones report over CTI."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self, cast, override

from .families import Family


class _StateWord(StrEnum):
    """A state as phones word it; other spellings of a member read as it."""

    @classmethod
    @override
    def _missing_(cls, value: object) -> Self | None:
        """Return the member a word spelled otherwise names ("On Hold"), else None."""
        word = "".join(ch for ch in str(value).lower() if ch not in " _-")
        if (synonym := _SYNONYMS.get((cls, word))) is not None:
            return cast("Self", synonym)
        return next((state for state in cls if state == word), None)


class PhoneState(_StateWord):
    """The phone's overall state, as api-get_phone_status words it.

    available, busy and ringing are in every capture; the others are the
    values of the GXP1625 web interface.
    """

    AVAILABLE = "available"
    BUSY = "busy"
    RINGING = "ringing"
    CALLING = "calling"
    ONCALL = "oncall"
    CONNECTED = "connected"
    HOLDING = "holding"
    FLASH = "flash"


class LineState(_StateWord):
    """A line's state, as api-get_line_status and api-get_hs_line_status word it.

    idle, ringing, connected and onhold are in captures; calling, dialing and
    failed in the Grandstream CTI guide.
    """

    IDLE = "idle"
    RINGING = "ringing"
    CALLING = "calling"
    DIALING = "dialing"
    CONNECTED = "connected"
    ONHOLD = "onhold"
    FAILED = "failed"


# The words one function uses for a state the other words otherwise: a line
# "holding" is on hold, a phone "idle" is available.
_SYNONYMS: dict[tuple[type[_StateWord], str], _StateWord] = {
    (PhoneState, "idle"): PhoneState.AVAILABLE,
    (PhoneState, "onhold"): PhoneState.HOLDING,
    (LineState, "holding"): LineState.ONHOLD,
    (LineState, "oncall"): LineState.CONNECTED,
}


@dataclass(frozen=True, kw_only=True)
class PhoneStatus:
    """The phone's overall state from api-get_phone_status."""

    # As the phone words it: PhoneState(status) reads it, if it is known.
    status: str
    misc: str


@dataclass(frozen=True, kw_only=True)
class LineStatus:
    """One line of api-get_line_status."""

    line: int
    # As the phone words it: LineState(state) reads it, if it is known.
    state: str
    # The SIP account (1-based) on every family, None when the phone leaves
    # `acct` empty; GRP's 0-based `acct` is shifted when parsed.
    account: int | None
    remote_name: str
    remote_number: str
    active: bool


@dataclass(frozen=True, kw_only=True)
class Account:
    """One SIP account of api-get_accounts (GRP)."""

    id: int
    name: str
    sip_id: str
    sip_server: str
    registered: bool


@dataclass(frozen=True, kw_only=True)
class AccountStatus:
    """One SIP account of api-get_account_status (DP)."""

    account: int
    registered: bool
    # The two examples of the Grandstream CTI guide (DP750/720 edition),
    # Account Status, show `Active` following `Registered`: it does
    # not tell whether the account is set up at all; `configured` does.
    active: bool
    profile: int | None
    # "HS1": the handset the account belongs to; "" when it has none.
    handset_mode: str

    @property
    def configured(self) -> bool:
        """Return whether the account exists: it belongs to a handset (HSMode)."""
        # In both of that guide's examples, registered or not, the account keeps
        # its HSMode; an account no handset uses has no calls to show.
        return bool(self.handset_mode)


@dataclass(frozen=True, kw_only=True)
class HandsetStatus:
    """One DECT handset of api-get_hs_status (DP)."""

    handset: int
    initialized: bool
    # `subscribed` in the Grandstream CTI guide (DP750/720 edition), Handset
    # Status: the handset is paired with the base.
    paired: bool
    status: str


@dataclass(frozen=True, kw_only=True)
class HandsetLineStatus:
    """One line of a handset from api-get_hs_line_status (DP)."""

    handset: int
    line: int
    # As the phone words it: LineState(state) reads it, if it is known.
    state: str
    # The SIP account (1-based), None where the base answers `Account: 0`.
    account: int | None
    registered: bool
    active: bool


@dataclass(frozen=True, kw_only=True)
class MusicFile:
    """A music file stored on a GSC speaker."""

    name: str
    path: str


@dataclass(frozen=True, kw_only=True)
class DetectedPhone:
    """What probing a phone revealed."""

    family: Family
    model: str | None
