"""Tests for the Grandstream CTI actions, against the simulated phones."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_DEVICE_ID, STATE_ON
from homeassistant.core import Context, HomeAssistant
from homeassistant.exceptions import (
    HomeAssistantError,
    ServiceValidationError,
    Unauthorized,
)
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockUser,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.grandstream_cti.const import DOMAIN, REQUEST_TIMEOUT
from custom_components.grandstream_cti.cti.families import STATUS_FUNCTIONS

from .common import commands, handset_device, phone_device
from .conftest import PASSCODE, entry_data
from .push_helpers import paste_action_urls, settle
from .simulator import PhoneSimulator

# Fixed behaviour: outgoing calls stay "calling" until a test answers them,
# and a reboot is over quickly.
SIMULATOR_OPTIONS = {"answer_delay": None, "reboot_seconds": 0.05}


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    """Return the simulator options of these tests."""
    return SIMULATOR_OPTIONS


def request(function: str, **params: str) -> tuple[str, dict[str, str]]:
    """Return a request as commands() lists it, the passcode included."""
    return (f"/cgi-bin/{function}", {"passcode": PASSCODE, **params})


async def call(
    hass: HomeAssistant, action: str, data: dict[str, Any], **kwargs: Any
) -> Any:
    """Run one of the integration's actions and wait for it."""
    return await hass.services.async_call(DOMAIN, action, data, blocking=True, **kwargs)


def state(hass: HomeAssistant, entity_id: str) -> str:
    """Return the state of an entity."""
    entity = hass.states.get(entity_id)
    assert entity is not None, entity_id
    return entity.state


@pytest.fixture
async def device_id(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: PhoneSimulator,
) -> str:
    """Set up the phone, forget the setup's requests, return its device id."""
    simulator.clear_requests()
    return phone_device(hass, init_integration)


# ----- dial


@pytest.mark.parametrize(
    ("model", "number", "expected", "line_sensor"),
    [
        (
            "GXP2170",
            "100",
            request("api-send_key", keys="1:0:0:SEND"),
            "sensor.gxp2170_line_1",
        ),
        (
            "GXP1628",
            "*72 100#",
            request("api-send_key", keys="*:7:2:1:0:0:#:SEND"),
            "sensor.gxp1628_line_1",
        ),
        (
            "GRP2616",
            "+1 (555) 010-0",
            request("api-make_call", phonenumber="+15550100"),
            "sensor.grp2616_line_1",
        ),
        (
            "DP750",
            "100",
            request("api-make_call", hs="1", phonenumber="100"),
            "sensor.dp750_handset_1_line_1",
        ),
    ],
)
async def test_dial(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    model: str,
    number: str,
    expected: tuple[str, dict[str, str]],
    line_sensor: str,
) -> None:
    """Dial the way each family dials, and show the call at once."""
    await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": number})

    assert commands(simulator) == [expected]
    # The phone was read again right after the command: no waiting for a poll.
    functions = [request.function for request in simulator.requests]
    after = functions[functions.index(expected[0].removeprefix("/cgi-bin/")) + 1 :]
    assert STATUS_FUNCTIONS.intersection(after)
    assert state(hass, line_sensor) == "calling"
    assert state(hass, f"binary_sensor.{model.lower()}_in_call") == STATE_ON


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_dial_gsc(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Dial from a GSC speaker, which reports only its phone status."""
    await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "35463"})

    assert commands(simulator) == [request("api-make_call", phonenumber="35463")]
    assert state(hass, "sensor.gsc3516_phone_status") == "busy"
    assert state(hass, "binary_sensor.gsc3516_in_call") == STATE_ON


@pytest.mark.parametrize("model", ["DP750"])
async def test_dial_from_handset(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Dial from the handset named in the field, or picked as the device."""
    await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "7", "handset": 2})
    assert state(hass, "sensor.dp750_handset_2_line_1") == "calling"
    assert simulator.remote_hangup(handset=2)

    handset_2 = handset_device(hass, init_integration, 2)
    await call(hass, "dial", {ATTR_DEVICE_ID: [handset_2], "number": "8"})
    # The same handset in both places is no contradiction.
    await call(hass, "dial", {ATTR_DEVICE_ID: handset_2, "number": "9", "handset": 2})

    assert commands(simulator) == [
        request("api-make_call", hs="2", phonenumber="7"),
        request("api-make_call", hs="2", phonenumber="8"),
        request("api-make_call", hs="2", phonenumber="9"),
    ]


@pytest.mark.parametrize(
    ("model", "data", "key", "placeholders"),
    [
        (
            "GXP2170",
            {"number": "+100"},
            "input_keypad_characters",
            {"field": "number", "value": "+100", "family": "GXP16xx/17xx/21xx"},
        ),
        (
            "GRP2616",
            {"number": "100!"},
            "input_dial_characters",
            {"field": "number", "value": "100!"},
        ),
        (
            "GRP2616",
            {"number": "Reception"},
            "unknown_speed_dial",
            {"value": "Reception", "speed_dials": "-"},
        ),
        ("GRP2616", {"number": " - "}, "input_empty", {"field": "number"}),
        (
            "GSC3516",
            {"number": "1" * 65},
            "input_too_long",
            {"field": "number", "max": "64"},
        ),
        (
            "GXP2170",
            {"number": "100", "handset": 1},
            "input_no_handsets",
            {"field": "handset", "value": "1"},
        ),
        (
            "DP750",
            {"number": "100", "handset": 6},
            "input_out_of_range",
            {"field": "handset", "min": "1", "max": "5", "value": "6"},
        ),
        (
            "DP750",
            {"number": "100", "handset": 3},
            "handset_not_paired",
            {"handset": "3"},
        ),
    ],
)
async def test_dial_refused(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    model: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Refuse what the phone cannot dial, before sending anything."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, **data})

    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == key
    assert err.value.translation_placeholders is not None
    assert placeholders.items() <= err.value.translation_placeholders.items()
    assert err.value.translation_placeholders["name"] == model
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GXP2170"])
async def test_refusal_is_translated(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Word a refusal in full, naming the phone, the field and the reason."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "+100"})

    assert str(err.value) == (
        'GXP2170 cannot dial "+100": GXP16xx/17xx/21xx phones dial with their '
        "keypad, so a number can only hold digits, * and #. To call a speed "
        "dial, use its name exactly as it is listed under the phone's speed "
        "dials (Settings → Devices & services → the phone)"
    )


@pytest.mark.parametrize("model", ["DP750"])
async def test_handset_conflict(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Refuse a handset field that names another handset than the device."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "dial",
            {
                ATTR_DEVICE_ID: handset_device(hass, init_integration, 2),
                "number": "100",
                "handset": 1,
            },
        )

    assert err.value.translation_key == "handset_conflict"
    assert err.value.translation_placeholders == {
        "name": "DP750",
        "family": "DP750/720",
        "device_handset": "2",
        "handset": "1",
    }
    assert simulator.requests == []


async def test_device_of_another_integration(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Refuse devices that are not this integration's phones."""
    other = MockConfigEntry(domain="other")
    other.add_to_hass(hass)
    stranger = dr.async_get(hass).async_get_or_create(
        config_entry_id=other.entry_id, identifiers={("other", "x")}
    )

    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "dial", {ATTR_DEVICE_ID: [device_id, stranger.id], "number": "1"}
        )
    assert err.value.translation_key == "service_device_wrong_domain"

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: "nonexistent", "number": "1"})
    assert err.value.translation_key == "service_device_not_found"
    assert simulator.requests == []


async def test_phone_not_loaded(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Refuse a phone whose entry is not loaded."""
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    simulator.clear_requests()

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "1"})

    assert err.value.translation_key == "service_config_entry_not_loaded"
    assert simulator.requests == []


# ----- the phone refusing


@pytest.mark.parametrize("model", ["GRP2616"])
async def test_call_refused_by_phone(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Explain an "Invalid Request" answer to make_call with its likely causes."""
    simulator.set_registered(1, False)
    simulator.set_registered(2, False)

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})

    assert err.value.translation_key == "call_refused"
    assert "Click-To-Dial" in str(err.value)
    assert commands(simulator) == [request("api-make_call", phonenumber="100")]


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_all_lines_busy(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Report a make_call "success" that carries the all-lines-busy code."""
    simulator.set_line_state(1, "connected", number="1")
    simulator.set_line_state(2, "connected", number="2")

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})

    assert err.value.translation_key == "call_lines_busy"
    assert str(err.value) == (
        "GSC3516 did not place the call: all its lines are in use"
    )


async def test_command_rejected(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Report an error answer as a sentence, without the phone's raw body."""
    _ring(simulator)
    simulator.faults.command_errors["acceptcall"] = False

    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass, "call_operation", {ATTR_DEVICE_ID: device_id, "operation": "accept"}
        )

    assert err.value.translation_key == "command_rejected"
    assert str(err.value) == (
        "GXP2170 refused the request. Check that it can do it now: for example, "
        "that a call is ringing before you accept it"
    )
    assert commands(simulator) == [request("api-phone_operation", cmd="acceptcall")]


async def test_phone_offline(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Report a phone that cannot be reached."""
    await simulator.go_offline()

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})

    assert err.value.translation_key == "cannot_connect"


async def test_phone_timeout(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    device_id: str,
) -> None:
    """Report a phone that takes the request but never answers."""
    simulator.faults.hang = True
    task = hass.async_create_task(
        call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})
    )
    while not simulator.requests:
        await asyncio.sleep(0)
    freezer.tick(timedelta(seconds=REQUEST_TIMEOUT + 1))
    async_fire_time_changed(hass)

    with pytest.raises(HomeAssistantError) as err:
        await task

    assert err.value.translation_key == "cannot_connect"
    assert str(err.value) == (
        "Could not reach GXP2170. Check that it is switched on and connected to "
        "the network, and that its address in Home Assistant is right "
        "(reconfigure the phone to change it)"
    )


@pytest.mark.parametrize("model", ["GRP2616"])
async def test_wrong_passcode_starts_reauth(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Ask for the new passcode when the phone refuses the one it had."""
    simulator.passcode = "changed"

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})

    assert err.value.translation_key == "invalid_auth"
    assert PASSCODE not in str(err.value)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert flows[0]["context"]["entry_id"] == init_integration.entry_id


async def test_cti_disabled_does_not_reauth(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Explain how to allow CTI when the phone refuses it, without asking a passcode."""
    simulator.faults.cti_disabled = True

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})

    assert err.value.translation_key == "access_denied"
    assert hass.config_entries.flow.async_progress() == []


# ----- several phones


@pytest.fixture
async def second_phone(
    hass: HomeAssistant, socket_enabled: None
) -> AsyncIterator[tuple[PhoneSimulator, str]]:
    """Set up a GRP2616 next to the main phone; return it and its device id."""
    async with PhoneSimulator("GRP2616", passcode=PASSCODE, **SIMULATOR_OPTIONS) as sim:
        entry = MockConfigEntry(
            domain=DOMAIN, title="GRP2616", minor_version=2, data=entry_data(sim)
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        sim.clear_requests()
        yield sim, phone_device(hass, entry)
        assert await hass.config_entries.async_unload(entry.entry_id)


async def test_several_phones(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    second_phone: tuple[PhoneSimulator, str],
) -> None:
    """Send the action to every phone picked, each its own way."""
    grp, grp_device = second_phone

    await call(hass, "dial", {ATTR_DEVICE_ID: [device_id, grp_device], "number": "42"})

    assert commands(simulator) == [request("api-send_key", keys="4:2:SEND")]
    assert commands(grp) == [request("api-make_call", phonenumber="42")]
    assert state(hass, "sensor.gxp2170_line_1") == "calling"
    assert state(hass, "sensor.grp2616_line_1") == "calling"


async def test_several_phones_checked_before_sending(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    second_phone: tuple[PhoneSimulator, str],
) -> None:
    """Send nothing to any phone when one of them cannot take the action."""
    grp, grp_device = second_phone

    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "dial", {ATTR_DEVICE_ID: [grp_device, device_id], "number": "+42"}
        )

    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["name"] == "GXP2170"
    assert simulator.requests == []
    assert grp.requests == []


async def test_several_phones_one_fails(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    second_phone: tuple[PhoneSimulator, str],
) -> None:
    """Try every phone and name the ones that failed."""
    grp, grp_device = second_phone
    await simulator.go_offline()

    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass, "dial", {ATTR_DEVICE_ID: [device_id, grp_device], "number": "42"}
        )

    assert err.value.translation_key == "phones_failed"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["names"] == "GXP2170"
    assert str(err.value).startswith("The action failed on GXP2170. Could not reach")
    assert commands(grp) == [request("api-make_call", phonenumber="42")]

    grp.faults.command_errors["api-make_call"] = "failed"
    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass, "dial", {ATTR_DEVICE_ID: [device_id, grp_device], "number": "42"}
        )
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["names"] == "GXP2170, GRP2616"


# ----- send_keys


@pytest.mark.parametrize(
    ("model", "data", "expected", "line_sensor"),
    [
        (
            "GXP2170",
            {"keys": "1:0:0:send"},
            request("api-send_key", keys="1:0:0:SEND"),
            "sensor.gxp2170_line_1",
        ),
        (
            "GXP1628",
            {"keys": ["1", "0:0", "SEND"]},
            request("api-send_key", keys="1:0:0:SEND"),
            "sensor.gxp1628_line_1",
        ),
        (
            "GRP2616",
            {"keys": ["*", "7", "#", "SEND"]},
            request("api-send_key", keys="*:7:#:SEND"),
            "sensor.grp2616_line_1",
        ),
        (
            "DP750",
            {"keys": "*:7:#:SEND", "handset": 2},
            request("api-send_key", hs="2", keys="STAR:7:HASH:SEND"),
            "sensor.dp750_handset_2_line_1",
        ),
    ],
)
async def test_send_keys(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    data: dict[str, Any],
    expected: tuple[str, dict[str, str]],
    line_sensor: str,
) -> None:
    """Press keys in the family's names; the phone state shows at once."""
    await call(hass, "send_keys", {ATTR_DEVICE_ID: device_id, **data})

    assert commands(simulator) == [expected]
    assert state(hass, line_sensor) == "calling"


@pytest.mark.parametrize(
    ("model", "keys", "key"),
    [
        ("GXP2170", "1:FOO", "FOO"),
        ("GRP2616", "OFFHOOK", "OFFHOOK"),
        # The DP guide's key table ends at LINE8.
        ("DP750", "LINE9", "LINE9"),
    ],
)
async def test_send_unknown_key(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    keys: str,
    key: str,
) -> None:
    """Refuse a key the family does not have."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "send_keys", {ATTR_DEVICE_ID: device_id, "keys": keys})

    assert err.value.translation_key == "input_unknown_key"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["key"] == key
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_send_keys_unsupported(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Refuse keys on a speaker that has none."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "send_keys", {ATTR_DEVICE_ID: device_id, "keys": "1"})

    assert err.value.translation_key == "keys_unsupported"
    assert simulator.requests == []


# ----- call_operation


def _ring(simulator: PhoneSimulator, line: int = 1, handset: int | None = None) -> None:
    """Let a call come in."""
    assert simulator.incoming_call("1002", "Alice", line=line, handset=handset)


def _talk(simulator: PhoneSimulator, line: int = 1, handset: int | None = None) -> None:
    """Have a call in progress."""
    simulator.set_line_state(line, "connected", handset=handset, number="1002")


def _hold(simulator: PhoneSimulator, line: int = 1, handset: int | None = None) -> None:
    """Have a call on hold."""
    simulator.set_line_state(line, "onhold", handset=handset, number="1002")


def _dialing(
    simulator: PhoneSimulator, line: int = 1, handset: int | None = None
) -> None:
    """Have a call ringing at the far end."""
    simulator.set_line_state(line, "calling", handset=handset, number="1002")


@pytest.mark.parametrize(
    ("model", "prepare", "data", "expected", "entity", "after"),
    [
        (
            "GXP2170",
            _ring,
            {"operation": "accept"},
            request("api-phone_operation", cmd="acceptcall"),
            "sensor.gxp2170_line_1",
            "connected",
        ),
        (
            "GXP2170",
            _ring,
            {"operation": "reject"},
            request("api-phone_operation", cmd="rejectcall"),
            "sensor.gxp2170_line_1",
            "idle",
        ),
        (
            "GXP2170",
            _talk,
            {"operation": "end"},
            request("api-phone_operation", cmd="endcall"),
            "sensor.gxp2170_line_1",
            "idle",
        ),
        (
            "GXP2170",
            _talk,
            {"operation": "hold"},
            request("api-phone_operation", cmd="holdcall"),
            "sensor.gxp2170_line_1",
            "onhold",
        ),
        (
            "GXP1628",
            _dialing,
            {"operation": "cancel"},
            request("api-phone_operation", cmd="cancel"),
            "sensor.gxp1628_line_1",
            "idle",
        ),
        (
            "GRP2616",
            _hold,
            {"operation": "unhold"},
            request("api-phone_operation", cmd="unhold", arg="1"),
            "sensor.grp2616_line_1",
            "connected",
        ),
        (
            "GRP2616",
            lambda sim: _ring(sim, line=2),
            {"operation": "accept", "line": 2},
            request("api-phone_operation", cmd="acceptcall", arg="2"),
            "sensor.grp2616_line_2",
            "connected",
        ),
        (
            "DP750",
            _ring,
            {"operation": "accept"},
            request("api-device_operation", hs="1", line="1", cmd="acceptcall"),
            "sensor.dp750_handset_1_line_1",
            "connected",
        ),
        (
            "DP750",
            lambda sim: _hold(sim, line=2, handset=2),
            {"operation": "unhold", "handset": 2, "line": 2},
            request("api-device_operation", hs="2", line="2", cmd="unholdcall"),
            "sensor.dp750_handset_2_line_2",
            "connected",
        ),
        (
            "DP750",
            _talk,
            {"operation": "hold"},
            request("api-device_operation", hs="1", line="1", cmd="holdcall"),
            "sensor.dp750_handset_1_line_1",
            "onhold",
        ),
        (
            "GSC3516",
            _ring,
            {"operation": "accept"},
            request("api-phone_operation", cmd="acceptcall"),
            "sensor.gsc3516_phone_status",
            "busy",
        ),
        (
            "GSC3516",
            _talk,
            {"operation": "end"},
            request("api-phone_operation", cmd="endcall"),
            "sensor.gsc3516_phone_status",
            "available",
        ),
    ],
)
async def test_call_operation(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    prepare: Any,
    data: dict[str, Any],
    expected: tuple[str, dict[str, str]],
    entity: str,
    after: str,
) -> None:
    """Act on a call the way the family does; the new state shows at once."""
    prepare(simulator)

    await call(hass, "call_operation", {ATTR_DEVICE_ID: device_id, **data})

    assert commands(simulator) == [expected]
    assert state(hass, entity) == after


@pytest.mark.parametrize(
    ("model", "data", "expected", "muted", "speaker"),
    [
        (
            "GSC3516",
            {"operation": "mute"},
            request("api-phone_operation", cmd="mute"),
            True,
            False,
        ),
        (
            "DP750",
            {"operation": "mute"},
            request("api-device_operation", hs="1", cmd="mute"),
            True,
            False,
        ),
        (
            "DP750",
            {"operation": "speaker", "line": 3},
            request("api-device_operation", hs="1", cmd="speaker"),
            False,
            True,
        ),
    ],
)
async def test_mute_and_speaker(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    data: dict[str, Any],
    expected: tuple[str, dict[str, str]],
    muted: bool,
    speaker: bool,
) -> None:
    """Switch mute and the speaker, which take no line."""
    await call(hass, "call_operation", {ATTR_DEVICE_ID: device_id, **data})

    assert commands(simulator) == [expected]
    assert simulator.muted is muted
    assert simulator.state.station().speaker is speaker


@pytest.mark.parametrize(
    ("model", "data", "key", "placeholders"),
    [
        (
            "GXP2170",
            {"operation": "unhold"},
            "operation_unsupported",
            {"operation": "unhold"},
        ),
        (
            "GXP2170",
            {"operation": "mute"},
            "operation_unsupported",
            {"operation": "mute"},
        ),
        (
            "GSC3516",
            {"operation": "hold"},
            "operation_unsupported",
            {"family": "GSC35xx"},
        ),
        (
            "GXP2170",
            {"operation": "end", "line": 1},
            "input_no_line_choice",
            {"field": "line"},
        ),
        (
            "GSC3516",
            {"operation": "end", "line": 1},
            "input_no_line_choice",
            {"field": "line"},
        ),
        (
            "GRP2616",
            {"operation": "end", "line": 7},
            "input_out_of_range",
            {"field": "line", "max": "6", "value": "7"},
        ),
        (
            "DP750",
            {"operation": "end", "line": 11},
            "input_out_of_range",
            {"field": "line", "max": "10"},
        ),
        (
            "DP750",
            {"operation": "end", "line": 0},
            "input_out_of_range",
            {"field": "line", "min": "1"},
        ),
        (
            "GRP2616",
            {"operation": "end", "handset": 2},
            "input_no_handsets",
            {"field": "handset"},
        ),
        (
            "DP750",
            {"operation": "end", "handset": 0},
            "input_out_of_range",
            {"field": "handset"},
        ),
    ],
)
async def test_call_operation_refused(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Refuse operations, lines and handsets the phone does not have."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "call_operation", {ATTR_DEVICE_ID: device_id, **data})

    assert err.value.translation_key == key
    assert err.value.translation_placeholders is not None
    assert placeholders.items() <= err.value.translation_placeholders.items()
    assert simulator.requests == []


async def test_unknown_operation(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Refuse an operation no family has, naming the ones there are."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "call_operation", {ATTR_DEVICE_ID: device_id, "operation": "transfer"}
        )

    assert err.value.translation_key == "field_not_a_choice"
    assert str(err.value) == (
        "The operation field takes one of accept, reject, end, hold, unhold, "
        'cancel, mute, speaker, not "transfer"'
    )
    assert simulator.requests == []


# ----- set_dnd


@pytest.mark.parametrize("model", ["DP750"])
async def test_set_dnd_dect(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Switch DND on a DECT handset directly, whatever its state."""
    await call(hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": True})
    await call(
        hass,
        "set_dnd",
        {ATTR_DEVICE_ID: handset_device(hass, init_integration, 2), "enabled": True},
    )
    await call(
        hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": False, "handset": 2}
    )

    assert commands(simulator) == [
        request("api-device_operation", hs="1", cmd="setdnd"),
        request("api-device_operation", hs="2", cmd="setdnd"),
        request("api-device_operation", hs="2", cmd="unsetdnd"),
    ]
    assert simulator.dnd is True
    assert simulator.handsets[1].dnd is False


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616"])
async def test_set_dnd_state_unknown(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Refuse to press a toggling DND key without knowing the state."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": True})

    assert err.value.translation_key == "dnd_state_unknown"
    assert "DND On and DND Off Action URL events" in str(err.value)
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616"])
async def test_set_dnd_toggle_key(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Toggle DND with the key only from a known state, told by the phone's events."""
    await paste_action_urls(
        hass, init_integration, simulator, await hass_client_no_auth()
    )
    station = simulator.state.station()
    simulator.state.set_dnd(station, True)
    simulator.state.set_dnd(station, False)
    await simulator.wait_for_action_urls()
    await settle(hass)
    coordinator = init_integration.runtime_data.coordinator
    assert coordinator.data.dnd is False
    simulator.clear_requests()

    await call(hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": True})
    assert simulator.dnd is True
    # Already on, as the phone's DND On event told: nothing to press.
    await call(hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": True})
    assert simulator.dnd is True
    await call(hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": False})
    assert simulator.dnd is False

    assert commands(simulator) == [
        request("api-send_key", keys="DND"),
        request("api-send_key", keys="DND"),
    ]
    await simulator.wait_for_action_urls()
    await settle(hass)
    assert coordinator.data.dnd is False

    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": True, "handset": 1}
        )
    assert err.value.translation_key == "input_no_handsets"


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_set_dnd_unsupported(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Refuse DND on a speaker that has none."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "set_dnd", {ATTR_DEVICE_ID: device_id, "enabled": True})

    assert err.value.translation_key == "dnd_unsupported"
    assert simulator.requests == []


# ----- reboot and factory reset


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616", "DP750", "GSC3516"])
async def test_reboot(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Reboot every family with the same request."""
    await call(hass, "reboot", {ATTR_DEVICE_ID: device_id})

    assert commands(simulator) == [request("api-sys_operation", request="REBOOT")]


@pytest.mark.parametrize("model", ["DP750"])
async def test_reboot_base_once(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Reboot a DECT base once when it and its handsets are picked."""
    devices = [
        device_id,
        handset_device(hass, init_integration, 1),
        handset_device(hass, init_integration, 2),
    ]

    await call(hass, "reboot", {ATTR_DEVICE_ID: devices})

    assert commands(simulator) == [request("api-sys_operation", request="REBOOT")]


@pytest.mark.parametrize("model", ["GXP2170", "DP750"])
async def test_factory_reset(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Erase a phone when confirmed."""
    await call(hass, "factory_reset", {ATTR_DEVICE_ID: device_id, "confirm": True})

    assert commands(simulator) == [request("api-sys_operation", request="RESET")]


@pytest.mark.parametrize("data", [{}, {"confirm": False}])
async def test_factory_reset_unconfirmed(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    data: dict[str, Any],
) -> None:
    """Refuse to erase a phone without confirm."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "factory_reset", {ATTR_DEVICE_ID: device_id, **data})

    assert err.value.translation_key == "confirm_required"
    assert str(err.value) == (
        "A factory reset erases every setting of GXP2170. Turn on confirm to do it"
    )
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("action", "data"),
    [("reboot", {}), ("factory_reset", {"confirm": True})],
)
async def test_admin_only(
    hass: HomeAssistant,
    hass_read_only_user: MockUser,
    simulator: PhoneSimulator,
    device_id: str,
    action: str,
    data: dict[str, Any],
) -> None:
    """Let only administrators reboot or erase a phone."""
    with pytest.raises(Unauthorized):
        await call(
            hass,
            action,
            {ATTR_DEVICE_ID: device_id, **data},
            context=Context(user_id=hass_read_only_user.id),
        )
    assert simulator.requests == []


async def test_reboot_refused(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Report a phone that refuses to reboot."""
    simulator.faults.command_errors["REBOOT"] = "unknown"

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "reboot", {ATTR_DEVICE_ID: device_id})

    assert err.value.translation_key == "command_rejected"
    assert "unknown" not in str(err.value)


# ----- music


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_list_music(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Return the speaker's music files, read afresh."""
    response = await call(
        hass, "list_music", {ATTR_DEVICE_ID: device_id}, return_response=True
    )

    assert response == {
        "files": [
            {"name": "music1.ogg", "path": "/var/user/music/music1.ogg"},
            {"name": "music2.ogg", "path": "/var/user/music/music2.ogg"},
            {"name": "Door bell.ogg", "path": "/var/user/music/Door bell.ogg"},
        ]
    }
    assert commands(simulator) == [request("api-get_music")]


@pytest.mark.parametrize("model", ["GSC3516"])
@pytest.mark.parametrize(
    ("file", "loop", "url"),
    [
        ("music2.ogg", True, "/var/user/music/music2.ogg"),
        ("/var/user/music/Door bell.ogg", False, "/var/user/music/Door bell.ogg"),
    ],
)
async def test_play_and_stop_music(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    file: str,
    loop: bool,
    url: str,
) -> None:
    """Play a listed file by name or path, then stop it; the player follows."""
    await call(
        hass, "play_music", {ATTR_DEVICE_ID: device_id, "file": file, "loop": loop}
    )
    assert simulator.music_playing == url
    assert simulator.music_loop is loop
    player = hass.states.get("media_player.gsc3516_music")
    assert player is not None
    # Played once, the file ends when it ends: the speaker never says when.
    assert player.state == ("playing" if loop else "on")
    assert player.attributes["source"] == url.rsplit("/", 1)[1]
    assert player.attributes["repeat"] == ("all" if loop else "off")

    await call(hass, "stop_music", {ATTR_DEVICE_ID: device_id})

    assert simulator.music_playing is None
    assert state(hass, "media_player.gsc3516_music") == "idle"
    assert commands(simulator) == [
        request(
            "api-ctrl_music_play", state="1", type="1", url=url, loop=str(int(loop))
        ),
        request("api-ctrl_music_play", state="0", type="1", url=url, loop="0"),
    ]


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_play_unknown_music(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Refuse a file the speaker did not list."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "play_music", {ATTR_DEVICE_ID: device_id, "file": "song.mp3"})

    assert err.value.translation_key == "unknown_music_file"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["files"] == (
        "music1.ogg, music2.ogg, Door bell.ogg"
    )
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_music_refused(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Report a speaker that refuses to play, and keep the player as it was."""
    simulator.faults.command_errors["api-ctrl_music_play"] = "failed"

    with pytest.raises(HomeAssistantError) as err:
        await call(
            hass, "play_music", {ATTR_DEVICE_ID: device_id, "file": "music1.ogg"}
        )

    assert err.value.translation_key == "command_rejected"
    assert state(hass, "media_player.gsc3516_music") == "idle"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("list_music", {}),
        ("play_music", {"file": "music1.ogg"}),
        ("stop_music", {}),
    ],
)
async def test_music_unsupported(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    action: str,
    data: dict[str, Any],
) -> None:
    """Refuse music on phones that have none."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            action,
            {ATTR_DEVICE_ID: device_id, **data},
            return_response=action == "list_music",
        )

    assert err.value.translation_key == "music_unsupported"
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_list_music_refreshes_player(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Show files added to the speaker once they are listed again."""
    simulator.state.profile = replace(
        simulator.profile, music=(*simulator.profile.music, "Lunch.ogg")
    )
    player = hass.states.get("media_player.gsc3516_music")
    assert player is not None
    assert "Lunch.ogg" not in player.attributes["source_list"]

    await call(hass, "list_music", {ATTR_DEVICE_ID: device_id}, return_response=True)
    await call(hass, "play_music", {ATTR_DEVICE_ID: device_id, "file": "Lunch.ogg"})

    player = hass.states.get("media_player.gsc3516_music")
    assert player is not None
    assert player.attributes["source_list"][-1] == "Lunch.ogg"
    assert player.attributes["source"] == "Lunch.ogg"
    assert simulator.music_playing == "/var/user/music/Lunch.ogg"


async def test_phone_answers_nonsense(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Report an answer that is not the phone's JSON."""
    simulator.faults.non_json = True

    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})

    assert err.value.translation_key == "communication_error"


@pytest.mark.parametrize("model", ["GXP1628"])
async def test_phone_lacks_function(
    hass: HomeAssistant, simulator: PhoneSimulator, socket_enabled: None
) -> None:
    """Refuse what the phone's firmware turns out not to have (HTTP 404)."""
    # Set up as a GSC speaker, the GXP answers the status it polls but has
    # no api-make_call, as an older firmware might lack a function.
    entry = MockConfigEntry(
        domain=DOMAIN, title="GXP1628", data=entry_data(simulator, family="gsc")
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "dial", {ATTR_DEVICE_ID: phone_device(hass, entry), "number": "1"}
        )

    assert err.value.translation_key == "unsupported"


# ----- which line a call operation acts on


async def _show(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Let the entities show the phone as it is now, as a poll would."""
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("model", "prepare", "data", "expected"),
    [
        (
            "GRP2616",
            lambda sim: (_talk(sim), _ring(sim, line=2)),
            {"operation": "accept"},
            request("api-phone_operation", cmd="acceptcall", arg="2"),
        ),
        (
            "GRP2616",
            lambda sim: (_hold(sim), _talk(sim, line=2)),
            {"operation": "end"},
            request("api-phone_operation", cmd="endcall", arg="2"),
        ),
        (
            "GRP2616",
            lambda sim: (_hold(sim), _talk(sim, line=2)),
            {"operation": "hold"},
            request("api-phone_operation", cmd="holdcall", arg="2"),
        ),
        (
            "GRP2616",
            lambda sim: (_hold(sim), _talk(sim, line=2)),
            {"operation": "unhold"},
            request("api-phone_operation", cmd="unhold", arg="1"),
        ),
        (
            "GXP2170",
            lambda sim: (_talk(sim), _ring(sim, line=2)),
            {"operation": "reject"},
            request("api-phone_operation", cmd="rejectcall"),
        ),
        (
            "DP750",
            lambda sim: _ring(sim, line=2, handset=1),
            {"operation": "accept"},
            request("api-device_operation", hs="1", line="2", cmd="acceptcall"),
        ),
        (
            "DP750",
            lambda sim: (_talk(sim, handset=2), _hold(sim, line=2, handset=2)),
            {"operation": "unhold", "handset": 2},
            request("api-device_operation", hs="2", line="2", cmd="unholdcall"),
        ),
    ],
)
async def test_call_operation_picks_the_line(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
    prepare: Any,
    data: dict[str, Any],
    expected: tuple[str, dict[str, str]],
) -> None:
    """Without a line, act on the one call the operation fits, on any line."""
    prepare(simulator)
    await _show(hass, init_integration)
    simulator.clear_requests()

    await call(hass, "call_operation", {ATTR_DEVICE_ID: device_id, **data})

    # Decided on what the entities showed: the command, and no read before it.
    assert [(r.path, r.params) for r in simulator.requests][0] == expected
    assert commands(simulator) == [expected]


@pytest.mark.parametrize(
    ("model", "prepare", "data", "key", "placeholders"),
    [
        (
            "GRP2616",
            lambda sim: (_ring(sim), _ring(sim, line=2)),
            {"operation": "accept"},
            "line_ambiguous",
            {"operation": "accept", "lines": "1, 2"},
        ),
        (
            "GXP2170",
            lambda sim: (_ring(sim), _ring(sim, line=3)),
            {"operation": "reject"},
            "line_ambiguous_no_choice",
            {"operation": "reject", "lines": "1, 3", "family": "GXP16xx/17xx/21xx"},
        ),
        (
            "GXP2170",
            lambda sim: (_talk(sim), _talk(sim, line=2)),
            {"operation": "end"},
            "line_ambiguous_no_choice",
            {"operation": "end", "lines": "1, 2"},
        ),
        (
            "DP750",
            lambda sim: (_ring(sim, handset=2), _ring(sim, line=2, handset=2)),
            {"operation": "reject", "handset": 2},
            "line_ambiguous",
            {"operation": "reject", "lines": "1, 2"},
        ),
    ],
)
async def test_call_operation_two_candidates(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
    prepare: Any,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Refuse to guess between two calls: name their lines, send nothing."""
    prepare(simulator)
    await _show(hass, init_integration)
    simulator.clear_requests()

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "call_operation", {ATTR_DEVICE_ID: device_id, **data})

    assert err.value.translation_key == key
    assert err.value.translation_placeholders is not None
    assert placeholders.items() <= err.value.translation_placeholders.items()
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GRP2616"])
async def test_call_operation_names_the_lines(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """Word the refusal so the user knows what to do."""
    _ring(simulator)
    _ring(simulator, line=2)
    await _show(hass, init_integration)

    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "call_operation", {ATTR_DEVICE_ID: device_id, "operation": "accept"}
        )

    assert str(err.value) == (
        "GRP2616 has calls to accept on lines 1, 2. Say which one in the line field"
    )


@pytest.mark.parametrize(
    ("model", "operation"),
    [("GXP2170", "accept"), ("GRP2616", "unhold"), ("DP750", "end")],
)
async def test_call_operation_without_a_call(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str, operation: str
) -> None:
    """Refuse an operation no call fits, after reading the phone afresh."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass, "call_operation", {ATTR_DEVICE_ID: device_id, "operation": operation}
        )

    assert err.value.translation_key == "no_call"
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["operation"] == operation
    # Only the read of the lines: a call may have come in since the last poll.
    assert commands(simulator) == []
    assert len(simulator.requests) == 1


@pytest.mark.parametrize("model", ["DP750"])
async def test_call_operation_on_a_waiting_call_of_handset_2(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Answer a call on handset 1, line 2: the case that answered false with line=1."""
    _ring(simulator, line=2, handset=1)

    await call(
        hass,
        "call_operation",
        {
            ATTR_DEVICE_ID: handset_device(hass, init_integration, 1),
            "operation": "accept",
        },
    )

    assert commands(simulator) == [
        request("api-device_operation", hs="1", line="2", cmd="acceptcall")
    ]
    assert state(hass, "sensor.dp750_handset_1_line_2") == "connected"


# ----- the entry going away, the passcode refused


async def unload_during(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    entry: MockConfigEntry,
    action: str,
    data: dict[str, Any],
) -> None:
    """Run an action and unload its phone's entry before the phone answers."""
    simulator.faults.delay = 0.2
    task = hass.async_create_task(call(hass, action, data))
    while not simulator.requests:
        await asyncio.sleep(0.01)

    assert await hass.config_entries.async_unload(entry.entry_id)
    await task


async def test_unloaded_while_in_flight(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """End an action cleanly when its phone is unloaded before the answer."""
    # The command's own result: the phone took it.
    await unload_during(
        hass,
        simulator,
        init_integration,
        "dial",
        {ATTR_DEVICE_ID: device_id, "number": "100"},
    )

    assert commands(simulator) == [request("api-send_key", keys="1:0:0:SEND")]
    # No read after the command: the entry is gone.
    assert [r.function for r in simulator.requests] == ["api-send_key"]


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_unloaded_while_music_in_flight(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_id: str,
) -> None:
    """End a music action cleanly when its speaker is unloaded meanwhile."""
    await unload_during(
        hass,
        simulator,
        init_integration,
        "play_music",
        {ATTR_DEVICE_ID: device_id, "file": "music1.ogg"},
    )

    assert simulator.music_playing == "/var/user/music/music1.ogg"


@pytest.mark.parametrize("model", ["GRP2616", "DP750"])
async def test_nothing_sent_after_the_passcode_was_refused(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str, model: str
) -> None:
    """Once refused, the passcode is not sent again: every action fails at once."""
    simulator.passcode = "changed"
    with pytest.raises(HomeAssistantError):
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "100"})
    simulator.clear_requests()

    for action, data in (
        ("dial", {"number": "100"}),
        ("send_keys", {"keys": "1"}),
        ("call_operation", {"operation": "end", "line": 1}),
        ("set_dnd", {"enabled": True}),
        ("reboot", {}),
        ("factory_reset", {"confirm": True}),
    ):
        with pytest.raises(HomeAssistantError) as err:
            await call(hass, action, {ATTR_DEVICE_ID: device_id, **data})
        assert err.value.translation_key == "invalid_auth", action
        assert '"Passcode changed" card' in str(err.value)
        assert "repair" not in str(err.value)

    assert simulator.requests == []
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


# ----- fields checked by the handlers, in words


@pytest.mark.parametrize(
    ("action", "data", "key", "placeholders"),
    [
        ("dial", {}, "field_missing", {"field": "number"}),
        ("dial", {"number": "  "}, "field_missing", {"field": "number"}),
        (
            "dial",
            {"number": "1", "handset": "two"},
            "field_not_whole_number",
            {"field": "handset", "value": "two"},
        ),
        (
            "dial",
            {"number": "1", "handset": 1.5},
            "field_not_whole_number",
            {"field": "handset", "value": "1.5"},
        ),
        (
            "dial",
            {"number": "1", "colour": "red"},
            "field_unknown",
            {"field": "colour", "fields": "device_id, number, handset"},
        ),
        ("send_keys", {"keys": ""}, "keys_missing", {}),
        ("send_keys", {"keys": []}, "keys_missing", {}),
        ("send_keys", {"keys": " : "}, "keys_missing", {}),
        ("send_keys", {"keys": 5}, "keys_missing", {}),
        (
            "send_keys",
            {"keys": ":".join(["1"] * 66)},
            "keys_too_many",
            {"count": "66", "max": "65"},
        ),
        (
            "call_operation",
            {"operation": "accept", "line": "first"},
            "field_not_whole_number",
            {"field": "line"},
        ),
        ("call_operation", {}, "field_missing", {"field": "operation"}),
        (
            "set_dnd",
            {"enabled": "maybe"},
            "field_not_boolean",
            {"field": "enabled", "value": "maybe"},
        ),
        ("set_dnd", {}, "field_missing", {"field": "enabled"}),
        (
            "factory_reset",
            {"confirm": "perhaps"},
            "field_not_boolean",
            {"field": "confirm"},
        ),
    ],
)
async def test_fields_refused_in_words(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    action: str,
    data: dict[str, Any],
    key: str,
    placeholders: dict[str, str],
) -> None:
    """Refuse a field's value with a translated sentence, never a schema message."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, action, {ATTR_DEVICE_ID: device_id, **data})

    assert err.value.translation_key == key
    assert err.value.translation_placeholders is not None
    assert placeholders.items() <= err.value.translation_placeholders.items()
    message = str(err.value)
    assert message and message != key
    for raw in ("expected", "@ data", "dictionary value", "Error"):
        assert raw not in message
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("action", "data", "key"),
    [
        ("dial", {ATTR_DEVICE_ID: [], "number": "1"}, "field_devices_missing"),
        ("dial", {"number": "1"}, "field_devices_missing"),
        ("reboot", {ATTR_DEVICE_ID: [5]}, "field_devices_missing"),
    ],
)
async def test_devices_refused_in_words(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    action: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Refuse a missing or malformed device pick with a translated sentence."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, action, data)

    assert err.value.translation_key == key
    assert str(err.value) == "Pick the phones to act on"
    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_list_music_of_one_speaker(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Ask for one speaker, in words, when several are picked."""
    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "list_music",
            {ATTR_DEVICE_ID: [device_id, device_id]},
            return_response=True,
        )

    assert err.value.translation_key == "field_one_device"
    assert "length of value" not in str(err.value)
    assert simulator.requests == []


async def test_fields_taken_as_typed(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Take numbers as YAML writes them and choices in any case."""
    _ring(simulator)
    await call(
        hass,
        "call_operation",
        {ATTR_DEVICE_ID: [device_id], "operation": " Accept "},
    )
    assert simulator.remote_hangup()
    await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": 100})

    assert commands(simulator) == [
        request("api-phone_operation", cmd="acceptcall"),
        request("api-send_key", keys="1:0:0:SEND"),
    ]


@pytest.mark.parametrize("model", ["DP750"])
@pytest.mark.parametrize("handset_field", ["2", 2.0])
async def test_whole_numbers_as_typed(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_id: str,
    handset_field: object,
) -> None:
    """Take a handset typed as text or as a float that is whole."""
    await call(
        hass,
        "dial",
        {ATTR_DEVICE_ID: device_id, "number": "7", "handset": handset_field},
    )

    assert commands(simulator) == [request("api-make_call", hs="2", phonenumber="7")]


async def test_long_key_cut_in_refusal(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Quote an overlong key cut short, and send nothing."""
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "send_keys", {ATTR_DEVICE_ID: device_id, "keys": "X" * 5000})

    assert err.value.translation_key == "input_unknown_key"
    assert len(str(err.value)) < 300
    assert simulator.requests == []


async def test_unknown_speed_dial(
    hass: HomeAssistant, simulator: PhoneSimulator, socket_enabled: None
) -> None:
    """Report a name that is no speed dial as such, listing the ones there are."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="GXP2170",
        data=entry_data(simulator),
        options={"speed_dials": [{"id": "a", "name": "Reception", "number": "100"}]},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    simulator.clear_requests()

    with pytest.raises(ServiceValidationError) as err:
        await call(
            hass,
            "dial",
            {ATTR_DEVICE_ID: phone_device(hass, entry), "number": "Kitchen"},
        )

    assert err.value.translation_key == "unknown_speed_dial"
    assert str(err.value) == (
        'GXP2170 has no speed dial "Kitchen". Its speed dials: Reception. Add it '
        "with Add speed dial on the phone's entry under Settings → Devices & "
        "services, or enter a number"
    )
    assert simulator.requests == []

    await call(
        hass, "dial", {ATTR_DEVICE_ID: phone_device(hass, entry), "number": "reception"}
    )
    assert commands(simulator) == [request("api-send_key", keys="1:0:0:SEND")]


async def test_errors_name_the_device_as_renamed(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    simulator: PhoneSimulator,
    device_id: str,
) -> None:
    """Name the phone as the user renamed it, not by the entry's title."""
    device_registry.async_update_device(device_id, name_by_user="Front desk")

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "+1"})
    assert err.value.translation_placeholders is not None
    assert err.value.translation_placeholders["name"] == "Front desk"

    await simulator.go_offline()
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "1"})
    assert str(err.value).startswith("Could not reach Front desk.")


async def test_no_python_values_in_errors(
    hass: HomeAssistant, simulator: PhoneSimulator, device_id: str
) -> None:
    """Word refusals and outages without exception names or raw answers."""
    _ring(simulator)
    simulator.faults.command_errors["acceptcall"] = False
    with pytest.raises(HomeAssistantError) as rejected:
        await call(
            hass, "call_operation", {ATTR_DEVICE_ID: device_id, "operation": "accept"}
        )
    simulator.faults.command_errors.clear()
    await simulator.go_offline()
    with pytest.raises(HomeAssistantError) as offline:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "1"})
    await simulator.go_online()
    simulator.faults.non_json = True
    with pytest.raises(HomeAssistantError) as nonsense:
        await call(hass, "dial", {ATTR_DEVICE_ID: device_id, "number": "1"})

    for err in (rejected, offline, nonsense):
        message = str(err.value)
        for raw in ("False", "Error", "127.0.0.1", "answered:", "Client"):
            assert raw not in message, message
