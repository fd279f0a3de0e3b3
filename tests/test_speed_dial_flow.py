"""Tests for the speed dial subentry flow: add, change and remove."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.grandstream_cti.const import DOMAIN

from .common import commands
from .conftest import ENTRY_ID
from .simulator import PhoneSimulator
from .speed_dial_helpers import (
    BUTTON,
    OFFICE,
    OFFICE_ID,
    RECEPTION,
    RECEPTION_ID,
    friendly_name,
    keys,
    press,
    start_add,
    stored,
    submit,
    suggested,
)


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    """Keep outgoing calls ringing at the far end."""
    return {"answer_delay": None}


async def test_add_speed_dial(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Add a speed dial: it gets a button that dials it."""
    result = await start_add(hass, init_integration)

    result = await submit(hass, result, {"name": "  Reception ", "number": "1 00"})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert stored(init_integration) == [
        {"title": "Reception", "name": "Reception", "number": "100"}
    ]
    assert init_integration.options == {}
    assert init_integration.state is ConfigEntryState.LOADED
    (subentry_id,) = init_integration.subentries
    button = entity_registry.async_get(BUTTON)
    assert button is not None
    assert button.unique_id == f"{ENTRY_ID}_speed_dial_{subentry_id}"
    # On the phone's device, which belongs to no subentry.
    assert button.device_id == device_id
    device = dr.async_get(hass).async_get(device_id)
    assert device is not None
    assert device.config_subentry_id is None
    assert button == snapshot(name="entry", exclude=props("unique_id"))
    assert hass.states.get(BUTTON) == snapshot(name="state")

    simulator.clear_requests()
    await press(hass, BUTTON)

    assert commands(simulator) == [keys("1:0:0:SEND")]
    # The phone was read again at once.
    state = hass.states.get("sensor.gxp2170_line_1")
    assert state is not None
    assert state.state == "calling"


@pytest.mark.parametrize(
    ("model", "speed_dials", "user_input", "errors"),
    [
        ("GXP2170", [], {"name": " ", "number": "100"}, {"name": "name_required"}),
        (
            "GXP2170",
            [RECEPTION],
            {"name": "RECEPTION", "number": "100"},
            {"name": "name_taken"},
        ),
        (
            "GXP2170",
            [],
            {"name": "Reception", "number": "+100"},
            {"number": "keypad_characters"},
        ),
        (
            "GRP2616",
            [],
            {"name": "Reception", "number": "Reception"},
            {"number": "dial_characters"},
        ),
        (
            "GRP2616",
            [],
            {"name": "", "number": " "},
            {"name": "name_required", "number": "empty"},
        ),
        (
            "DP750",
            [],
            {"name": "Reception", "number": "1" * 65},
            {"number": "too_long"},
        ),
    ],
)
async def test_add_speed_dial_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    """Refuse empty or duplicate names and numbers the family cannot dial."""
    before = stored(init_integration)
    result = await start_add(hass, init_integration)

    result = await submit(hass, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    # What was typed stays in the form.
    assert suggested(result) == user_input
    assert stored(init_integration) == before

    result = await submit(hass, result, {"name": "Front desk", "number": "100"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert stored(init_integration)[-1]["name"] == "Front desk"


@pytest.mark.parametrize("speed_dials", [[RECEPTION, OFFICE]])
async def test_change_speed_dial(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Rename a speed dial and change its number; the button keeps its id."""
    assert friendly_name(hass, BUTTON) == "GXP2170 Call Reception"
    result = await init_integration.start_subentry_reconfigure_flow(hass, RECEPTION_ID)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["description_placeholders"] == {"name": "Reception"}
    assert suggested(result) == {"name": "Reception", "number": "100"}

    result = await submit(hass, result, {"name": "office", "number": "100"})
    assert result["errors"] == {"name": "name_taken"}

    # Keeping its own name is no clash.
    result = await submit(hass, result, {"name": "Reception", "number": "102"})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert stored(init_integration) == [
        {"title": "Reception", "name": "Reception", "number": "102"},
        {"title": "Office", "name": "Office", "number": "101"},
    ]

    result = await init_integration.start_subentry_reconfigure_flow(hass, RECEPTION_ID)
    result = await submit(hass, result, {"name": "Front desk", "number": "103"})

    assert stored(init_integration)[0] == {
        "title": "Front desk",
        "name": "Front desk",
        "number": "103",
    }
    assert friendly_name(hass, BUTTON) == "GXP2170 Call Front desk"
    assert entity_registry.async_get(BUTTON) is not None

    simulator.clear_requests()
    await press(hass, BUTTON)
    await hass.services.async_call(
        DOMAIN,
        "dial",
        {ATTR_DEVICE_ID: device_id, "number": "front DESK"},
        blocking=True,
    )
    assert commands(simulator) == [keys("1:0:3:SEND"), keys("1:0:3:SEND")]


@pytest.mark.parametrize("speed_dials", [[RECEPTION, OFFICE]])
async def test_remove_speed_dial(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """Remove a speed dial together with its button; the others stay."""
    assert hass.states.get("button.gxp2170_call_office") is not None

    assert hass.config_entries.async_remove_subentry(init_integration, OFFICE_ID)
    await hass.async_block_till_done()

    assert stored(init_integration) == [
        {"title": "Reception", "name": "Reception", "number": "100"}
    ]
    assert entity_registry.async_get("button.gxp2170_call_office") is None
    assert hass.states.get("button.gxp2170_call_office") is None
    assert hass.states.get(BUTTON) is not None
    # The phone's own button and device stay.
    assert hass.states.get("button.gxp2170_restart") is not None
    assert init_integration.state is ConfigEntryState.LOADED
