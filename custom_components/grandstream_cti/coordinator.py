"""Coordinators of a Grandstream phone: its calls every few seconds, its setup every minute."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import datetime
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.debounce import Debouncer
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .const import (
    DND_CONFIRM_TIMEOUT,
    DOMAIN,
    LOGGER,
    PUSH_SCAN_INTERVAL,
    SCAN_INTERVAL,
    SLOW_INTERVAL,
)
from .cti import (
    Account,
    AccountStatus,
    FamilyProfile,
    Function,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamConnectionError,
    GrandstreamCti,
    GrandstreamError,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    PhoneStatus,
)
from .cti.action_url import PhoneEvent, PhoneEventType
from .helpers import device_name, translate_cti_errors
from .music import GscMusic

# Line states that mean a call is up, being set up or parked on the phone.
CALL_STATES = frozenset({"calling", "connected", "onhold", "dialing"})
# The Caller sensor shows the call that needs the user most.
CALLER_ORDER = ("ringing", "connected", "calling", "onhold")
# Events after which the accounts and handsets may have changed.
SETUP_EVENTS = frozenset({"setup_completed", "registered", "unregistered"})
# Several pushed events within this long are read with one request.
PUSH_COOLDOWN = 0.2
# What the slow coordinator reads: accounts and the handsets' pairing.
SETUP_FUNCTIONS = (
    Function.GET_ACCOUNTS,
    Function.GET_ACCOUNT_STATUS,
    Function.GET_HS_STATUS,
)


@dataclass(frozen=True, kw_only=True)
class PhoneData:
    """A phone's calls as last read, with what only its pushed events tell."""

    # Read on GSC speakers only: desk phones' and DECT handsets' lines tell it.
    status: PhoneStatus | None = None
    lines: tuple[LineStatus, ...] = ()
    handset_lines: tuple[HandsetLineStatus, ...] = ()
    # No status function reports DND: only the phone's DND events tell it.
    dnd: bool | None = None
    # DP and GSC report no far end: the number their last call event pushed.
    remote_number: str | None = None
    # The far end of the ringing call the phone last pushed as rejected.
    rejected: str | None = None

    def line(self, number: int) -> LineStatus | None:
        """Return a line of a desk phone by its number."""
        return next((line for line in self.lines if line.line == number), None)

    def handset_line(self, handset: int, number: int) -> HandsetLineStatus | None:
        """Return a line of a DECT handset."""
        lines = (line for line in self.handset_lines if line.handset == handset)
        return next((line for line in lines if line.line == number), None)

    def handset_state(self, handset: int) -> str | None:
        """Return a DECT handset's state, from its lines."""
        states = {line.state for line in self.handset_lines if line.handset == handset}
        state = _state_of(states) if states else None
        return "idle" if state == "available" else state

    @property
    def line_states(self) -> set[str]:
        """Return the states of the lines, desk phone and handsets alike."""
        states = {line.state for line in self.lines}
        return states | {line.state for line in self.handset_lines}

    @property
    def phone_state(self) -> str:
        """Return the phone status: read on GSC speakers, else from the lines."""
        return self.status.status if self.status else _state_of(self.line_states)

    @property
    def ringing(self) -> bool:
        """Return whether a call is ringing."""
        return self.phone_state == "ringing"

    @property
    def in_call(self) -> bool:
        """Return whether a call is up or being set up."""
        if self.status is not None:
            return self.status.status not in ("available", "ringing")
        return not CALL_STATES.isdisjoint(self.line_states)

    @property
    def caller(self) -> LineStatus | None:
        """Return the line of the ringing call, else of the one talked on."""
        known = (line for line in self.lines if line.remote_number)
        shown = [line for line in known if line.state in CALLER_ORDER]
        return min(shown, key=lambda line: CALLER_ORDER.index(line.state), default=None)


def _state_of(states: set[str]) -> str:
    """Return the phone status word that a set of line states means."""
    if "ringing" in states:
        return "ringing"
    return "available" if CALL_STATES.isdisjoint(states) else "busy"


@dataclass(frozen=True, kw_only=True)
class SetupData:
    """A phone's accounts and DECT handsets."""

    accounts: tuple[Account, ...] = ()
    account_status: tuple[AccountStatus, ...] = ()
    handsets: tuple[HandsetStatus, ...] = ()

    def handset(self, number: int) -> HandsetStatus | None:
        """Return a DECT handset by its number."""
        found = (status for status in self.handsets if status.handset == number)
        return next(found, None)


@dataclass
class PushState:
    """What the phone pushed to its Action URLs so far."""

    count: int = 0
    last_event: PhoneEventType | None = None
    last_at: datetime | None = None
    # Whether the last change a read found was one a pushed event announced.
    confirmed: bool = False


@dataclass
class GrandstreamCtiRuntimeData:
    """What a loaded config entry holds."""

    coordinator: GrandstreamCtiCoordinator
    setup: GrandstreamSetupCoordinator
    device_id: str
    # GSC speakers only: their music files and the playback last commanded.
    music: GscMusic | None = None


type GrandstreamCtiConfigEntry = ConfigEntry[GrandstreamCtiRuntimeData]


class GrandstreamCtiBaseCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Read a phone; say what its errors mean."""

    config_entry: GrandstreamCtiConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: GrandstreamCtiConfigEntry,
        client: GrandstreamCti,
    ) -> None:
        """Set up reading one phone; each read sets when the next one is due."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            # Pushed events arriving together make one read.
            request_refresh_debouncer=Debouncer(
                hass, LOGGER, cooldown=PUSH_COOLDOWN, immediate=True
            ),
            # Reads mostly find the phone as it was: only changes are written.
            always_update=False,
        )
        self.client = client

    @property
    def profile(self) -> FamilyProfile:
        """Return the capabilities of the phone's family."""
        return self.client.profile

    async def _async_read(self) -> DataT:
        """Make the fewest requests the family allows."""
        raise NotImplementedError

    @override
    async def _async_update_data(self) -> DataT:
        """Read the phone; map the client's errors to what the user can do."""
        # Messages and the coordinator's log lines name the phone as the user
        # sees it, renamed or not.
        self.name = device_name(self.hass, self.config_entry)
        placeholders = {"name": self.name}
        issue_id = f"access_denied_{self.config_entry.entry_id}"
        try:
            data = await self._async_read()
        except GrandstreamError as err:
            key = "communication_error"
            if isinstance(err, GrandstreamAuthenticationError):
                key = "invalid_auth"
            elif isinstance(err, GrandstreamConnectionError):
                key = "cannot_connect"
            elif isinstance(err, GrandstreamAccessDeniedError):
                # CTI is off or this address is not allowed: a setting on the
                # phone to change, not a passcode to enter again.
                key = "access_denied"
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.ERROR,
                    translation_key=key,
                    translation_placeholders={**placeholders, "host": self.client.host},
                )
            # No retry after a refused passcode: it may count toward a lockout.
            failed = ConfigEntryAuthFailed if key == "invalid_auth" else UpdateFailed
            raise failed(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders=placeholders,
            ) from err
        ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        return data


class GrandstreamSetupCoordinator(GrandstreamCtiBaseCoordinator[SetupData]):
    """Read a phone's accounts and DECT handsets, once a minute where it has any."""

    @override
    async def _async_read(self) -> SetupData:
        """Read the accounts and the handsets' pairing."""
        client, profile = self.client, self.client.profile
        # Once a minute, on the families that have accounts or handsets.
        self.update_interval = (
            SLOW_INTERVAL if any(map(profile.supports, SETUP_FUNCTIONS)) else None
        )
        accounts: tuple[Account, ...] = (
            await client.get_accounts()
            if profile.supports(Function.GET_ACCOUNTS)
            else ()
        )
        status = [
            await client.get_account_status(n + 1)
            for n in range(profile.accounts)
            if profile.supports(Function.GET_ACCOUNT_STATUS)
        ]
        handsets = [
            await client.get_handset_status(n + 1)
            for n in range(profile.handsets)
            if profile.supports(Function.GET_HS_STATUS)
        ]
        return SetupData(
            accounts=accounts, account_status=tuple(status), handsets=tuple(handsets)
        )


class GrandstreamCtiCoordinator(GrandstreamCtiBaseCoordinator[PhoneData]):
    """Read a phone's calls every few seconds, and at once when it pushes an event."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: GrandstreamCtiConfigEntry,
        client: GrandstreamCti,
        setup: GrandstreamSetupCoordinator,
    ) -> None:
        """Set up polling."""
        super().__init__(hass, entry, client)
        self.setup = setup
        self.push = PushState()
        self._dnd_lock = asyncio.Lock()
        self._dnd_pushed = asyncio.Event()
        self._pushed = False

    @override
    async def _async_read(self) -> PhoneData:
        """Read the call state; keep what only pushed events tell."""
        pushed, self._pushed = self._pushed, False
        client, previous = self.client, self.data or PhoneData()
        if self.data is None or not self.last_update_success:
            # At setup, and when the phone is back (a firmware upgrade
            # reboots it): which functions beyond its guide it answers.
            await client.probe_unlisted_functions()
        lines: tuple[LineStatus, ...] = ()
        status = None
        if client.profile.supports(Function.GET_LINE_STATUS):
            lines = await client.get_line_status()
        elif client.profile.supports(Function.GET_PHONE_STATUS):
            status = await client.get_phone_status()
        # Only paired handsets have lines worth reading.
        handsets = self.setup.data.handsets
        paired = [handset.handset for handset in handsets if handset.paired]
        ringing = {line.remote_number for line in lines if line.state == "ringing"}
        data = PhoneData(
            status=status,
            lines=lines,
            handset_lines=tuple(
                [
                    line
                    for n in paired
                    for line in await client.get_handset_line_status(n)
                ]
            ),
            dnd=previous.dnd,
            remote_number=previous.remote_number,
            # Kept while the rejected call still rings: its end is no miss.
            rejected=previous.rejected if previous.rejected in ringing else None,
        )
        if data.phone_state == "available":
            data = replace(data, remote_number=None)
        before = (previous.line_states, previous.phone_state)
        if (data.line_states, data.phone_state) != before:
            # A change no pushed event announced means one got lost, or the
            # phone does not push: poll at the usual pace.
            self.push.confirmed = pushed
        self.update_interval = (
            PUSH_SCAN_INTERVAL if self.push.confirmed else SCAN_INTERVAL
        )
        return data

    @callback
    def async_handle_push(self, event: PhoneEvent) -> None:
        """Keep what only the event tells, then read the phone at once."""
        self.push.count += 1
        self.push.last_event, self.push.last_at = event.type, dt_util.utcnow()
        data = self.data
        if event.type in (PhoneEventType.DND_ON, PhoneEventType.DND_OFF):
            data = replace(data, dnd=event.type is PhoneEventType.DND_ON)
            self._dnd_pushed.set()
        elif event.remote and event.type is PhoneEventType.REJECTED:
            data = replace(data, rejected=event.remote)
        elif event.remote and not data.lines:
            data = replace(data, remote_number=event.remote)
        if data != self.data:
            self.data = data
            self.async_update_listeners()
        if isinstance(self.last_exception, ConfigEntryAuthFailed):
            # The phone refused the passcode: never send it again.
            return
        self._pushed = True
        entry = self.config_entry
        if event.type in SETUP_EVENTS and self.setup.update_interval is not None:
            entry.async_create_background_task(
                self.hass, self.setup.async_request_refresh(), f"{DOMAIN} setup read"
            )
        entry.async_create_background_task(
            self.hass, self.async_request_refresh(), f"{DOMAIN} pushed read"
        )

    async def async_set_dnd(self, enabled: bool) -> None:
        """Press the DND key unless DND is as wanted; refused while DND is unknown."""
        async with self._dnd_lock, translate_cti_errors(self.hass, self.config_entry):
            if (current := self.data.dnd) is None:
                # The key only toggles: pressed blind, it could switch DND off.
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="dnd_state_unknown",
                    translation_placeholders={
                        "name": device_name(self.hass, self.config_entry),
                        "family": self.profile.title,
                    },
                )
            if current == enabled:
                return
            self._dnd_pushed.clear()
            await self.client.set_dnd(enabled, current=current)
            if not self._dnd_pushed.is_set():
                # Unknown until the phone's own DND event tells what the
                # key did: no guess that a lost or spoofed event inverts.
                self.data = replace(self.data, dnd=None)
                self.async_update_listeners()
                with suppress(TimeoutError):
                    async with asyncio.timeout(DND_CONFIRM_TIMEOUT):
                        await self._dnd_pushed.wait()
