"""Tests for the do not disturb switch of Grandstream desk phones."""

from __future__ import annotations

import asyncio
from unittest.mock import patch

from aiohttp.test_utils import TestClient
from homeassistant.components.switch import (
    DOMAIN as SWITCH_DOMAIN,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
    Platform,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN

from .common import setup_platform
from .conftest import ENTRY_ID
from .push_helpers import paste_action_urls, settle, shown_by_push, webhook_path
from .simulator import PhoneSimulator

DND = "switch.gxp2170_do_not_disturb"


@pytest.fixture
async def client(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> TestClient:
    """Return a client of Home Assistant's web server, listening on 127.0.0.1."""
    return await hass_client_no_auth()


@pytest.mark.parametrize("model", ["GXP2170", "GXP1628", "GRP2616"])
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Desk phones, whose DND key toggles and whose events tell it, get one."""
    await setup_platform(hass, mock_config_entry, Platform.SWITCH)

    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


@pytest.mark.parametrize("model", ["DP750", "GSC3516"])
async def test_no_switch(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """DECT bases never tell their DND state and speakers have none: no DND switch."""
    await setup_platform(hass, mock_config_entry, Platform.SWITCH)

    assert not [
        entry
        for entry in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
        if entry.translation_key == "dnd"
    ]


async def _switch(hass: HomeAssistant, service: str) -> None:
    """Turn the switch on or off."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: DND}, blocking=True
    )


async def test_refused_while_unknown(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Until the phone told its DND state, pressing the key blind is refused."""
    assert hass.states.get(DND).state == STATE_UNKNOWN
    simulator.clear_requests()

    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, SERVICE_TURN_ON)

    assert err.value.translation_key == "dnd_state_unknown"
    assert err.value.translation_placeholders == {
        "name": "GXP2170",
        "family": "GXP16xx/17xx/21xx",
    }
    assert simulator.requests == []
    assert simulator.dnd is False


async def test_refusal_names_the_renamed_phone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The refusal names the phone as the user renamed it."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    device_registry.async_update_device(device.id, name_by_user="Reception")

    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, SERVICE_TURN_ON)

    assert err.value.translation_placeholders == {
        "name": "Reception",
        "family": "GXP16xx/17xx/21xx",
    }


async def test_switch_known_state(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """Once pushed, the switch presses the DND key only to change it."""
    await paste_action_urls(hass, init_integration, simulator, client)
    station = simulator.state.station()
    # Switched on at the phone.
    state = await shown_by_push(
        hass, simulator, DND, lambda: simulator.state.set_dnd(station, True)
    )
    assert state.state == STATE_ON
    simulator.clear_requests()

    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.requests == []

    await _switch(hass, SERVICE_TURN_OFF)
    await simulator.wait_for_action_urls()
    await hass.async_block_till_done(wait_background_tasks=True)

    assert [(r.function, r.params.get("keys")) for r in simulator.requests][0] == (
        "api-send_key",
        "DND",
    )
    assert simulator.dnd is False
    assert hass.states.get(DND).state == STATE_OFF
    # The phone's own DND Off event agreed.
    assert simulator.action_url_requests[-1].event == "dnd_off"


async def test_state_waits_for_the_phone(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """After the key, the state is unknown until the phone's own DND event."""
    await client.get(f"{webhook_path(init_integration)}?event=dnd_off")
    await settle(hass)
    assert hass.states.get(DND).state == STATE_OFF

    # The phone has no DND On URL: nothing confirms what the key did.
    with patch(
        "custom_components.grandstream_cti.coordinator.DND_CONFIRM_TIMEOUT", 0.05
    ):
        await _switch(hass, SERVICE_TURN_ON)

    assert simulator.dnd is True
    assert hass.states.get(DND).state == STATE_UNKNOWN

    # A spoofed or late DND Off cannot make the next press switch it wrong.
    await client.get(f"{webhook_path(init_integration)}?event=dnd_on")
    await settle(hass)
    assert hass.states.get(DND).state == STATE_ON


async def test_concurrent_switching(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """Two "on" at once press the key once: DND ends on."""
    await paste_action_urls(hass, init_integration, simulator, client)
    station = simulator.state.station()

    def on_and_off() -> None:
        simulator.state.set_dnd(station, True)
        simulator.state.set_dnd(station, False)

    await shown_by_push(hass, simulator, DND, on_and_off)
    assert hass.states.get(DND).state == STATE_OFF
    simulator.clear_requests()

    await asyncio.gather(_switch(hass, SERVICE_TURN_ON), _switch(hass, SERVICE_TURN_ON))
    await settle(hass)

    assert simulator.dnd is True
    assert hass.states.get(DND).state == STATE_ON
    assert len(simulator.requests_to("api-send_key")) == 1


async def test_phone_refuses(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """A refused key press is an error, and the state stays."""
    await client.get(f"{webhook_path(init_integration)}?event=dnd_off")
    await hass.async_block_till_done()
    simulator.faults.command_errors["DND"] = "failed"

    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_ON)

    assert err.value.translation_key == "command_rejected"
    assert hass.states.get(DND).state == STATE_OFF
    assert simulator.dnd is False
