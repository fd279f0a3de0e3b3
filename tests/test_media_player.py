"""Tests for the music player of GSC speakers."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.media_player import (
    ATTR_INPUT_SOURCE,
    ATTR_MEDIA_REPEAT,
    DOMAIN as MEDIA_PLAYER_DOMAIN,
    SERVICE_MEDIA_PLAY,
    SERVICE_MEDIA_STOP,
    SERVICE_REPEAT_SET,
    SERVICE_SELECT_SOURCE,
)
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.restore_state import (
    async_get as async_get_restore_state_data,
)
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN

from .common import phone_device
from .conftest import PASSCODE
from .simulator import PhoneSimulator

PLAYER = "media_player.gsc3516_music"
MUSIC = "/var/user/music"


@pytest.fixture
def model() -> str:
    """Simulate a GSC speaker."""
    return "GSC3516"


@pytest.fixture
async def player(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: PhoneSimulator
) -> str:
    """Set up the speaker, forget the setup's requests, return the player."""
    simulator.clear_requests()
    return PLAYER


def music_requests(simulator: PhoneSimulator) -> list[dict[str, str]]:
    """Return the parameters of every music command the speaker received."""
    return [r.params for r in simulator.requests_to("api-ctrl_music_play")]


def play(url: str, loop: str) -> dict[str, str]:
    """Return the parameters of a play command."""
    return {"passcode": PASSCODE, "state": "1", "type": "1", "url": url, "loop": loop}


def stop(url: str) -> dict[str, str]:
    """Return the parameters of a stop command."""
    return {"passcode": PASSCODE, "state": "0", "type": "1", "url": url, "loop": "0"}


async def command(
    hass: HomeAssistant, service: str, data: dict[str, Any] | None = None
) -> State:
    """Call a media player action on the player; return its new state."""
    await hass.services.async_call(
        MEDIA_PLAYER_DOMAIN,
        service,
        {ATTR_ENTITY_ID: PLAYER, **(data or {})},
        blocking=True,
    )
    state = hass.states.get(PLAYER)
    assert state is not None
    return state


async def test_player(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    player: str,
) -> None:
    """Offer the speaker's music files as sources, idle at first."""
    entry = entity_registry.async_get(player)
    assert entry == snapshot(name="entry")
    assert hass.states.get(player) == snapshot(name="state")


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616", "DP750"])
async def test_no_player_on_phones(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: PhoneSimulator
) -> None:
    """Give phones without local music no player."""
    assert hass.states.async_entity_ids(MEDIA_PLAYER_DOMAIN) == []
    assert simulator.requests_to("api-get_music") == []


async def test_select_source_plays(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Play a file by picking it as the source."""
    state = await command(
        hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "Door bell.ogg"}
    )

    assert music_requests(simulator) == [play(f"{MUSIC}/Door bell.ogg", "0")]
    assert simulator.music_playing == f"{MUSIC}/Door bell.ogg"
    # Played once: on, not playing, as the speaker never tells when it ends.
    assert state.state == "on"
    assert state.attributes[ATTR_INPUT_SOURCE] == "Door bell.ogg"


async def test_stop_and_play_again(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Stop the file, then play the same one again."""
    await command(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "music1.ogg"})

    state = await command(hass, SERVICE_MEDIA_STOP)
    assert state.state == "idle"
    assert state.attributes[ATTR_INPUT_SOURCE] == "music1.ogg"
    assert simulator.music_playing is None

    state = await command(hass, SERVICE_MEDIA_PLAY)
    assert state.state == "on"
    assert simulator.music_playing == f"{MUSIC}/music1.ogg"
    assert music_requests(simulator) == [
        play(f"{MUSIC}/music1.ogg", "0"),
        stop(f"{MUSIC}/music1.ogg"),
        play(f"{MUSIC}/music1.ogg", "0"),
    ]


async def test_stop_before_playing(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Stop whatever plays, even when Home Assistant started nothing."""
    state = await command(hass, SERVICE_MEDIA_STOP)

    assert state.state == "idle"
    # The GSC CTI guide's stop example names a listed file; an empty url may
    # be refused.
    assert music_requests(simulator) == [stop(f"{MUSIC}/music1.ogg")]


async def test_play_without_source(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Refuse to play before a file was picked."""
    with pytest.raises(ServiceValidationError) as err:
        await command(hass, SERVICE_MEDIA_PLAY)

    assert err.value.translation_key == "no_music_selected"
    assert simulator.requests == []


async def test_repeat(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Loop files when repeat is on; a playing file restarts to follow a change."""
    state = await command(hass, SERVICE_REPEAT_SET, {ATTR_MEDIA_REPEAT: "all"})
    assert state.attributes[ATTR_MEDIA_REPEAT] == "all"
    assert simulator.requests == []

    await command(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "music2.ogg"})
    assert simulator.music_loop is True

    # From all to one: the file loops either way, nothing to send.
    state = await command(hass, SERVICE_REPEAT_SET, {ATTR_MEDIA_REPEAT: "one"})
    assert state.attributes[ATTR_MEDIA_REPEAT] == "one"

    state = await command(hass, SERVICE_REPEAT_SET, {ATTR_MEDIA_REPEAT: "off"})
    assert state.attributes[ATTR_MEDIA_REPEAT] == "off"
    # Started again to play once: on, no longer playing for ever.
    assert state.state == "on"
    assert simulator.music_loop is False

    assert music_requests(simulator) == [
        play(f"{MUSIC}/music2.ogg", "1"),
        play(f"{MUSIC}/music2.ogg", "0"),
    ]


async def test_unknown_source(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Refuse a file the speaker did not list."""
    with pytest.raises(ServiceValidationError) as err:
        await command(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "song.mp3"})

    assert err.value.translation_key == "unknown_music_file"
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("service", "data"),
    [
        (SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "music1.ogg"}),
        (SERVICE_MEDIA_STOP, {}),
        (SERVICE_REPEAT_SET, {ATTR_MEDIA_REPEAT: "all"}),
    ],
)
async def test_speaker_refuses(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    player: str,
    service: str,
    data: dict[str, Any],
) -> None:
    """Report a speaker that refuses, and keep the state it had."""
    await command(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "music2.ogg"})
    simulator.faults.command_errors["api-ctrl_music_play"] = "failed"

    with pytest.raises(HomeAssistantError) as err:
        await command(hass, service, data)

    assert err.value.translation_key == "command_rejected"
    state = hass.states.get(player)
    assert state is not None
    assert state.state == "on"
    assert state.attributes[ATTR_MEDIA_REPEAT] == "off"


async def test_music_list_unreadable_at_setup(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
) -> None:
    """Set the player up once the speaker lists its music."""
    simulator.faults.command_errors["api-get_music"] = "failed"
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get(PLAYER) is None
    assert hass.states.get("sensor.gsc3516_phone_status") is not None

    simulator.faults.command_errors.clear()
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()

    state = hass.states.get(PLAYER)
    assert state is not None
    assert state.attributes["source_list"] == [
        "music1.ogg",
        "music2.ogg",
        "Door bell.ogg",
    ]


@pytest.mark.parametrize(
    ("stored", "state", "source", "repeat", "stop_url"),
    [
        (
            {
                "file": {"name": "music2.ogg", "path": f"{MUSIC}/music2.ogg"},
                "playback": "loop",
                "repeat": "all",
            },
            "playing",
            "music2.ogg",
            "all",
            f"{MUSIC}/music2.ogg",
        ),
        (
            {
                "file": {"name": "Door bell.ogg", "path": f"{MUSIC}/Door bell.ogg"},
                "playback": "once",
                "repeat": "off",
            },
            "on",
            "Door bell.ogg",
            "off",
            f"{MUSIC}/Door bell.ogg",
        ),
        (
            # A file since deleted from the speaker: stop names a listed one.
            {
                "file": {"name": "Gone.ogg", "path": f"{MUSIC}/Gone.ogg"},
                "playback": "loop",
                "repeat": "one",
            },
            "playing",
            "Gone.ogg",
            "one",
            f"{MUSIC}/music1.ogg",
        ),
        # Unreadable data: as after a first start.
        ({"file": 5, "playback": "loud"}, "idle", None, "off", f"{MUSIC}/music1.ogg"),
    ],
)
async def test_restored_after_restart(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    mock_config_entry: MockConfigEntry,
    stored: dict[str, Any],
    state: str,
    source: str | None,
    repeat: str,
    stop_url: str,
) -> None:
    """Show what was last commanded before a restart; stop names a listed file."""
    mock_restore_cache_with_extra_data(hass, [(State(PLAYER, "playing"), stored)])
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    player = hass.states.get(PLAYER)
    assert player is not None
    assert player.state == state
    assert player.attributes.get(ATTR_INPUT_SOURCE) == source
    assert player.attributes[ATTR_MEDIA_REPEAT] == repeat
    simulator.clear_requests()

    # The stop action, as an automation run after the restart would send it.
    await hass.services.async_call(
        DOMAIN,
        "stop_music",
        {ATTR_DEVICE_ID: phone_device(hass, mock_config_entry)},
        blocking=True,
    )

    assert music_requests(simulator) == [stop(stop_url)]
    player = hass.states.get(PLAYER)
    assert player is not None
    assert player.state == "idle"


async def test_stored_for_restart(
    hass: HomeAssistant, simulator: PhoneSimulator, player: str
) -> None:
    """Keep the file, the playback and repeat for the next start."""
    await command(hass, SERVICE_REPEAT_SET, {ATTR_MEDIA_REPEAT: "all"})
    await command(hass, SERVICE_SELECT_SOURCE, {ATTR_INPUT_SOURCE: "music2.ogg"})

    stored = async_get_restore_state_data(hass).async_get_stored_states()
    data = next(s for s in stored if s.state.entity_id == PLAYER).extra_data
    assert data is not None
    assert data.as_dict() == {
        "file": {"name": "music2.ogg", "path": f"{MUSIC}/music2.ogg"},
        "playback": "loop",
        "repeat": "all",
    }


async def test_speaker_without_files(
    hass: HomeAssistant, simulator: PhoneSimulator, mock_config_entry: MockConfigEntry
) -> None:
    """Send no stop to a speaker that lists no file: none can be playing."""
    simulator.state.profile = replace(simulator.profile, music=())
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    simulator.clear_requests()

    state = await command(hass, SERVICE_MEDIA_STOP)

    assert state.state == "idle"
    # The list read again, to find a file to name; no stop with an empty url.
    assert [r.function for r in simulator.requests] == ["api-get_music"]
