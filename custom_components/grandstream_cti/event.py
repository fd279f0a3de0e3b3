"""Call events of Grandstream phones: incoming, outgoing, answered, missed, ended."""

from __future__ import annotations

from typing import override

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .calls import EVENT_CALL, CallEventData, call_event_types
from .coordinator import GrandstreamCtiConfigEntry
from .entity import GrandstreamCtiEntity

PARALLEL_UPDATES = 0


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the phone's call event, with the events its family can produce."""
    coordinator = entry.runtime_data.coordinator
    description = EventEntityDescription(
        key="call",
        translation_key="call",
        event_types=call_event_types(coordinator.profile),
    )
    async_add_entities([GrandstreamCallEvent(coordinator, description)])


class GrandstreamCallEvent(GrandstreamCtiEntity, EventEntity):
    """The calls of a phone, as the grandstream_cti_call events tell them."""

    @override
    async def async_added_to_hass(self) -> None:
        """Follow the phone's grandstream_cti_call events."""
        await super().async_added_to_hass()
        device_id = self.coordinator.config_entry.runtime_data.device_id
        self.async_on_remove(
            self.hass.bus.async_listen(
                EVENT_CALL,
                self._async_handle_call,
                event_filter=callback(lambda data: data["device_id"] == device_id),
            )
        )

    @callback
    def _async_handle_call(self, event: Event[CallEventData]) -> None:
        """Show a call event."""
        self._trigger_event(
            event.data["type"],
            {"number": event.data["number"], "name": event.data["name"]},
        )
        self.async_write_ha_state()
