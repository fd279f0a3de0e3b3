"""Tests for entry titles and the phone device's name."""

from __future__ import annotations

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.const import CONF_MODEL, DOMAIN

from .conftest import ENTRY_ID, entry_data
from .simulator import PhoneSimulator


@pytest.mark.parametrize(
    ("model", "title", "changes", "new_title", "device_name"),
    [
        # Titled with the model only by earlier versions: the address is added.
        ("GXP2170", "GXP2170", {}, "GXP2170 (127.0.0.1)", "GXP2170"),
        (
            "GRP2616",
            "Grandstream GRP260x/261x",
            {CONF_MODEL: None},
            "Grandstream GRP260x/261x (127.0.0.1)",
            "GRP",
        ),
        # A title the user gave stays, and names the device.
        ("GXP2170", "Reception desk", {}, "Reception desk", "Reception desk"),
    ],
)
async def test_title_migrated(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    simulator: PhoneSimulator,
    title: str,
    changes: dict[str, str | None],
    new_title: str,
    device_name: str,
) -> None:
    """Tell phones apart by their address, and keep the device name short."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        entry_id=ENTRY_ID,
        data=entry_data(simulator, **changes),
    )
    entry.add_to_hass(hass)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert entry.minor_version == 2
    assert entry.title == new_title
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    assert device.name == device_name
    assert [
        state.entity_id
        for state in hass.states.async_all("button")
        if state.entity_id.endswith("_restart")
    ] == [f"button.{device_name.lower().replace(' ', '_').replace('/', '_')}_restart"]
