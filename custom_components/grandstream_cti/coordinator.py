"""Polling coordinator for a Grandstream phone."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed
from homeassistant.util import dt as dt_util

from .calls import Call, CallReporter, derive_calls
from .const import (
    DOMAIN,
    LOGGER,
    PUSH_FRESH,
    PUSH_SCAN_INTERVAL,
    SCAN_INTERVAL,
    SLOW_INTERVAL,
)
from .cti import (
    Account,
    AccountStatus,
    FamilyProfile,
    Function,
    GrandstreamAuthenticationError,
    GrandstreamConnectionError,
    GrandstreamCti,
    GrandstreamError,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    PhoneStatus,
)
from .music import GscMusic

# Line states that mean a call is up, being set up or parked on the phone.
CALL_STATES = frozenset({"calling", "connected", "onhold", "dialing"})
ANSWERED_STATES = frozenset({"connected", "onhold"})


@dataclass(frozen=True, kw_only=True)
class PhoneData:
    """Everything one poll cycle read from a phone."""

    status: PhoneStatus | None = None
    lines: tuple[LineStatus, ...] = ()
    accounts: tuple[Account, ...] = ()
    account_status: tuple[AccountStatus, ...] = ()
    handsets: tuple[HandsetStatus, ...] = ()
    handset_lines: tuple[HandsetLineStatus, ...] = ()
    # No status function reports DND: it is known only from pushed events.
    dnd: bool | None = None
    # DP and GSC have no line status: the call a pushed event told of.
    pushed_call: LineStatus | None = None

    def line(self, number: int) -> LineStatus | None:
        """Return a line of a desk phone by its number."""
        return next((line for line in self.lines if line.line == number), None)

    def handset(self, number: int) -> HandsetStatus | None:
        """Return a DECT handset by its number."""
        return next((hs for hs in self.handsets if hs.handset == number), None)

    def handset_line(self, handset: int, number: int) -> HandsetLineStatus | None:
        """Return a line of a DECT handset."""
        return next(
            (
                line
                for line in self.handset_lines
                if line.handset == handset and line.line == number
            ),
            None,
        )

    def handset_state(self, handset: int) -> str | None:
        """Return a DECT handset's state, from its lines."""
        # Its lines are read every poll; api-get_hs_status once a minute only.
        states = {line.state for line in self.handset_lines if line.handset == handset}
        if not states:
            return None
        if "ringing" in states:
            return "ringing"
        return "idle" if CALL_STATES.isdisjoint(states) else "busy"

    @property
    def layout(self) -> tuple[tuple[int | tuple[int, int], ...], ...]:
        """Return which lines, accounts and handsets exist: what entities are made of."""
        return (
            tuple(line.line for line in self.lines),
            tuple(account.id for account in self.accounts if account.sip_id),
            tuple(
                status.account for status in self.account_status if status.configured
            ),
            tuple(hs.handset for hs in self.handsets if hs.paired),
            tuple((line.handset, line.line) for line in self.handset_lines),
        )

    @property
    def line_states(self) -> tuple[str, ...]:
        """Return the state of every line, desk phone and handsets alike."""
        return tuple(line.state for line in self.lines) + tuple(
            line.state for line in self.handset_lines
        )

    @property
    def ringing(self) -> bool:
        """Return whether a call is ringing."""
        if self.status is not None and self.status.status == "ringing":
            return True
        return "ringing" in self.line_states or (
            self.pushed_call is not None and self.pushed_call.state == "ringing"
        )

    @property
    def in_call(self) -> bool:
        """Return whether a call is up or being set up."""
        if not CALL_STATES.isdisjoint(self.line_states):
            return True
        if self.pushed_call is not None and self.pushed_call.state in CALL_STATES:
            return True
        # GSC speakers report no lines: their phone status is all there is.
        return (
            not self.lines and self.status is not None and self.status.status == "busy"
        )

    @property
    def phone_state(self) -> str:
        """Return the phone status, derived from the handsets on DECT bases."""
        if self.status is not None:
            return self.status.status
        if self.ringing:
            return "ringing"
        return "busy" if self.in_call else "available"

    @property
    def caller(self) -> LineStatus | None:
        """Return the line of the ringing call, else of the active call."""
        for wanted in ({"ringing"}, CALL_STATES):
            for line in self.lines:
                if line.state in wanted and line.remote_number:
                    return line
        return self.pushed_call


@dataclass
class GrandstreamCtiRuntimeData:
    """What a loaded config entry holds."""

    client: GrandstreamCti
    coordinator: GrandstreamCtiCoordinator
    device_id: str
    # GSC speakers only: their music files and the playback last commanded.
    music: GscMusic | None = None


type GrandstreamCtiConfigEntry = ConfigEntry[GrandstreamCtiRuntimeData]


class GrandstreamCtiCoordinator(DataUpdateCoordinator[PhoneData]):
    """Poll one phone's status functions."""

    config_entry: GrandstreamCtiConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: GrandstreamCtiConfigEntry,
        client: GrandstreamCti,
    ) -> None:
        """Set up polling for one phone."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=entry.title,
            update_interval=SCAN_INTERVAL,
            # Polls mostly find the phone as it was: only changes are written.
            always_update=False,
        )
        self.client = client
        self._slow_read_at: float | None = None
        self.calls = CallReporter(hass, entry)
        # When the phone last pushed an event, and how many it pushed: a poll
        # that a push overtook may show the phone as it was before.
        self.last_push: float | None = None
        self._pushes = 0
        self._polled_calls: list[Call] = []

    @property
    def profile(self) -> FamilyProfile:
        """Return the capabilities of the phone's family."""
        return self.client.profile

    @override
    async def _async_refresh(
        self,
        log_failures: bool = True,
        raise_on_auth_failed: bool = False,
        scheduled: bool = False,
        raise_on_entry_error: bool = False,
    ) -> None:
        """Refresh, logging an outage once at info level rather than as an error."""
        was_available = self.last_update_success
        await super()._async_refresh(
            log_failures=False,
            raise_on_auth_failed=raise_on_auth_failed,
            scheduled=scheduled,
            raise_on_entry_error=raise_on_entry_error,
        )
        # Told after the entities show the new state, as pushed calls are.
        calls, self._polled_calls = self._polled_calls, []
        for call in calls:
            self.calls.async_report(call, "poll")
        # A phone that reboots or is unplugged is normal life, not an error;
        # the base class logs the recovery at info level too.
        if was_available and not self.last_update_success and log_failures:
            LOGGER.info("%s is unavailable: %s", self.name, self.last_exception)

    @override
    async def _async_update_data(self) -> PhoneData:
        """Read the family's status functions."""
        name = self.config_entry.title
        try:
            if self.data is None or not self.last_update_success:
                # At setup, and when the phone is back (a firmware upgrade
                # reboots it): which functions beyond its guide it answers.
                await self.client.probe_unlisted_functions()
            data = await self._async_poll_after_pushes()
        except GrandstreamAuthenticationError as err:
            # No retry: a rejected passcode may count toward a lockout.
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"name": name},
            ) from err
        except GrandstreamConnectionError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="cannot_connect",
                translation_placeholders={"name": name, "error": str(err)},
            ) from err
        except GrandstreamError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"name": name, "error": str(err)},
            ) from err
        # Compared with what the entities show, pushed events included.
        if self.data is not None:
            self._polled_calls = derive_calls(self.data, data)
        self.update_interval = PUSH_SCAN_INTERVAL if self.push_active else SCAN_INTERVAL
        return data

    @property
    def push_active(self) -> bool:
        """Return whether the phone pushed an event lately."""
        return (
            self.last_push is not None
            and dt_util.utcnow().timestamp() - self.last_push
            < PUSH_FRESH.total_seconds()
        )

    @callback
    def async_set_pushed_data(self, data: PhoneData, *, reread_all: bool) -> None:
        """Show what a pushed event told at once; poll less while pushes arrive."""
        self._pushes += 1
        self.last_push = dt_util.utcnow().timestamp()
        if reread_all:
            # Accounts changed or the phone started: read them with the next poll.
            self._slow_read_at = None
        self.update_interval = PUSH_SCAN_INTERVAL
        self.async_set_updated_data(data)

    async def _async_poll_after_pushes(self) -> PhoneData:
        """Poll, and poll again when a pushed event arrived meanwhile."""
        pushes = self._pushes
        data = await self._async_poll()
        if self._pushes == pushes:
            return data
        pushes = self._pushes
        data = await self._async_poll(self._pushed_with(data))
        if self._pushes == pushes:
            return data
        # Overtaken twice: keep what the pushes told; the refresh each of them
        # asked for reads the phone again.
        return self._pushed_with(data)

    def _pushed_with(self, polled: PhoneData) -> PhoneData:
        """Return the pushed state with the accounts and handsets just polled."""
        # Those stay true; calls and the status may predate the pushed event.
        return replace(
            self.data,
            accounts=polled.accounts,
            account_status=polled.account_status,
            handsets=polled.handsets,
        )

    async def _async_poll(self, previous: PhoneData | None = None) -> PhoneData:
        """Make the fewest requests the family allows for one cycle."""
        client = self.client
        profile = client.profile
        previous = previous or self.data or PhoneData()
        now = dt_util.utcnow().timestamp()
        slow_due = (
            self._slow_read_at is None
            or now - self._slow_read_at >= SLOW_INTERVAL.total_seconds()
        )

        status = None
        if profile.supports(Function.GET_PHONE_STATUS):
            status = await client.get_phone_status()
        lines: tuple[LineStatus, ...] = ()
        if profile.supports(Function.GET_LINE_STATUS):
            lines = await client.get_line_status()

        accounts, account_status, handsets = (
            previous.accounts,
            previous.account_status,
            previous.handsets,
        )
        if slow_due:
            if profile.supports(Function.GET_ACCOUNTS):
                accounts = await client.get_accounts()
            if profile.supports(Function.GET_ACCOUNT_STATUS):
                account_status = tuple(
                    [
                        await client.get_account_status(account)
                        for account in range(1, profile.accounts + 1)
                    ]
                )
            if profile.supports(Function.GET_HS_STATUS):
                handsets = tuple(
                    [
                        await client.get_handset_status(handset)
                        for handset in range(1, profile.handsets + 1)
                    ]
                )
            self._slow_read_at = now

        # Only paired handsets have lines worth reading.
        handset_lines: tuple[HandsetLineStatus, ...] = ()
        for handset in handsets:
            if handset.paired:
                handset_lines += await client.get_handset_line_status(handset.handset)

        data = PhoneData(
            status=status,
            lines=lines,
            accounts=accounts,
            account_status=account_status,
            handsets=handsets,
            handset_lines=handset_lines,
            dnd=previous.dnd,
        )
        return replace(data, pushed_call=_still_up(previous.pushed_call, data))


def _still_up(call: LineStatus | None, polled: PhoneData) -> LineStatus | None:
    """Return a pushed call while the poll still shows one, in its state."""
    if call is None or polled.lines:
        return None
    if polled.ringing:
        return replace(call, state="ringing")
    if polled.in_call:
        return call if call.state in CALL_STATES else replace(call, state="connected")
    return None
