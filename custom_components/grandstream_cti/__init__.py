"""The Grandstream CTI integration."""

from __future__ import annotations

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .calls import async_track_calls
from .const import CONF_FAMILY, CONF_MAC, CONF_MODEL, DOMAIN, MANUFACTURER
from .coordinator import (
    GrandstreamCtiConfigEntry,
    GrandstreamCtiCoordinator,
    GrandstreamCtiRuntimeData,
    GrandstreamSetupCoordinator,
)
from .cti import Family, Function
from .entity import handset_identifier, phone_layout
from .helpers import create_client
from .music import GscMusic
from .push import async_setup_push, async_setup_webhook
from .services import async_setup_services
from .speed_dials import async_migrate_speed_dials
from .titles import default_device_name, default_title, phone_name

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.MEDIA_PLAYER,
    Platform.SENSOR,
    Platform.SWITCH,
]


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Set up the Grandstream CTI integration."""
    async_setup_services(hass)
    async_setup_push(hass)
    return True


async def async_migrate_entry(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> bool:
    """Bring an entry stored by an older version up to date."""
    if entry.minor_version < 2:
        async_migrate_speed_dials(hass, entry)
        title = entry.title
        # Titles named the model only: add the address, unless renamed.
        if title == phone_name(
            entry.data.get(CONF_MODEL), Family(entry.data[CONF_FAMILY])
        ):
            title = default_title(entry.data)
        hass.config_entries.async_update_entry(entry, title=title, minor_version=2)
    return True


async def async_setup_entry(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> bool:
    """Set up a Grandstream phone from a config entry."""
    client = create_client(hass, entry.data)
    setup = GrandstreamSetupCoordinator(hass, entry, client)
    coordinator = GrandstreamCtiCoordinator(hass, entry, client, setup)
    # The handsets' pairing tells which handset lines there are to read.
    await setup.async_config_entry_first_refresh()
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
        name=_device_name(entry),
        configuration_url=str(client.base_url),
    )
    entry.runtime_data = GrandstreamCtiRuntimeData(
        coordinator=coordinator,
        setup=setup,
        device_id=device.id,
        music=(
            GscMusic(client, coordinator.async_update_listeners)
            if client.profile.supports(Function.GET_MUSIC)
            else None
        ),
    )
    async_setup_webhook(hass, entry)
    _async_remove_unpaired_handsets(hass, entry, device)
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)

    # After the entities: an automation on a call sees the state it changed.
    entry.async_on_unload(async_track_calls(hass, entry))

    # Entities are made from the lines, accounts and handsets of the first
    # read: when a handset is paired or an account added, set up afresh.
    layout = phone_layout(entry)

    @callback
    def _async_reload_on_new_layout() -> None:
        if (
            coordinator.last_update_success
            and setup.last_update_success
            and phone_layout(entry) != layout
        ):
            hass.config_entries.async_schedule_reload(entry.entry_id)

    for part in (coordinator, setup):
        entry.async_on_unload(part.async_add_listener(_async_reload_on_new_layout))
    return True


def _device_name(entry: GrandstreamCtiConfigEntry) -> str:
    """Return the phone device's name: the entry's, once the user named it.

    The automatic title adds the address; the device then keeps the model
    alone, so that its name and the entity ids made from it stay short.
    """
    if entry.title != default_title(entry.data):
        return entry.title
    return default_device_name(
        entry.data.get(CONF_MODEL), Family(entry.data[CONF_FAMILY])
    )


@callback
def _async_remove_unpaired_handsets(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry, base: dr.DeviceEntry
) -> None:
    """Remove the devices of handsets no longer paired, with their entities."""
    paired = {
        (DOMAIN, handset_identifier(entry, handset.handset))
        for handset in entry.runtime_data.setup.data.handsets
        if handset.paired
    }
    registry = dr.async_get(hass)
    for child in dr.async_entries_for_parent_device(registry, base.id):
        if not child.identifiers & paired:
            registry.async_remove_device(child.id)


async def async_unload_entry(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> bool:
    """Unload a config entry."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
