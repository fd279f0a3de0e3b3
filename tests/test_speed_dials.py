"""Tests for speed dials: their buttons, the dial action, migration and Assist."""

from __future__ import annotations

from collections.abc import AsyncIterator
import sys
from typing import Any
from unittest.mock import patch

from homeassistant.components import conversation
from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import (
    area_registry as ar,
    device_registry as dr,
    entity_registry as er,
    intent,
)
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.const import DOMAIN

from .common import commands
from .conftest import ENTRY_ID, PASSCODE, entry_data
from .simulator import PhoneSimulator
from .speed_dial_helpers import (
    BUTTON,
    RECEPTION,
    RECEPTION_ID,
    keys,
    press,
    speed_dial,
    stored,
)


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    """Keep outgoing calls ringing at the far end."""
    return {"answer_delay": None}


@pytest.mark.parametrize(
    ("model", "speed_dials", "expected"),
    [
        (
            "DP750",
            [RECEPTION],
            (
                "/cgi-bin/api-make_call",
                {"passcode": PASSCODE, "hs": "1", "phonenumber": "100"},
            ),
        ),
        (
            "GSC3516",
            [speed_dial(RECEPTION_ID, "Reception", "+3100")],
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


@pytest.mark.parametrize("speed_dials", [[RECEPTION]])
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


# --- speed dials kept in the options by older versions -----------------------


async def test_migrate_speed_dials_from_options(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: PhoneSimulator,
) -> None:
    """Move speed dials into subentries; buttons keep their entity ids and names.

    Speed dials stored before they had ids load too, and get their buttons.
    """
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="GXP2170",
        entry_id=ENTRY_ID,
        data=entry_data(simulator),
        options={
            "speed_dials": [
                {"id": "reception", "name": "Reception", "number": "100"},
                {"name": "Mum", "number": "+15550001"},
                {"name": "Broken"},
            ],
            "kept": True,
        },
    )
    entry.add_to_hass(hass)
    # The button of the speed dial with an id, as the user renamed it.
    old = entity_registry.async_get_or_create(
        BUTTON_DOMAIN,
        DOMAIN,
        f"{ENTRY_ID}_speed_dial_reception",
        config_entry=entry,
        suggested_object_id="gxp2170_call_reception",
    )
    entity_registry.async_update_entity(old.entity_id, name="Front desk")

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert (entry.version, entry.minor_version) == (1, 2)
    assert entry.options == {"kept": True}
    assert stored(entry) == [
        {"title": "Reception", "name": "Reception", "number": "100"},
        {"title": "Mum", "name": "Mum", "number": "+15550001"},
    ]
    reception, mum = entry.subentries
    button = entity_registry.async_get(BUTTON)
    assert button is not None
    assert button.id == old.id
    assert button.unique_id == f"{ENTRY_ID}_speed_dial_{reception}"
    assert button.name == "Front desk"
    mum_button = entity_registry.async_get("button.gxp2170_call_mum")
    assert mum_button is not None
    assert mum_button.unique_id == f"{ENTRY_ID}_speed_dial_{mum}"

    simulator.clear_requests()
    await press(hass, BUTTON)
    assert commands(simulator) == [keys("1:0:0:SEND")]


# --- Assist --------------------------------------------------------------------


async def converse(hass: HomeAssistant, text: str) -> intent.IntentResponse:
    """Say something to Assist; return its answer."""
    result = await conversation.async_converse(
        hass, text, None, Context(), language="en"
    )
    await hass.async_block_till_done()
    return result.response


@pytest.mark.parametrize(
    "speed_dials",
    [
        [
            RECEPTION,
            speed_dial("01JSPEEDDIALDRSMITH00000", "Dr. Smith", "104"),
            speed_dial("01JSPEEDDIALUNSPOKEN0000", "???", "105"),
        ]
    ],
)
@pytest.mark.parametrize(
    ("sentence", "expected", "answer"),
    [
        ("press Call Reception", "1:0:0:SEND", "Calling Reception from GXP2170"),
        ("Call reception", "1:0:0:SEND", "Calling Reception from GXP2170"),
        (
            "press the call Reception button",
            "1:0:0:SEND",
            "Calling Reception from GXP2170",
        ),
        ("dial Reception", "1:0:0:SEND", "Calling Reception from GXP2170"),
        ("call Dr. Smith", "1:0:4:SEND", "Calling Dr. Smith from GXP2170"),
    ],
)
async def test_assist_calls_speed_dial(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    sentence: str,
    expected: str,
    answer: str,
) -> None:
    """Let Assist call a speed dial and say what it did."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    simulator.clear_requests()

    response = await converse(hass, sentence)

    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert response.speech["plain"]["speech"] == answer
    assert commands(simulator) == [keys(expected)]


@pytest.mark.parametrize("speed_dials", [[RECEPTION]])
async def test_assist_names_the_phone_as_renamed(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Name the phone as the user named its device."""
    assert await async_setup_component(hass, "homeassistant", {})
    assert await async_setup_component(hass, "conversation", {})
    device_registry.async_update_device(device_id, name_by_user="the reception phone")

    response = await converse(hass, "call Reception")

    assert response.speech["plain"]["speech"] == (
        "Calling Reception from the reception phone"
    )


@pytest.mark.parametrize("speed_dials", [[RECEPTION]])
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


@pytest.mark.parametrize("speed_dials", [[RECEPTION]])
async def test_restart_button_reads_nothing_after(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Read the phone at once after a speed dial only, not after a restart."""
    simulator.clear_requests()

    await press(hass, "button.gxp2170_restart")

    assert [request.function for request in simulator.requests] == ["api-sys_operation"]


@pytest.mark.parametrize("speed_dials", [[RECEPTION]])
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


@pytest.fixture
async def two_phones(
    hass: HomeAssistant, simulator: PhoneSimulator, socket_enabled: None
) -> AsyncIterator[tuple[PhoneSimulator, PhoneSimulator]]:
    """Set up two phones that both have a Reception speed dial."""
    async with PhoneSimulator("GXP2170", passcode=PASSCODE, answer_delay=None) as other:
        for entry_id, title, phone in (
            (ENTRY_ID, "Hall", simulator),
            ("01JGRANDSTREAMCTIOTHERENTRY", "Kitchen", other),
        ):
            entry = MockConfigEntry(
                domain=DOMAIN,
                title=title,
                entry_id=entry_id,
                minor_version=2,
                data=entry_data(phone),
                subentries_data=[RECEPTION],
            )
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert await async_setup_component(hass, "homeassistant", {})
        assert await async_setup_component(hass, "conversation", {})
        simulator.clear_requests()
        other.clear_requests()
        yield simulator, other


def satellite_in(hass: HomeAssistant, area: str | None) -> str:
    """Return the device id of a voice satellite, in an area or none."""
    satellite_entry = MockConfigEntry(domain="test")
    satellite_entry.add_to_hass(hass)
    devices = dr.async_get(hass)
    device = devices.async_get_or_create(
        config_entry_id=satellite_entry.entry_id, identifiers={("test", "satellite")}
    )
    if area is not None:
        area_id = ar.async_get(hass).async_get_or_create(area).id
        devices.async_update_device(device.id, area_id=area_id)
    return device.id


def place_phone(hass: HomeAssistant, title: str, area: str) -> None:
    """Put a phone's device in an area."""
    devices = dr.async_get(hass)
    entry = next(
        e for e in hass.config_entries.async_entries(DOMAIN) if e.title == title
    )
    device = devices.async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    area_id = ar.async_get(hass).async_get_or_create(area).id
    devices.async_update_device(device.id, area_id=area_id)


@pytest.mark.parametrize(
    ("satellite_area", "dialing"),
    [
        # No satellite area: the phone set up first dials.
        (None, "Hall"),
        ("Kitchen", "Kitchen"),
        ("Hallway", "Hall"),
        # A satellite in an area without such a phone: the first one again.
        ("Garage", "Hall"),
    ],
)
async def test_assist_one_phone_of_several(
    hass: HomeAssistant,
    two_phones: tuple[PhoneSimulator, PhoneSimulator],
    satellite_area: str | None,
    dialing: str,
) -> None:
    """Dial from one phone only: the one in the satellite's area, else the first."""
    hall, kitchen = two_phones
    place_phone(hass, "Hall", "Hallway")
    place_phone(hass, "Kitchen", "Kitchen")
    satellite = satellite_in(hass, satellite_area)

    result = await conversation.async_converse(
        hass, "call Reception", None, Context(), language="en", device_id=satellite
    )
    await hass.async_block_till_done()

    assert result.response.speech["plain"]["speech"] == (
        f"Calling Reception from {dialing}"
    )
    dialed = {"Hall": commands(hall), "Kitchen": commands(kitchen)}
    assert dialed.pop(dialing) == [keys("1:0:0:SEND")]
    assert dialed.popitem()[1] == []


async def test_assist_without_satellite_dials_first_phone(
    hass: HomeAssistant, two_phones: tuple[PhoneSimulator, PhoneSimulator]
) -> None:
    """Typed into Assist, with no satellite: the phone set up first dials."""
    hall, kitchen = two_phones

    response = await converse(hass, "call reception")

    assert response.speech["plain"]["speech"] == "Calling Reception from Hall"
    assert commands(hall) == [keys("1:0:0:SEND")]
    assert commands(kitchen) == []
