"""Buttons for Grandstream phones."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import override

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import GrandstreamCtiConfigEntry, GrandstreamCtiCoordinator
from .cti import GrandstreamCti
from .entity import GrandstreamCtiEntity
from .helpers import translate_cti_errors
from .speed_dials import (
    SpeedDial,
    async_register_sentences,
    get_speed_dials,
    speed_dial_unique_id,
)

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class GrandstreamButtonDescription(ButtonEntityDescription):
    """Describe a button of a phone."""

    press_fn: Callable[[GrandstreamCti], Awaitable[None]]


BUTTONS: tuple[GrandstreamButtonDescription, ...] = (
    GrandstreamButtonDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client: client.reboot(),
    ),
)
SPEED_DIAL = ButtonEntityDescription(key="speed_dial", translation_key="speed_dial")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the phone's buttons, and one per speed dial."""
    coordinator = entry.runtime_data.coordinator
    speed_dials = get_speed_dials(entry)
    # Speed dial buttons belong to the phone's device, not to their subentries:
    # a device belongs to one subentry, and the phone's belongs to none.
    async_add_entities(
        [
            *(GrandstreamButton(coordinator, description) for description in BUTTONS),
            *(
                GrandstreamSpeedDialButton(coordinator, speed_dial, SPEED_DIAL)
                for speed_dial in speed_dials
            ),
        ]
    )

    # A removed speed dial takes its button with it.
    registry = er.async_get(hass)
    kept = {speed_dial_unique_id(entry, speed_dial.id) for speed_dial in speed_dials}
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if (
            entity.unique_id.startswith(speed_dial_unique_id(entry, ""))
            and entity.unique_id not in kept
        ):
            registry.async_remove(entity.entity_id)

    async def _async_reload_on_new_speed_dials(
        hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
    ) -> None:
        """Set up afresh when a speed dial is added, changed or removed."""
        if get_speed_dials(entry) != speed_dials:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(entry.add_update_listener(_async_reload_on_new_speed_dials))
    if remove_sentences := await async_register_sentences(hass, entry):
        entry.async_on_unload(remove_sentences)


class GrandstreamButton(GrandstreamCtiEntity, ButtonEntity):
    """A button of a Grandstream phone."""

    entity_description: GrandstreamButtonDescription

    @override
    async def async_press(self) -> None:
        """Send the button's command to the phone."""
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.entity_description.press_fn(self.coordinator.client)


class GrandstreamSpeedDialButton(GrandstreamCtiEntity, ButtonEntity):
    """Call a speed dial from the phone."""

    def __init__(
        self,
        coordinator: GrandstreamCtiCoordinator,
        speed_dial: SpeedDial,
        description: ButtonEntityDescription,
    ) -> None:
        """Attach the button to the phone and name it after the speed dial."""
        super().__init__(coordinator, description)
        self.speed_dial = speed_dial
        self._attr_unique_id = speed_dial_unique_id(
            coordinator.config_entry, speed_dial.id
        )
        self._attr_translation_placeholders = {"name": speed_dial.name}

    @override
    async def async_press(self) -> None:
        """Dial the number, then read the phone at once to show the call."""
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.coordinator.client.dial(self.speed_dial.number)
        await self.coordinator.async_refresh()
