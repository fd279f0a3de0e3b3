"""Tests for the call mute switch of GSC speakers."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.switch import (
    DOMAIN as SWITCH_DOMAIN,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN, SCAN_INTERVAL

from .common import handset_device, phone_device, tick
from .conftest import PASSCODE
from .simulator import PhoneSimulator

MUTE = "switch.gsc3516_call_mute"


@pytest.fixture
def model() -> str:
    """Simulate a GSC speaker."""
    return "GSC3516"


@pytest.fixture
def simulator_options() -> dict[str, object]:
    """Keep outgoing calls ringing at the far end until a test answers them."""
    return {"answer_delay": None}


@pytest.fixture
async def in_call(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> str:
    """Have the speaker in a call; return its device id."""
    device_id = phone_device(hass, init_integration)
    await hass.services.async_call(
        DOMAIN, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"}, blocking=True
    )
    assert simulator.remote_answer()
    simulator.clear_requests()
    return device_id


async def _switch(hass: HomeAssistant, service: str) -> None:
    """Turn call mute on or off."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: MUTE}, blocking=True
    )


def _mutes(simulator: PhoneSimulator) -> int:
    """Return how many mute toggles the speaker received."""
    return sum(
        r.params.get("cmd") == "mute"
        for r in simulator.requests_to("api-phone_operation")
    )


def _state(hass: HomeAssistant) -> str:
    """Return the switch's state."""
    state = hass.states.get(MUTE)
    assert state is not None
    return state.state


async def test_switch(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Give a GSC speaker a call mute switch, off at first."""
    assert entity_registry.async_get(MUTE) == snapshot(name="entry")
    assert _state(hass) == STATE_OFF


async def test_no_call_to_mute(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Refuse to mute when no call is up: the toggle would carry into the next."""
    simulator.clear_requests()

    with pytest.raises(ServiceValidationError) as err:
        await _switch(hass, SERVICE_TURN_ON)

    assert err.value.translation_key == "no_call_to_mute"
    assert str(err.value) == (
        "GSC3516 has no call to mute right now. Call mute applies to the call in "
        "progress and turns off when the call ends"
    )
    assert simulator.requests == []
    assert _state(hass) == STATE_OFF


async def test_mute_and_unmute(
    hass: HomeAssistant, simulator: PhoneSimulator, in_call: str
) -> None:
    """Toggle the speaker's mute only when the state is to change."""
    await _switch(hass, SERVICE_TURN_ON)
    assert _state(hass) == STATE_ON
    assert simulator.muted is True

    await _switch(hass, SERVICE_TURN_ON)
    assert _mutes(simulator) == 1

    await _switch(hass, SERVICE_TURN_OFF)
    assert _state(hass) == STATE_OFF
    assert simulator.muted is False
    assert _mutes(simulator) == 2

    await _switch(hass, SERVICE_TURN_OFF)
    assert _mutes(simulator) == 2


async def test_follows_the_action(
    hass: HomeAssistant, simulator: PhoneSimulator, in_call: str
) -> None:
    """The call operation action's mute toggle moves the switch too."""
    for expected in (STATE_ON, STATE_OFF, STATE_ON):
        await hass.services.async_call(
            DOMAIN,
            "call_operation",
            {ATTR_DEVICE_ID: in_call, "operation": "mute"},
            blocking=True,
        )
        assert _state(hass) == expected
    assert simulator.muted is True


async def test_resets_when_the_call_ends(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    in_call: str,
) -> None:
    """The next call starts unmuted: the switch turns off with the call."""
    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.remote_hangup()

    await tick(hass, freezer, SCAN_INTERVAL)

    assert _state(hass) == STATE_OFF
    assert hass.states.get("binary_sensor.gsc3516_in_call").state == STATE_OFF


async def test_speaker_refuses(
    hass: HomeAssistant, simulator: PhoneSimulator, in_call: str
) -> None:
    """A refused toggle is an error, and the state stays."""
    simulator.faults.command_errors["mute"] = "failed"

    with pytest.raises(HomeAssistantError) as err:
        await _switch(hass, SERVICE_TURN_ON)

    assert err.value.translation_key == "command_rejected"
    assert _state(hass) == STATE_OFF


@pytest.mark.parametrize("model", ["DP750"])
async def test_handsets(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """A DECT base mutes per handset: each paired handset has its own switch."""
    handset_2 = "switch.dp750_handset_2_call_mute"
    entry = entity_registry.async_get(handset_2)
    assert entry is not None
    assert entry.device_id == handset_device(hass, init_integration, 2)
    assert hass.states.get("switch.dp750_call_mute") is None

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: handset_2}, blocking=True
        )
    assert err.value.translation_key == "no_call_to_mute_on_handset"
    assert str(err.value).startswith("Handset 2 of DP750 has no call to mute")

    simulator.set_line_state(1, "connected", handset=2, number="1002")
    await tick(hass, freezer, SCAN_INTERVAL)
    simulator.clear_requests()

    await hass.services.async_call(
        SWITCH_DOMAIN, SERVICE_TURN_ON, {ATTR_ENTITY_ID: handset_2}, blocking=True
    )
    assert [r.params for r in simulator.requests_to("api-device_operation")] == [
        {"passcode": PASSCODE, "hs": "2", "cmd": "mute"}
    ]
    assert hass.states.get(handset_2).state == STATE_ON
    assert simulator.handsets[1].muted is True

    # The action's toggle on handset 1 leaves handset 2's switch alone.
    await hass.services.async_call(
        DOMAIN,
        "call_operation",
        {ATTR_DEVICE_ID: phone_device(hass, init_integration), "operation": "mute"},
        blocking=True,
    )
    assert hass.states.get(handset_2).state == STATE_ON
    await hass.services.async_call(
        DOMAIN,
        "call_operation",
        {
            ATTR_DEVICE_ID: handset_device(hass, init_integration, 2),
            "operation": "mute",
        },
        blocking=True,
    )
    assert hass.states.get(handset_2).state == STATE_OFF
