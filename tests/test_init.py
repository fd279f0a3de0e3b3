"""Tests for setting up and unloading Grandstream phones."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import CONF_HOST, STATE_OFF, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion
from syrupy.filters import props

from custom_components.grandstream_cti.const import (
    CONF_MAC,
    CONF_PASSCODE,
    DOMAIN,
    SCAN_INTERVAL,
    SLOW_INTERVAL,
)

from .common import tick
from .conftest import ENTRY_ID, MODELS, PASSCODE, entry_data
from .simulator import AuthAnswer, PhoneSimulator

MAC = "00:0b:82:12:34:56"


def reauth_flows(hass: HomeAssistant) -> list[str]:
    """Return the entry ids reauthentication flows are open for."""
    return [
        flow["context"]["entry_id"]
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["source"] == SOURCE_REAUTH
    ]


@pytest.mark.parametrize("model", MODELS)
async def test_load_unload(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Set up and unload every model."""
    assert init_integration.state is ConfigEntryState.LOADED
    assert hass.states.async_entity_ids()

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert all(state.state == STATE_UNAVAILABLE for state in hass.states.async_all())


async def test_setup_retry(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Retry setting up a phone that is off, until it answers."""
    await simulator.go_offline()
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY

    await simulator.go_online()
    await tick(hass, freezer, timedelta(minutes=1))

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("binary_sensor.gxp2170_ringing") is not None


async def test_setup_auth_failure(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Ask for the passcode when the phone refuses it at setup, without retrying."""
    simulator.passcode = "changed"
    mock_config_entry.add_to_hass(hass)

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.SETUP_ERROR
    assert reauth_flows(hass) == [ENTRY_ID]
    # The reauth flow opens without asking the phone anything.
    assert [r.function for r in simulator.requests] == ["api-get_line_status"]

    await tick(hass, freezer, timedelta(minutes=10))
    assert len(simulator.requests) == 1


@pytest.mark.allowed_errors("Authentication failed while fetching GXP2170 data")
async def test_auth_failure_while_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Stop polling and ask for the passcode when the phone starts refusing it."""
    simulator.passcode = "changed"
    simulator.clear_requests()

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("binary_sensor.gxp2170_ringing").state == STATE_UNAVAILABLE
    assert reauth_flows(hass) == [ENTRY_ID]
    assert [r.function for r in simulator.requests] == ["api-get_line_status"]

    # A refused passcode is never tried again: it may count toward a lockout.
    for _ in range(10):
        await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, timedelta(hours=1))
    assert len(simulator.requests) == 1
    assert init_integration.data[CONF_PASSCODE] == PASSCODE


@pytest.mark.parametrize("answer", ["http403", "forbidden"])
@pytest.mark.parametrize("model", ["GXP2170", "GRP2616"])
@pytest.mark.allowed_errors("refuses CTI requests from Home Assistant")
async def test_access_denied_is_a_repair(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    answer: AuthAnswer,
) -> None:
    """CTI off or Home Assistant's address not allowed: a repair, no reauthentication."""
    issue_id = f"access_denied_{ENTRY_ID}"
    ringing = f"binary_sensor.{simulator.model.lower()}_ringing"
    simulator.faults.auth = answer

    await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, SLOW_INTERVAL)

    assert hass.states.get(ringing).state == STATE_UNAVAILABLE
    assert reauth_flows(hass) == []
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "access_denied"
    assert issue.translation_placeholders == {
        "name": simulator.model,
        "host": "127.0.0.1",
    }
    assert init_integration.state is ConfigEntryState.LOADED

    # Polling goes on: once the phone answers again, the repair goes away.
    simulator.faults.auth = None
    await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, SLOW_INTERVAL)

    assert hass.states.get(ringing).state == STATE_OFF
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.allowed_errors("refuses CTI requests from Home Assistant")
async def test_repair_names_the_renamed_phone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The repair names the phone as the user renamed it."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    device_registry.async_update_device(device.id, name_by_user="Reception")
    simulator.faults.auth = "forbidden"

    await tick(hass, freezer, SCAN_INTERVAL)

    issue = issue_registry.async_get_issue(DOMAIN, f"access_denied_{ENTRY_ID}")
    assert issue is not None
    assert issue.translation_placeholders == {"name": "Reception", "host": "127.0.0.1"}


@pytest.mark.parametrize("model", MODELS)
async def test_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: PhoneSimulator,
    device_registry: dr.DeviceRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Register the phone, and each paired DECT handset as a part of it."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    # The simulator's port changes from run to run.
    assert device.configuration_url == f"http://127.0.0.1:{simulator.port}"
    assert device == snapshot(exclude=props("configuration_url"))
    children = sorted(
        dr.async_entries_for_parent_device(device_registry, device.id),
        key=lambda child: sorted(child.identifiers),
    )
    assert children == snapshot


async def test_device_has_mac(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Give the device of a discovered phone its MAC as a connection."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="GXP2170",
        unique_id=MAC,
        data=entry_data(simulator, **{CONF_MAC: MAC}),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)

    device = device_registry.async_get_device_by_connection(
        (dr.CONNECTION_NETWORK_MAC, MAC), entry.entry_id
    )
    assert device is not None
    assert device.identifiers == {(DOMAIN, entry.entry_id)}


@pytest.mark.parametrize("model", MODELS)
async def test_unique_ids_are_entry_based(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Key every entity on the entry id, never on the address."""
    entries = er.async_entries_for_config_entry(entity_registry, ENTRY_ID)
    assert entries
    for entry in entries:
        assert entry.unique_id.startswith(f"{ENTRY_ID}_")
        assert entry.has_entity_name
        assert entry.translation_key or entry.original_device_class
        assert init_integration.data[CONF_HOST] not in entry.unique_id
        assert entry.platform == DOMAIN
