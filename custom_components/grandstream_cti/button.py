"""Buttons for Grandstream phones."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.button import (
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import GrandstreamCtiConfigEntry
from .cti import GrandstreamCti
from .entity import GrandstreamCtiEntity
from .helpers import translate_cti_errors

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class GrandstreamButtonDescription(ButtonEntityDescription):
    """Describe a Grandstream button."""

    press_fn: Callable[[GrandstreamCti], Awaitable[Any]]


BUTTONS: tuple[GrandstreamButtonDescription, ...] = (
    GrandstreamButtonDescription(
        key="reboot",
        device_class=ButtonDeviceClass.RESTART,
        entity_category=EntityCategory.CONFIG,
        press_fn=lambda client: client.reboot(),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the phone's buttons."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        GrandstreamButton(coordinator, description) for description in BUTTONS
    )


class GrandstreamButton(GrandstreamCtiEntity, ButtonEntity):
    """A button of a Grandstream phone."""

    entity_description: GrandstreamButtonDescription

    @override
    async def async_press(self) -> None:
        """Send the button's command to the phone."""
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.entity_description.press_fn(self.coordinator.client)
