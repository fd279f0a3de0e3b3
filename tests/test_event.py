"""Tests for the call event entity of Grandstream phones."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN, SCAN_INTERVAL

from .common import setup_platform, tick
from .conftest import ENTRY_ID, MODELS, PASSCODE, entry_data
from .push_helpers import paste_action_urls, settle, shown_by_push, webhook_path
from .simulator import PhoneSimulator

CALL = "event.gxp2170_call"


@pytest.mark.parametrize("model", MODELS)
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every phone has a call event, with the five kinds of call events."""
    await setup_platform(hass, mock_config_entry, Platform.EVENT)

    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


async def test_pushed_calls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Each pushed call event shows at once, with the far end."""
    await paste_action_urls(
        hass, init_integration, simulator, await hass_client_no_auth()
    )
    assert hass.states.get(CALL).state == STATE_UNKNOWN

    state = await shown_by_push(
        hass, simulator, CALL, lambda: simulator.incoming_call("+12025550123", "Hal")
    )

    assert state.state == dt_util.utcnow().isoformat(timespec="milliseconds")
    assert state.attributes["event_type"] == "incoming"
    assert state.attributes["number"] == "+12025550123"
    assert state.attributes["name"] == "Hal"

    state = await shown_by_push(
        hass, simulator, CALL, lambda: simulator.remote_hangup(1)
    )

    assert state.attributes["event_type"] == "missed"
    assert state.attributes["number"] == "+12025550123"


async def test_polled_calls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Without push the event follows the polls."""
    simulator.incoming_call("1020", "Ida")
    await tick(hass, freezer, SCAN_INTERVAL)

    state = hass.states.get(CALL)
    assert state.attributes["event_type"] == "incoming"
    assert state.attributes["number"] == "1020"
    assert state.attributes["name"] == "Ida"

    simulator.set_line_state(1, "connected", number="1020", name="Ida")
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get(CALL).attributes["event_type"] == "answered"

    simulator.set_line_state(1, "idle")
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get(CALL).attributes["event_type"] == "ended"


@pytest.mark.parametrize("model", ["DP750"])
async def test_handset_calls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """A DECT handset's calls are the base's, without a far end to tell."""
    simulator.incoming_call("1021", handset=2)
    await tick(hass, freezer, SCAN_INTERVAL)
    simulator.remote_hangup(1, handset=2)
    await tick(hass, freezer, SCAN_INTERVAL)

    state = hass.states.get("event.dp750_call")
    assert state.attributes["event_type"] == "missed"
    assert state.attributes["number"] is None


async def test_other_phones_calls(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A phone's call event shows its own calls only."""
    async with PhoneSimulator("GXP1628", passcode=PASSCODE) as other_phone:
        other = MockConfigEntry(
            domain=DOMAIN, title="Lobby", data=entry_data(other_phone)
        )
        other.add_to_hass(hass)
        assert await hass.config_entries.async_setup(other.entry_id)
        await hass.async_block_till_done()
        client = await hass_client_no_auth()

        other_phone.incoming_call("1022")
        await client.get(f"{webhook_path(other)}?event=incoming&remote=1022")
        await settle(hass)

        assert hass.states.get("event.lobby_call").attributes["number"] == "1022"
        assert hass.states.get(CALL).state == STATE_UNKNOWN
        assert await hass.config_entries.async_unload(other.entry_id)
