"""Typed models of what Grandstream phones report over CTI."""

from __future__ import annotations

from dataclasses import dataclass

from .families import Family

# Values seen in captures and vendor documents. The client keeps any other
# value as it arrives: new firmware adds states and they must not vanish.
PHONE_STATES = (
    "available",
    "busy",
    "ringing",
    "calling",
    "oncall",
    "connected",
    "holding",
    "flash",
)
LINE_STATES = ("idle", "ringing", "calling", "dialing", "connected", "onhold", "failed")


@dataclass(frozen=True, kw_only=True)
class PhoneStatus:
    """The phone's overall state from api-get_phone_status."""

    status: str
    misc: str


@dataclass(frozen=True, kw_only=True)
class LineStatus:
    """One line of api-get_line_status."""

    line: int
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
