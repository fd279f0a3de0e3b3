"""Tests for the night mode of GSC speakers: no music, no calls, kept across restarts."""

from __future__ import annotations

from datetime import timedelta

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    SERVICE_SELECT_SOURCE,
)
from homeassistant.components.switch import (
    DOMAIN as SWITCH_DOMAIN,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN, SCAN_INTERVAL

from .common import phone_device, tick
from .conftest import PASSCODE
from .push_helpers import webhook_path
from .simulator import PhoneSimulator

NIGHT_MODE = "switch.gsc3516_night_mode"
PLAYER = "media_player.gsc3516_music"
MUSIC = "/var/user/music"


@pytest.fixture
def model() -> str:
    """Simulate a GSC speaker."""
    return "GSC3516"


@pytest.fixture
def simulator_options() -> dict[str, object]:
    """Keep outgoing calls ringing at the far end until a test answers them."""
    return {"answer_delay": None}


async def _switch(hass: HomeAssistant, service: str) -> None:
    """Turn night mode on or off."""
    await hass.services.async_call(
        SWITCH_DOMAIN, service, {ATTR_ENTITY_ID: NIGHT_MODE}, blocking=True
    )


def _operations(simulator: PhoneSimulator) -> list[str]:
    """Return the call operations the speaker received."""
    return [r.params["cmd"] for r in simulator.requests_to("api-phone_operation")]


def _state(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


async def test_switch(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Give a GSC speaker a night mode switch, off at first."""
    assert entity_registry.async_get(NIGHT_MODE) == snapshot(name="entry")
    assert _state(hass, NIGHT_MODE) == STATE_OFF


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616", "DP750"])
async def test_only_speakers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Phones get no night mode: they have a do not disturb of their own."""
    assert not [
        entity_id
        for entity_id in hass.states.async_entity_ids(SWITCH_DOMAIN)
        if entity_id.endswith("night_mode")
    ]


async def test_turn_on_stops_music(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Stop the music, naming the file playing; refuse music while on."""
    await hass.services.async_call(
        DOMAIN,
        "play_music",
        {ATTR_DEVICE_ID: phone_device(hass, init_integration), "file": "music2.ogg"},
        blocking=True,
    )
    assert simulator.music_playing == f"{MUSIC}/music2.ogg"

    await _switch(hass, SERVICE_TURN_ON)

    assert _state(hass, NIGHT_MODE) == STATE_ON
    assert simulator.music_playing is None
    assert simulator.requests_to("api-ctrl_music_play")[-1].params == {
        "passcode": PASSCODE,
        "state": "0",
        "type": "1",
        "url": f"{MUSIC}/music2.ogg",
        "loop": "0",
    }
    assert _state(hass, PLAYER) == "idle"
    simulator.clear_requests()

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "play_music",
            {
                ATTR_DEVICE_ID: phone_device(hass, init_integration),
                "file": "music1.ogg",
            },
            blocking=True,
        )
    assert err.value.translation_key == "night_mode_on"
    assert str(err.value) == "Night mode is on for GSC3516: turn it off to play music"
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            MEDIA_PLAYER_DOMAIN,
            SERVICE_SELECT_SOURCE,
            {ATTR_ENTITY_ID: PLAYER, ATTR_INPUT_SOURCE: "music1.ogg"},
            blocking=True,
        )
    assert simulator.requests_to("api-ctrl_music_play") == []

    await _switch(hass, SERVICE_TURN_OFF)
    await hass.services.async_call(
        MEDIA_PLAYER_DOMAIN,
        SERVICE_SELECT_SOURCE,
        {ATTR_ENTITY_ID: PLAYER, ATTR_INPUT_SOURCE: "music1.ogg"},
        blocking=True,
    )
    assert simulator.music_playing == f"{MUSIC}/music1.ogg"


async def test_rejects_ringing_call_within_one_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Without push, a ringing call is rejected at the first poll that shows it."""
    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.incoming_call("1002", "Alice")

    await tick(hass, freezer, SCAN_INTERVAL)

    assert _operations(simulator) == ["rejectcall"]
    assert simulator.phone_status == "available"
    assert _state(hass, "binary_sensor.gsc3516_ringing") == STATE_OFF


async def test_ends_auto_answered_call_within_one_poll(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """An intercom call the speaker answered itself is ended at the next poll."""
    await _switch(hass, SERVICE_TURN_ON)
    simulator.set_line_state(1, "connected", number="1002")

    await tick(hass, freezer, SCAN_INTERVAL)

    assert _operations(simulator) == ["endcall"]
    assert simulator.phone_status == "available"
    assert _state(hass, "binary_sensor.gsc3516_in_call") == STATE_OFF


async def test_rejects_at_once_with_push(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A pushed incoming call is rejected at once, before any poll."""
    client: TestClient = await hass_client_no_auth()
    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.incoming_call("1002", "Alice")

    response = await client.get(
        f"{webhook_path(init_integration)}?event=incoming&remote=1002"
    )
    assert response.status == 200
    await hass.async_block_till_done(wait_background_tasks=True)

    assert _operations(simulator) == ["rejectcall"]
    assert simulator.phone_status == "available"


async def test_off_lets_calls_ring(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Turned off, the speaker rings and takes calls again."""
    await _switch(hass, SERVICE_TURN_ON)
    await _switch(hass, SERVICE_TURN_OFF)
    assert simulator.incoming_call("1002", "Alice")

    await tick(hass, freezer, SCAN_INTERVAL)

    assert _operations(simulator) == []
    assert _state(hass, "binary_sensor.gsc3516_ringing") == STATE_ON


@pytest.mark.parametrize("restored", [STATE_ON, STATE_OFF])
async def test_kept_across_restarts(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
    restored: str,
) -> None:
    """Come back as it was before Home Assistant restarted, and act on it."""
    mock_restore_cache(hass, [State(NIGHT_MODE, restored)])
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert _state(hass, NIGHT_MODE) == restored

    assert simulator.incoming_call("1002", "Alice")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert _operations(simulator) == (["rejectcall"] if restored == STATE_ON else [])


async def test_speaker_refuses_to_end(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused reject is logged in words, and tried again shortly."""
    await _switch(hass, SERVICE_TURN_ON)
    simulator.faults.command_errors["rejectcall"] = "failed"
    assert simulator.incoming_call("1002", "Alice")

    await tick(hass, freezer, SCAN_INTERVAL)
    assert _operations(simulator) == ["rejectcall"]
    assert (
        "Night mode could not reject the call on GSC3516; it tries again every "
        "5 seconds"
    ) in caplog.text

    simulator.faults.command_errors.clear()
    await tick(hass, freezer, timedelta(seconds=5))

    assert _operations(simulator)[-1] == "rejectcall"
    assert simulator.phone_status == "available"


async def test_warns_once_and_stops_retrying_when_unloaded(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A speaker that keeps refusing is warned about once; unloading ends retries."""
    await _switch(hass, SERVICE_TURN_ON)
    simulator.faults.command_errors["rejectcall"] = "failed"
    assert simulator.incoming_call("1002", "Alice")

    await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, timedelta(seconds=5))
    assert _operations(simulator) == ["rejectcall", "rejectcall"]
    assert caplog.text.count("Night mode could not reject") == 1

    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await tick(hass, freezer, timedelta(seconds=10))
    assert _operations(simulator) == ["rejectcall", "rejectcall"]


# A failed poll logs once, at error level, as every coordinator does.
@pytest.mark.allowed_errors("Authentication failed while fetching GSC3516 data")
async def test_no_retry_once_the_passcode_is_refused(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A refused passcode stops night mode's retries: reauthentication takes over."""
    client: TestClient = await hass_client_no_auth()
    await _switch(hass, SERVICE_TURN_ON)
    assert simulator.incoming_call("1002", "Alice")
    simulator.passcode = "changed"

    await client.get(f"{webhook_path(init_integration)}?event=incoming&remote=1002")
    await hass.async_block_till_done(wait_background_tasks=True)
    tried = len(simulator.requests_to("api-phone_operation"))
    await tick(hass, freezer, timedelta(seconds=10))

    assert len(simulator.requests_to("api-phone_operation")) == tried
    assert "Night mode could not" not in caplog.text
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
