"""Tests for the binary sensors of Grandstream phones."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import SCAN_INTERVAL, SLOW_INTERVAL

from .common import setup_platform, tick
from .conftest import ENTRY_ID, MODELS
from .simulator import PhoneSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("model", MODELS)
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Create the binary sensors each model has."""
    await setup_platform(hass, mock_config_entry, Platform.BINARY_SENSOR)

    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


@pytest.mark.parametrize("model", ["GXP2170", "GXP1628", "GRP2616"])
async def test_ringing_and_in_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    model: str,
) -> None:
    """Turn ringing on for an incoming call, in call once it is answered."""
    ringing = f"binary_sensor.{model.lower()}_ringing"
    in_call = f"binary_sensor.{model.lower()}_in_call"
    assert simulator.incoming_call("1002", "Bob")

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get(ringing).state == STATE_ON
    assert hass.states.get(in_call).state == STATE_OFF

    simulator.set_line_state(1, "connected", number="1002", name="Bob")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get(ringing).state == STATE_OFF
    assert hass.states.get(in_call).state == STATE_ON

    simulator.set_line_state(1, "idle")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get(in_call).state == STATE_OFF


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_speaker_in_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Tell a speaker's calls from its phone status: it reports no lines."""
    simulator.set_phone_status("ringing")
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get("binary_sensor.gsc3516_ringing").state == STATE_ON
    assert hass.states.get("binary_sensor.gsc3516_in_call").state == STATE_OFF

    simulator.set_phone_status("busy")
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get("binary_sensor.gsc3516_ringing").state == STATE_OFF
    assert hass.states.get("binary_sensor.gsc3516_in_call").state == STATE_ON


@pytest.mark.parametrize("model", ["DP750"])
async def test_handset_ringing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Ring the base's sensor when a handset's line rings."""
    assert simulator.incoming_call("2002", handset=2)

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("binary_sensor.dp750_ringing").state == STATE_ON
    assert hass.states.get("binary_sensor.dp750_in_call").state == STATE_OFF


@pytest.mark.parametrize(
    ("model", "entity_id", "name"),
    [
        ("GRP2616", "binary_sensor.grp2616_account_2_registered", "Office"),
        ("DP750", "binary_sensor.dp750_account_2_registered", None),
    ],
)
async def test_account_registration(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    entity_id: str,
    name: str | None,
) -> None:
    """Follow an account's registration, read once a minute."""
    state = hass.states.get(entity_id)
    assert state.state == STATE_ON
    assert state.attributes.get("account_name") == name

    simulator.set_registered(2, False)
    await tick(hass, freezer, SLOW_INTERVAL)

    assert hass.states.get(entity_id).state == STATE_OFF
