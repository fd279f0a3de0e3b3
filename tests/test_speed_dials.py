"""Tests for speed dials: the options flow, their buttons, the dial action and Assist."""

from __future__ import annotations

import sys
from typing import Any
from unittest.mock import patch

from homeassistant.components import conversation
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, ATTR_FRIENDLY_NAME
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import device_registry as dr, entity_registry as er, intent
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN

from .conftest import PASSCODE, entry_data
from .simulator import PhoneSimulator

RECEPTION = {"id": "reception", "name": "Reception", "number": "100"}
OFFICE = {"id": "office", "name": "Office", "number": "101"}
BUTTON = "button.gxp2170_call_reception"


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    """Keep outgoing calls ringing at the far end."""
    return {"answer_delay": None}


@pytest.fixture
def options() -> dict[str, Any]:
    """Return the options the phone starts with; parametrize to change them."""
    return {}


@pytest.fixture
def mock_config_entry(
    simulator: PhoneSimulator, options: dict[str, Any]
) -> MockConfigEntry:
    """Return a config entry for the simulated phone, with options."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=simulator.model,
        entry_id="01JGRANDSTREAMCTITESTENTRY",
        data=entry_data(simulator),
        options=options,
    )


@pytest.fixture
def device_id(hass: HomeAssistant, init_integration: MockConfigEntry) -> str:
    """Return the device id of the phone."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, init_integration.entry_id), init_integration.entry_id
    )
    assert device is not None
    return device.id


def commands(simulator: PhoneSimulator) -> list[tuple[str, dict[str, str]]]:
    """Return the path and parameters of every dial the phone received."""
    return [
        (request.path, request.params)
        for request in simulator.requests
        if request.function in ("api-send_key", "api-make_call")
    ]


def keys(keys: str) -> tuple[str, dict[str, str]]:
    """Return a send_key request."""
    return ("/cgi-bin/api-send_key", {"passcode": PASSCODE, "keys": keys})


async def open_speed_dials(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    """Open the options and go to the speed dials."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.MENU
    assert result["step_id"] == "init"
    assert "speed_dials" in result["menu_options"]
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "speed_dials"}
    )


async def choose(hass: HomeAssistant, result: FlowResult, step: str) -> FlowResult:
    """Pick an entry of a menu."""
    return await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": step}
    )


async def submit(
    hass: HomeAssistant, result: FlowResult, user_input: dict[str, Any]
) -> FlowResult:
    """Submit a form."""
    return await hass.config_entries.options.async_configure(
        result["flow_id"], user_input
    )


def suggested(result: FlowResult) -> dict[str, Any]:
    """Return the suggested values of a form."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


async def press(hass: HomeAssistant, entity_id: str) -> None:
    """Press a button."""
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


def friendly_name(hass: HomeAssistant, entity_id: str) -> str:
    """Return the friendly name of an entity."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return str(state.attributes[ATTR_FRIENDLY_NAME])


async def test_add_speed_dial(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Add a speed dial: it gets a button that dials it."""
    result = await open_speed_dials(hass, init_integration)
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["add_speed_dial"]
    assert result["description_placeholders"] == {"speed_dials": ""}

    result = await choose(hass, result, "add_speed_dial")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "add_speed_dial"
    assert result["errors"] == {}

    result = await submit(hass, result, {"name": "  Reception ", "number": "1 00"})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {"speed_dials": [RECEPTION]}
    assert entity_registry.async_get(BUTTON) == snapshot(name="entry")
    assert hass.states.get(BUTTON) == snapshot(name="state")
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, init_integration.entry_id), init_integration.entry_id
    )
    assert device is not None
    button = entity_registry.async_get(BUTTON)
    assert button is not None
    assert button.device_id == device.id

    simulator.clear_requests()
    await press(hass, BUTTON)

    assert commands(simulator) == [keys("1:0:0:SEND")]
    # The phone was read again at once.
    state = hass.states.get("sensor.gxp2170_line_1")
    assert state is not None
    assert state.state == "calling"


@pytest.mark.parametrize(
    ("model", "options", "user_input", "errors"),
    [
        ("GXP2170", {}, {"name": " ", "number": "100"}, {"name": "name_required"}),
        (
            "GXP2170",
            {"speed_dials": [RECEPTION]},
            {"name": "RECEPTION", "number": "100"},
            {"name": "name_taken"},
        ),
        (
            "GXP2170",
            {},
            {"name": "Reception", "number": "+100"},
            {"number": "number_keypad_characters"},
        ),
        (
            "GRP2616",
            {},
            {"name": "Reception", "number": "Reception"},
            {"number": "number_dial_characters"},
        ),
        (
            "GRP2616",
            {},
            {"name": "", "number": " "},
            {"name": "name_required", "number": "number_empty"},
        ),
        (
            "DP750",
            {},
            {"name": "Reception", "number": "1" * 65},
            {"number": "number_too_long"},
        ),
    ],
)
async def test_add_speed_dial_errors(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    options: dict[str, Any],
    user_input: dict[str, str],
    errors: dict[str, str],
) -> None:
    """Refuse empty or duplicate names and numbers the family cannot dial."""
    result = await choose(
        hass, await open_speed_dials(hass, init_integration), "add_speed_dial"
    )

    result = await submit(hass, result, user_input)
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    # What was typed stays in the form.
    assert suggested(result) == user_input

    result = await submit(hass, result, {"name": "Front desk", "number": "100"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert [sd["name"] for sd in result["data"]["speed_dials"]][-1] == "Front desk"


@pytest.mark.parametrize("options", [{"speed_dials": [RECEPTION, OFFICE]}])
async def test_change_speed_dial(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Rename a speed dial and change its number; the button keeps its id."""
    assert friendly_name(hass, BUTTON) == "GXP2170 Call Reception"
    result = await open_speed_dials(hass, init_integration)
    assert result["menu_options"] == [
        "add_speed_dial",
        "edit_speed_dial",
        "remove_speed_dials",
    ]
    assert result["description_placeholders"] == {
        "speed_dials": "- Reception: 100\n- Office: 101"
    }

    result = await choose(hass, result, "edit_speed_dial")
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "edit_speed_dial"
    result = await submit(hass, result, {"speed_dial": "reception"})
    assert result["step_id"] == "change_speed_dial"
    assert result["description_placeholders"] == {"name": "Reception"}
    assert suggested(result) == {"name": "Reception", "number": "100"}

    result = await submit(hass, result, {"name": "office", "number": "100"})
    assert result["errors"] == {"name": "name_taken"}

    # Keeping its own name is no clash.
    result = await submit(hass, result, {"name": "Reception", "number": "102"})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert init_integration.options == {
        "speed_dials": [{**RECEPTION, "number": "102"}, OFFICE]
    }

    result = await choose(
        hass, await open_speed_dials(hass, init_integration), "edit_speed_dial"
    )
    result = await submit(hass, result, {"speed_dial": "reception"})
    result = await submit(hass, result, {"name": "Front desk", "number": "103"})
    await hass.async_block_till_done()

    assert init_integration.options == {
        "speed_dials": [
            {"id": "reception", "name": "Front desk", "number": "103"},
            OFFICE,
        ]
    }
    assert friendly_name(hass, BUTTON) == "GXP2170 Call Front desk"
    assert entity_registry.async_get(BUTTON) is not None

    simulator.clear_requests()
    await hass.services.async_call(
        DOMAIN,
        "dial",
        {ATTR_DEVICE_ID: device_id, "number": "front DESK"},
        blocking=True,
    )
    assert commands(simulator) == [keys("1:0:3:SEND")]


@pytest.mark.parametrize("options", [{"speed_dials": [RECEPTION, OFFICE]}])
async def test_remove_speed_dials(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """Remove speed dials together with their buttons."""
    assert hass.states.get("button.gxp2170_call_office") is not None

    result = await choose(
        hass, await open_speed_dials(hass, init_integration), "remove_speed_dials"
    )
    assert result["type"] is FlowResultType.FORM
    result = await submit(hass, result, {"speed_dials": ["office"]})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {"speed_dials": [RECEPTION]}
    assert entity_registry.async_get("button.gxp2170_call_office") is None
    assert hass.states.get("button.gxp2170_call_office") is None
    assert hass.states.get(BUTTON) is not None
    # The phone's own button stays.
    assert hass.states.get("button.gxp2170_restart") is not None


@pytest.mark.parametrize(
    "options",
    [
        {
            "speed_dials": [{"id": "reception", "name": "Front desk", "number": "1"}],
            "push": {"kept": True},
        }
    ],
)
async def test_new_id_and_other_options_kept(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """Give a new speed dial an id of its own and keep the other options."""
    result = await choose(
        hass, await open_speed_dials(hass, init_integration), "add_speed_dial"
    )
    result = await submit(hass, result, {"name": "Reception", "number": "100"})
    await hass.async_block_till_done()

    assert init_integration.options == {
        "speed_dials": [
            {"id": "reception", "name": "Front desk", "number": "1"},
            {"id": "reception_2", "name": "Reception", "number": "100"},
        ],
        "push": {"kept": True},
    }
    entity_id = entity_registry.async_get_entity_id(
        BUTTON_DOMAIN, DOMAIN, f"{init_integration.entry_id}_speed_dial_reception_2"
    )
    assert entity_id == BUTTON
    assert friendly_name(hass, BUTTON) == "GXP2170 Call Reception"
    assert friendly_name(hass, "button.gxp2170_call_front_desk") == (
        "GXP2170 Call Front desk"
    )


@pytest.mark.parametrize(
    ("model", "options", "expected"),
    [
        (
            "DP750",
            {"speed_dials": [RECEPTION]},
            (
                "/cgi-bin/api-make_call",
                {"passcode": PASSCODE, "hs": "1", "phonenumber": "100"},
            ),
        ),
        (
            "GSC3516",
            {"speed_dials": [{**RECEPTION, "number": "+3100"}]},
            ("/cgi-bin/api-make_call", {"passcode": PASSCODE, "phonenumber": "+3100"}),
        ),
    ],
)
async def test_press_on_other_families(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    model: str,
    expected: tuple[str, dict[str, str]],
) -> None:
    """Dial a speed dial the way the family dials."""
    simulator.clear_requests()

    await press(hass, f"button.{model.lower()}_call_reception")

    assert commands(simulator) == [expected]


@pytest.mark.parametrize("options", [{"speed_dials": [RECEPTION]}])
async def test_dial_by_name(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Dial a speed dial by its name, in any case."""
    simulator.clear_requests()

    await hass.services.async_call(
        DOMAIN,
        "dial",
        {ATTR_DEVICE_ID: device_id, "number": " reception"},
        blocking=True,
    )

    assert commands(simulator) == [keys("1:0:0:SEND")]


async def converse(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    """Say something to Assist; return its answer."""
    result = await conversation.async_converse(
        hass, text, None, Context(), language="en"
    )
    await hass.async_block_till_done()
    return result.response


@pytest.mark.parametrize(
    "options",
    [
        {
            "speed_dials": [
                RECEPTION,
                {"id": "dr_smith", "name": "Dr. Smith", "number": "104"},
                {"id": "speed_dial", "name": "???", "number": "105"},
            ]
        }
    ],
)
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("press Call Reception", "1:0:0:SEND"),
        ("Call reception", "1:0:0:SEND"),
        ("press the call Reception button", "1:0:0:SEND"),
        ("dial Reception", "1:0:0:SEND"),
        ("call Dr. Smith", "1:0:4:SEND"),
    ],
)
async def test_assist_calls_speed_dial(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    sentence: str,
    expected: str,
) -> None:
    """Let Assist call a speed dial through Home Assistant's own agent."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    simulator.clear_requests()

    response = await converse(hass, sentence)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert response.speech["plain"]["speech"] == "Done"
    assert commands(simulator) == [keys(expected)]


@pytest.mark.parametrize("options", [{"speed_dials": [RECEPTION]}])
async def test_assist_before_and_after(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Hear speed dials set up after Assist, and forget them with the phone."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    simulator.clear_requests()

    await simulator.go_offline()
    response = await converse(hass, "call Reception")
    # Assist says why the phone did not dial.
    assert response.speech["plain"]["speech"].startswith("Could not reach GXP2170")

    await simulator.go_online()
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    response = await converse(hass, "call Reception")
    assert response.response_type is intent.IntentResponseType.ERROR
    assert commands(simulator) == []


@pytest.mark.parametrize("options", [{"speed_dials": [RECEPTION]}])
async def test_restart_button_reads_nothing_after(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Read the phone at once after a speed dial only, not after a restart."""
    simulator.clear_requests()

    await press(hass, "button.gxp2170_restart")

    assert [request.function for request in simulator.requests] == ["api-sys_operation"]


@pytest.mark.parametrize("options", [{"speed_dials": [RECEPTION]}])
async def test_speed_dials_without_assist(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Set up the buttons even when the conversation integration cannot load."""
    # As on an installation whose conversation integration fails to import.
    with patch.dict(
        sys.modules, {"homeassistant.components.conversation.trigger": None}
    ):
        mock_config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
        await hass.async_block_till_done()

    assert "Assist cannot dial the speed dials of GXP2170" in caplog.text
    simulator.clear_requests()
    await press(hass, BUTTON)
    assert commands(simulator)[0] == keys("1:0:0:SEND")
