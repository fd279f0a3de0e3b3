"""The Grandstream CTI integration."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .const import CONF_MAC, CONF_MODEL, DOMAIN, MANUFACTURER
from .coordinator import (
    GrandstreamCtiConfigEntry,
    GrandstreamCtiCoordinator,
    GrandstreamCtiRuntimeData,
)
from .helpers import create_client

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.SENSOR,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the Grandstream CTI integration."""
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> bool:
    """Set up a Grandstream phone from a config entry."""
    client = create_client(hass, entry.data)
    coordinator = GrandstreamCtiCoordinator(hass, entry, client)
    await coordinator.async_config_entry_first_refresh()

    connections = set()
    if mac := entry.data.get(CONF_MAC):
        connections.add((dr.CONNECTION_NETWORK_MAC, mac))
    # Registered here, not by the entities, because the handsets' child
    # devices need the base's device id.
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.entry_id)},
        connections=connections,
        manufacturer=MANUFACTURER,
        model=entry.data.get(CONF_MODEL) or client.profile.title,
        name=entry.title,
        configuration_url=str(client.base_url),
    )
    entry.runtime_data = GrandstreamCtiRuntimeData(
        client=client, coordinator=coordinator, device_id=device.id
    )
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    # Entities are made from the lines, accounts and handsets of the first
    # poll: when a handset is paired or an account added, set up afresh.
    layout = coordinator.data.layout

    @callback
    def _async_reload_on_new_layout() -> None:
        if coordinator.last_update_success and coordinator.data.layout != layout:
            hass.config_entries.async_schedule_reload(entry.entry_id)

    entry.async_on_unload(coordinator.async_add_listener(_async_reload_on_new_layout))
    return True


async def async_unload_entry(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
