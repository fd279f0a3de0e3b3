"""Tests for polling Grandstream phones: requests, outages, recovery, layout."""

from __future__ import annotations

import logging

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.grandstream_cti.const import (
    DOMAIN,
    REQUEST_TIMEOUT,
    SCAN_INTERVAL,
    SLOW_INTERVAL,
)

from .common import next_state, tick
from .conftest import ENTRY_ID, PASSCODE, entry_data
from .simulator import Faults, PhoneSimulator

type Call = tuple[str, dict[str, str]]

PHONE_STATUS: Call = ("api-get_phone_status", {})
LINE_STATUS: Call = ("api-get_line_status", {})
ACCOUNTS: Call = ("api-get_accounts", {})
DP_FAST: list[Call] = [("api-get_hs_line_status", {"hs": str(hs)}) for hs in (1, 2)]
DP_SLOW: list[Call] = [
    *(("api-get_account_status", {"account": str(n)}) for n in range(1, 11)),
    *(("api-get_hs_status", {"hs": str(n)}) for n in range(1, 6)),
]


def calls(simulator: PhoneSimulator) -> list[Call]:
    """Return the requests the phone received, without the passcode, and forget them."""
    received = []
    for request in simulator.requests:
        assert request.params["passcode"] == PASSCODE
        params = {k: v for k, v in request.params.items() if k != "passcode"}
        received.append((request.function, params))
    simulator.clear_requests()
    return received


def log_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """Return the records at info level or above, but asyncio's."""
    # Ticking frozen time inside the test makes the debug event loop warn
    # that the test's task ran for seconds.
    return [
        record
        for record in caplog.records
        if record.levelno >= logging.INFO and record.name != "asyncio"
    ]


@pytest.mark.parametrize(
    ("model", "fast", "slow"),
    [
        # The phone status of desk phones follows from their lines.
        ("GXP2170", [LINE_STATUS], []),
        ("GXP1628", [LINE_STATUS], []),
        ("GRP2616", [LINE_STATUS], [ACCOUNTS]),
        # One request per paired handset: each has its own calls.
        ("DP750", DP_FAST, DP_SLOW),
        ("GSC3516", [PHONE_STATUS], []),
    ],
)
async def test_requests_per_cycle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    fast: list[Call],
    slow: list[Call],
) -> None:
    """Make the fewest requests the family allows; slow facts once a minute."""
    # Set-up reads the accounts and handsets first: the paired handsets tell
    # which handset lines to read (a GSC then lists its music), after asking
    # a GSC whether it answers line status, which its guide does not list.
    probe = [LINE_STATUS] if simulator.family == "GSC" else []
    first = slow + probe + fast
    assert calls(simulator)[: len(first)] == first

    cycles = int(SLOW_INTERVAL / SCAN_INTERVAL)
    for _ in range(cycles - 1):
        await tick(hass, freezer, SCAN_INTERVAL)
        assert calls(simulator) == fast

    await tick(hass, freezer, SCAN_INTERVAL)
    assert sorted(map(repr, calls(simulator))) == sorted(map(repr, slow + fast))

    await tick(hass, freezer, SCAN_INTERVAL)
    assert calls(simulator) == fast


@pytest.mark.allowed_errors("Error fetching GXP2170 data")
async def test_outage_is_logged_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Log an outage once, as every coordinator does, and once the recovery."""
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    await simulator.go_offline()

    for _ in range(5):
        await tick(hass, freezer, SCAN_INTERVAL)

    states = [
        hass.states.get(entry.entity_id)
        for entry in er.async_entries_for_config_entry(er.async_get(hass), ENTRY_ID)
    ]
    assert all(state.state == STATE_UNAVAILABLE for state in states if state)
    gone = log_records(caplog)
    assert [(r.levelno, r.name) for r in gone] == [
        (logging.ERROR, "custom_components.grandstream_cti")
    ]
    assert gone[0].getMessage().startswith("Error fetching GXP2170 data: ")
    caplog.clear()

    await simulator.go_online()
    await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("binary_sensor.gxp2170_ringing").state == STATE_OFF
    back = log_records(caplog)
    assert [(r.levelno, r.getMessage()) for r in back] == [
        (logging.INFO, "Fetching GXP2170 data recovered")
    ]
    assert PASSCODE not in caplog.text


@pytest.mark.allowed_errors("Error fetching GXP2170 data")
async def test_garbled_answers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Make a phone that answers with something else than JSON unavailable."""
    caplog.set_level(logging.INFO)
    simulator.faults.non_json = True

    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("binary_sensor.gxp2170_ringing").state == STATE_UNAVAILABLE
    assert [r.getMessage() for r in log_records(caplog)] == [
        "Error fetching GXP2170 data: GXP2170 answered in a way Home Assistant "
        "does not understand. Check that the address belongs to this phone and "
        "that its firmware is up to date"
    ]

    simulator.faults = Faults()
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get("binary_sensor.gxp2170_ringing").state == STATE_OFF


@pytest.mark.allowed_errors("Error fetching GXP1628")
async def test_hanging_phone_delays_no_other(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    socket_enabled: None,
) -> None:
    """Keep updating one phone on schedule while another never answers."""
    async with PhoneSimulator("GXP1628", passcode=PASSCODE) as hanging:
        other = MockConfigEntry(
            domain=DOMAIN, title="GXP1628", data=entry_data(hanging)
        )
        other.add_to_hass(hass)
        assert await hass.config_entries.async_setup(other.entry_id)
        await hass.async_block_till_done()
        hanging.faults.hang = True
        hanging.clear_requests()

        # Ring and hang up in turns: every poll of the first phone shows.
        # Background polls are awaited through the states they write, since
        # one of them never ends until its request times out.
        for number in range(5):
            if number % 2 == 0:
                assert simulator.incoming_call(f"10{number}")
            else:
                assert simulator.remote_hangup()
            ringing = next_state(hass, "binary_sensor.gxp2170_ringing")
            other_state = next_state(hass, "binary_sensor.gxp1628_ringing")
            freezer.tick(SCAN_INTERVAL)
            async_fire_time_changed(hass)

            expected = STATE_ON if number % 2 == 0 else STATE_OFF
            assert (await ringing).state == expected
            # The other phone got one request, still waiting for its answer.
            assert len(hanging.requests) == 1
            asked_at = hanging.requests[0].received_at
            if hass.loop.time() >= asked_at + REQUEST_TIMEOUT:
                assert (await other_state).state == STATE_UNAVAILABLE
                break
            assert not other_state.done()
            other_state.cancel()
        else:
            pytest.fail("the hanging request never timed out")

        assert await hass.config_entries.async_unload(other.entry_id)


@pytest.mark.parametrize(
    ("model", "simulator_options"), [("GXP2170", {"reboot_seconds": 10})]
)
@pytest.mark.allowed_errors("Error fetching GXP2170 data")
async def test_recovers_after_reboot(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Go unavailable while the phone reboots, and come back by itself."""
    ringing = "binary_sensor.gxp2170_ringing"
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.gxp2170_restart"}, blocking=True
    )
    await hass.async_block_till_done()
    assert not simulator.online

    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get(ringing).state == STATE_UNAVAILABLE
    polls = 1
    while hass.states.get(ringing).state == STATE_UNAVAILABLE:
        assert polls < 10, "the phone did not come back"
        await tick(hass, freezer, SCAN_INTERVAL)
        polls += 1

    assert hass.states.get(ringing).state == STATE_OFF
    assert polls * SCAN_INTERVAL.total_seconds() > simulator.reboot_seconds


@pytest.mark.parametrize("model", ["DP750"])
async def test_new_handset_adds_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Reload when a handset is paired, so that it gets its entities."""
    assert hass.states.get("binary_sensor.dp750_handset_3_paired") is None
    simulator.provision_account(3, "2003", name="Handset 3", handset_mode="HS3")
    simulator.set_registered(3, True)
    simulator.pair_handset(3)

    await tick(hass, freezer, SLOW_INTERVAL)
    await hass.async_block_till_done()

    assert init_integration.state is ConfigEntryState.LOADED
    assert hass.states.get("binary_sensor.dp750_handset_3_paired").state == STATE_ON
    assert hass.states.get("sensor.dp750_handset_3_line_1").state == "idle"
    assert hass.states.get("binary_sensor.dp750_account_3_registered").state == STATE_ON


@pytest.mark.parametrize("model", ["GRP2616"])
async def test_new_account_adds_entities(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Reload when an account is configured, so that it gets its entity."""
    entity_id = "binary_sensor.grp2616_account_4_registered"
    assert hass.states.get(entity_id) is None
    simulator.provision_account(4, "1004", name="Lab", sip_server="pbx.example.com")
    simulator.set_registered(4, True)

    # Accounts are read once a minute only.
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get(entity_id) is None
    await tick(hass, freezer, SLOW_INTERVAL)
    await hass.async_block_till_done()

    state = hass.states.get(entity_id)
    assert state.state == STATE_ON
    assert state.attributes["account_name"] == "Lab"


@pytest.mark.parametrize("model", ["DP750"])
async def test_unpaired_handset_leaves(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
) -> None:
    """Remove a handset's device and entities once it is no longer paired."""
    base = device_registry.async_get_device_by_identifier((DOMAIN, ENTRY_ID), ENTRY_ID)
    assert len(dr.async_entries_for_parent_device(device_registry, base.id)) == 2
    simulator.pair_handset(2, paired=False)

    await tick(hass, freezer, SLOW_INTERVAL)
    await hass.async_block_till_done()

    children = dr.async_entries_for_parent_device(device_registry, base.id)
    assert [child.name for child in children] == ["Handset 1"]
    assert entity_registry.async_get("sensor.dp750_handset_2_line_1") is None
    assert hass.states.get("sensor.dp750_handset_2_line_1") is None
    assert hass.states.get("sensor.dp750_handset_1_line_1").state == "idle"


@pytest.mark.allowed_errors("Error fetching Reception data")
async def test_outage_names_the_renamed_phone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Logs and errors name the phone as the user renamed it, not the entry's title."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    device_registry.async_update_device(device.id, name_by_user="Reception")
    caplog.clear()
    await simulator.go_offline()

    await tick(hass, freezer, SCAN_INTERVAL)

    errors = [r.getMessage() for r in log_records(caplog) if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    assert errors[0].startswith(
        "Error fetching Reception data: Could not reach Reception. "
    )
    assert init_integration.title not in errors[0]

    await simulator.go_online()
    await tick(hass, freezer, SCAN_INTERVAL)
    assert "Fetching Reception data recovered" in caplog.text
