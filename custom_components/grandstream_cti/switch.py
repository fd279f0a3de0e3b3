"""Switches: do not disturb of desk phones, night mode of GSC speakers, call mute."""

from __future__ import annotations

from datetime import datetime
from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import STATE_ON
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.dispatcher import (
    async_dispatcher_connect,
    async_dispatcher_send,
)
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.restore_state import RestoreEntity

from .const import DOMAIN, LOGGER
from .coordinator import GrandstreamCtiConfigEntry, GrandstreamCtiCoordinator
from .cti import (
    CallOperation,
    DndRoute,
    GrandstreamAuthenticationError,
    GrandstreamError,
)
from .entity import GrandstreamCtiEntity, GrandstreamHandsetEntity, phone_layout
from .helpers import device_name, mute_toggled_signal, translate_cti_errors
from .music import GscMusic

PARALLEL_UPDATES = 1

DND = SwitchEntityDescription(key="dnd", translation_key="dnd")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the DND switch of phones whose DND key toggles."""
    coordinator = entry.runtime_data.coordinator
    # Only GXP and GRP phones tell their DND state, through their DND On and
    # DND Off events. DECT bases set DND per handset but never tell it, so a
    # switch there would show a guess: they keep the set_dnd action only.
    if coordinator.profile.dnd is DndRoute.TOGGLE_KEY:
        async_add_entities([GrandstreamDndSwitch(coordinator, DND)])
    async_add_entities(_speaker_switches(entry))


class GrandstreamDndSwitch(GrandstreamCtiEntity, SwitchEntity):
    """Do not disturb, switched with the phone's DND key."""

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state the phone last pushed; None until it did."""
        return self.coordinator.data.dnd

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Turn do not disturb on."""
        await self.coordinator.async_set_dnd(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn do not disturb off."""
        await self.coordinator.async_set_dnd(False)


# ----- night mode of GSC speakers, call mute of speakers and DECT handsets

NIGHT_MODE = SwitchEntityDescription(key="night_mode", translation_key="night_mode")
# Seconds until night mode tries again to end a call the speaker kept.
NIGHT_MODE_RETRY = 5
CALL_MUTE = SwitchEntityDescription(key="call_mute", translation_key="call_mute")


def _speaker_switches(entry: GrandstreamCtiConfigEntry) -> list[SwitchEntity]:
    """Return night mode for a GSC speaker, and call mute where mute toggles."""
    coordinator = entry.runtime_data.coordinator
    switches: list[SwitchEntity] = []
    if (music := entry.runtime_data.music) is not None:
        switches.append(GrandstreamNightModeSwitch(coordinator, NIGHT_MODE, music))
    # Desk phones have only a MUTE key, whose effect depends on the screen.
    if CallOperation.MUTE not in coordinator.profile.operations:
        return switches
    if not coordinator.profile.handsets:
        switches.append(GrandstreamCallMuteSwitch(coordinator, CALL_MUTE))
    # DECT bases mute per handset: a switch on each paired handset's device.
    switches.extend(
        GrandstreamHandsetCallMuteSwitch(coordinator, handset, CALL_MUTE)
        for handset in phone_layout(entry).handsets
    )
    return switches


class GrandstreamNightModeSwitch(GrandstreamCtiEntity, SwitchEntity, RestoreEntity):
    """Keep a paging speaker quiet: no music, and every call it reports ended.

    A listener of the coordinator: each update, polled or pushed, that shows
    a ringing call has it rejected, and one in progress (an auto-answered
    intercom call) ended.
    """

    def __init__(
        self,
        coordinator: GrandstreamCtiCoordinator,
        description: SwitchEntityDescription,
        music: GscMusic,
    ) -> None:
        """Attach the switch to the speaker, whose music it silences."""
        super().__init__(coordinator, description)
        self.music = music
        self._silencing = False
        self._failing = False
        self._cancel_retry: CALLBACK_TYPE | None = None

    @override
    async def async_added_to_hass(self) -> None:
        """Take back the state it had before a restart, and act on it."""
        await super().async_added_to_hass()
        self.async_on_remove(self._async_cancel_retry)
        if (last := await self.async_get_last_state()) is not None:
            self.music.night_mode = last.state == STATE_ON
        self._async_silence_calls()

    @property
    @override
    def is_on(self) -> bool:
        """Return whether night mode is on."""
        return self.music.night_mode

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Stop the music and end the calls; keep doing so while on."""
        self.music.night_mode = True
        self.async_write_ha_state()
        # The speaker cannot say whether it plays: stop whatever may.
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.music.async_stop()
        self._async_silence_calls()

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Let the speaker play and take calls again."""
        self.music.night_mode = False
        self.async_write_ha_state()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """End what the update shows ringing or in progress."""
        super()._handle_coordinator_update()
        self._async_silence_calls()

    @callback
    def _async_silence_calls(self) -> None:
        """Reject a ringing call, or end one in progress, once at a time."""
        data = self.coordinator.data
        if (
            not self.music.night_mode
            or self._silencing
            # Shown from before the phone became unreachable: nothing to end.
            or not self.coordinator.last_update_success
        ):
            return
        if data.ringing:
            operation = CallOperation.REJECT
        elif data.in_call:
            operation = CallOperation.END
        else:
            return
        self._silencing = True
        self.coordinator.config_entry.async_create_background_task(
            self.hass, self._async_operate(operation), f"{self.entity_id} {operation}"
        )

    async def _async_operate(self, operation: CallOperation) -> None:
        """Send the operation, then read the speaker to see the call gone."""
        coordinator = self.coordinator
        try:
            await coordinator.client.call_operation(operation)
        except GrandstreamAuthenticationError:
            # Reauthentication has started; nothing is sent until it ends.
            return
        except GrandstreamError as err:
            if not self._failing:
                LOGGER.warning(
                    "Night mode could not %s the call on %s; it tries again "
                    "every %s seconds",
                    operation,
                    device_name(self.hass, coordinator.config_entry),
                    NIGHT_MODE_RETRY,
                )
            LOGGER.debug("Night mode %s failed: %s", operation, err)
            self._failing = True
            # A poll that finds the call unchanged tells no listener: retry.
            self._cancel_retry = async_call_later(
                self.hass, NIGHT_MODE_RETRY, self._async_retry
            )
            return
        finally:
            self._silencing = False
        self._failing = False
        await coordinator.async_request_refresh()

    @callback
    def _async_retry(self, _now: datetime) -> None:
        """Try again to end the call a refused operation left."""
        self._cancel_retry = None
        self._async_silence_calls()

    @callback
    def _async_cancel_retry(self) -> None:
        """Forget a retry that is due."""
        if self._cancel_retry is not None:
            self._cancel_retry()
            self._cancel_retry = None


class GrandstreamCallMuteSwitch(GrandstreamCtiEntity, SwitchEntity):
    """Mute the microphone during a call, on a speaker or a DECT handset.

    Mute is a toggle the phone does not report: the state follows the
    toggles Home Assistant sends, and is off again once the call has ended.
    """

    _attr_is_on = False

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the mute toggles the call operation action sends too."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                mute_toggled_signal(self.coordinator.config_entry),
                self._async_toggled,
            )
        )

    @property
    def _in_call(self) -> bool:
        """Return whether the speaker, or the handset, has a call up."""
        data = self.coordinator.data
        if self.handset is None:
            return data.in_call
        return data.handset_state(self.handset) == "busy"

    @callback
    def _async_toggled(self, handset: int | None) -> None:
        """Flip the state when this speaker or handset toggled mute."""
        if handset != self.handset:
            return
        self._attr_is_on = not self._attr_is_on and self._in_call
        self.async_write_ha_state()

    @callback
    @override
    def _handle_coordinator_update(self) -> None:
        """Turn off once no call is up: the next call starts unmuted."""
        if not self._in_call:
            self._attr_is_on = False
        super()._handle_coordinator_update()

    @override
    async def async_turn_on(self, **kwargs: Any) -> None:
        """Mute the call."""
        await self._async_set(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Unmute the call."""
        await self._async_set(False)

    async def _async_set(self, muted: bool) -> None:
        """Toggle mute if the call is not muted as wanted."""
        coordinator = self.coordinator
        entry = coordinator.config_entry
        if not self._in_call:
            name = device_name(self.hass, entry)
            if self.handset is None:
                raise ServiceValidationError(
                    translation_domain=DOMAIN,
                    translation_key="no_call_to_mute",
                    translation_placeholders={"name": name},
                )
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_call_to_mute_on_handset",
                translation_placeholders={"name": name, "handset": str(self.handset)},
            )
        if muted == self.is_on:
            return
        async with translate_cti_errors(self.hass, entry):
            await coordinator.client.call_operation(
                CallOperation.MUTE, handset=self.handset
            )
        async_dispatcher_send(self.hass, mute_toggled_signal(entry), self.handset)


class GrandstreamHandsetCallMuteSwitch(
    GrandstreamHandsetEntity, GrandstreamCallMuteSwitch
):
    """Mute the microphone of a DECT handset during its call."""
