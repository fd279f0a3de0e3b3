"""Do not disturb of Grandstream desk phones, known from their pushed events."""

from __future__ import annotations

from typing import Any, override

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import GrandstreamCtiConfigEntry
from .cti import DndRoute
from .entity import GrandstreamCtiEntity
from .helpers import translate_cti_errors

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
        await self._async_set(True)

    @override
    async def async_turn_off(self, **kwargs: Any) -> None:
        """Turn do not disturb off."""
        await self._async_set(False)

    async def _async_set(self, enabled: bool) -> None:
        """Press the DND key if the phone is not in the wanted state."""
        coordinator = self.coordinator
        entry = coordinator.config_entry
        async with translate_cti_errors(self.hass, entry):
            known = await coordinator.async_set_dnd(enabled)
        if not known:
            # The key only toggles: pressing it blind could switch DND the wrong way.
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="dnd_state_unknown",
                translation_placeholders={
                    "name": entry.title,
                    "family": coordinator.profile.title,
                },
            )
