"""Tests for the diagnostics of Grandstream phones."""

from __future__ import annotations

import json

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.grandstream_cti.const import CONF_MAC, DOMAIN, SCAN_INTERVAL
from custom_components.grandstream_cti.speed_dials import CONF_SPEED_DIALS

from .common import tick
from .conftest import ENTRY_ID, PASSCODE, entry_data
from .simulator import PhoneSimulator

MAC = "00:0b:82:12:34:56"


@pytest.fixture
def mock_config_entry(simulator: PhoneSimulator) -> MockConfigEntry:
    """Return a discovered phone's entry: it has a MAC."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=simulator.model,
        entry_id=ENTRY_ID,
        unique_id=MAC,
        data=entry_data(simulator, **{CONF_MAC: MAC}),
    )


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616", "DP750"])
async def test_diagnostics(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client: ClientSessionGenerator,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    snapshot: SnapshotAssertion,
) -> None:
    """Dump the settings and the last poll, without secrets or personal data."""
    assert simulator.incoming_call("+15557654", "Alice Example")
    await tick(hass, freezer, SCAN_INTERVAL)

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, init_integration
    )

    # The simulator's port changes from run to run.
    assert diagnostics["entry"]["data"]["port"] == simulator.port
    assert diagnostics == snapshot(exclude=props("port"))
    dump = json.dumps(diagnostics)
    for secret in (PASSCODE, MAC, "127.0.0.1", "+15557654", "Alice Example"):
        assert secret not in dump


async def test_diagnostics_redact_speed_dials(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Speed dials' names and numbers are personal data: they are redacted."""
    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry,
        options={CONF_SPEED_DIALS: [{"name": "Mum", "number": "+15550001"}]},
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    diagnostics = await get_diagnostics_for_config_entry(
        hass, hass_client, mock_config_entry
    )

    # Stored without an id by an older version, it became a subentry.
    assert diagnostics["entry"]["options"] == {}
    assert diagnostics["entry"]["subentries"] == [
        {
            "subentry_type": "speed_dial",
            "title": "**REDACTED**",
            "data": {"name": "**REDACTED**", "number": "**REDACTED**"},
        }
    ]
    dump = json.dumps(diagnostics)
    assert "Mum" not in dump
    assert "+15550001" not in dump
