"""Tests for the sensors of Grandstream phones."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import SCAN_INTERVAL
from custom_components.grandstream_cti.sensor import (
    HANDSET_LINE,
    HANDSET_SENSORS,
    LINE,
    SENSORS,
)

from .common import setup_platform, tick
from .conftest import ENTRY_ID, MODELS
from .simulator import PhoneSimulator

TRANSLATIONS = (
    Path(__file__).parent.parent
    / "custom_components"
    / "grandstream_cti"
    / "translations"
)
LINE_STATES = ["idle", "ringing", "calling", "dialing", "connected", "onhold", "failed"]


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("model", MODELS)
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Create the sensors each model has."""
    await setup_platform(hass, mock_config_entry, Platform.SENSOR)

    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


async def test_lines_beyond_two_start_disabled(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Enable the sensors of the first two lines only."""
    await setup_platform(hass, mock_config_entry, Platform.SENSOR)

    enabled = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
        if entry.disabled_by is None
    }
    assert enabled == {
        "sensor.gxp2170_phone_status",
        "sensor.gxp2170_caller",
        "sensor.gxp2170_line_1",
        "sensor.gxp2170_line_2",
    }


async def test_incoming_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Show a ringing line and its caller after the next poll, then the call."""
    assert hass.states.get("sensor.gxp2170_caller").state == STATE_UNKNOWN
    assert simulator.incoming_call("+15551234", "Alice Example", line=2)

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("sensor.gxp2170_phone_status").state == "ringing"
    line = hass.states.get("sensor.gxp2170_line_2")
    assert line.state == "ringing"
    assert line.attributes["remote_number"] == "+15551234"
    assert line.attributes["remote_name"] == "Alice Example"
    caller = hass.states.get("sensor.gxp2170_caller")
    assert caller.state == "+15551234"
    assert caller.attributes["remote_name"] == "Alice Example"
    assert hass.states.get("sensor.gxp2170_line_1").state == "idle"

    simulator.set_line_state(2, "connected", number="+15551234", name="Alice Example")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("sensor.gxp2170_phone_status").state == "busy"
    assert hass.states.get("sensor.gxp2170_line_2").state == "connected"
    assert hass.states.get("sensor.gxp2170_caller").state == "+15551234"

    assert simulator.remote_hangup(line=2)
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("sensor.gxp2170_line_2").state == "idle"
    assert hass.states.get("sensor.gxp2170_caller").state == STATE_UNKNOWN


async def test_unknown_line_state(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Show a state no guide lists as unknown, say so once, keep the options."""
    caplog.set_level(logging.DEBUG, "custom_components.grandstream_cti")
    simulator.set_line_state(1, "transferring", number="1002")

    await tick(hass, freezer, SCAN_INTERVAL)

    state = hass.states.get("sensor.gxp2170_line_1")
    assert state.state == STATE_UNKNOWN
    assert state.attributes["options"] == LINE_STATES
    # The call is still shown: only its state word is unknown.
    assert state.attributes["remote_number"] == "1002"
    assert "ERROR" not in caplog.text

    # Another word, with the call changed so the state is written again.
    simulator.set_line_state(1, "parking", number="1003")
    await tick(hass, freezer, SCAN_INTERVAL)

    state = hass.states.get("sensor.gxp2170_line_1")
    assert state.state == STATE_UNKNOWN
    assert state.attributes["remote_number"] == "1003"
    assert caplog.text.count("is not a valid LineState") == 1
    assert "'transferring' is not a valid LineState" in caplog.text

    simulator.set_line_state(1, "idle")
    await tick(hass, freezer, SCAN_INTERVAL)

    state = hass.states.get("sensor.gxp2170_line_1")
    assert state.state == "idle"
    assert state.attributes["options"] == LINE_STATES


@pytest.mark.parametrize(
    ("reported", "shown"),
    [("On Hold", "onhold"), ("holding", "onhold"), ("CONNECTED", "connected")],
)
async def test_line_state_spelled_otherwise(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    reported: str,
    shown: str,
) -> None:
    """Read a known line state however a firmware spells it."""
    simulator.set_line_state(1, reported, number="1002")

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("sensor.gxp2170_line_1").state == shown


@pytest.mark.parametrize("model", ["GSC3516"])
@pytest.mark.parametrize(
    ("reported", "shown"),
    [("paging", STATE_UNKNOWN), ("On call", "oncall"), ("idle", "available")],
)
async def test_phone_status_words(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    reported: str,
    shown: str,
) -> None:
    """Read a GSC's phone status as a known state, or unknown with the options kept."""
    simulator.set_phone_status(reported)

    await tick(hass, freezer, SCAN_INTERVAL)

    state = hass.states.get("sensor.gsc3516_phone_status")
    assert state.state == shown
    assert state.attributes["options"] == [
        "available",
        "busy",
        "ringing",
        "calling",
        "oncall",
        "connected",
        "holding",
        "flash",
    ]


@pytest.mark.parametrize("model", ["DP750"])
async def test_handset_call(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Show a call ringing on a DECT handset, on its line and the base."""
    assert simulator.incoming_call("2001", handset=2)

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("sensor.dp750_handset_2_line_1").state == "ringing"
    assert hass.states.get("sensor.dp750_handset_1_line_1").state == "idle"
    # Told from the lines at once, not from the status read once a minute.
    assert hass.states.get("sensor.dp750_handset_2_status").state == "ringing"
    assert hass.states.get("sensor.dp750_handset_1_status").state == "idle"
    # The base has no status of its own: it is the handsets'.
    assert hass.states.get("sensor.dp750_phone_status").state == "ringing"

    simulator.set_line_state(1, "connected", handset=2, number="2001")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("sensor.dp750_handset_2_line_1").state == "connected"
    assert hass.states.get("sensor.dp750_handset_2_status").state == "busy"
    assert hass.states.get("sensor.dp750_phone_status").state == "busy"


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "nl"])
def test_every_option_translated(language: str) -> None:
    """Translate every state an enum sensor can show, in every language."""
    translations = json.loads(
        (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    )["entity"]["sensor"]
    for description in (*SENSORS, *HANDSET_SENSORS, LINE, HANDSET_LINE):
        if description.options is None:
            continue
        states = translations[description.translation_key]["state"]
        assert sorted(states) == sorted(description.options), description.key
        assert all(states.values()), description.key
