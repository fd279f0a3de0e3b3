"""Tests of the integration against phones that refuse, hang or answer garbage."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
import logging
import re

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
    CONF_HOST,
    CONF_PORT,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.grandstream_cti.const import (
    CONF_ADVANCED,
    CONF_PASSCODE,
    DOMAIN,
    REQUEST_TIMEOUT,
    SCAN_INTERVAL,
)
from custom_components.grandstream_cti.cti import PROFILES, Family
from custom_components.grandstream_cti.cti.errors import MAX_TEXT

from .common import phone_device, tick
from .conftest import ENTRY_ID, PASSCODE
from .cti_helpers import assert_chain_clean
from .push_helpers import paste_action_urls
from .simulator import PhoneSimulator
from .simulator.hostile import Answer, RawPhone, chunked, fixed, http, json_answer

PHONE_STATUS = "sensor.gxp2170_phone_status"
RESTART = "button.gxp2170_restart"
# The hostile answers repeat one character: a longer run than the client's
# cut (200 characters) in a log line means the phone's text went uncut.
LONG_RUN = re.compile(rf"(.)\1{{{MAX_TEXT},}}")

HOSTILE_ANSWERS: dict[str, Answer] = {
    "huge chunked": chunked(b"x" * 16384, 400 * 1024 * 1024, prefix=b'{"body":"'),
    "announced huge": fixed(http(b"x" * 70000)),
    "deep json": fixed(http(b"[" * 30000 + b"]" * 30000)),
    "deep in a record": fixed(
        http(b'{"response":"success","body":' + b"[" * 20000 + b"]" * 20000 + b"}")
    ),
    "not utf-8": fixed(http(b"\xff\xfe{\x80\x81")),
    "long error": json_answer({"response": "error", "body": "E" * 60000}),
    "long response": json_answer({"response": "E" * 60000}),
    "long number": fixed(
        http(b'{"response":"success","body":[{"line":' + b"9" * 5000 + b"}]}")
    ),
    "malformed http": fixed(b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n{}"),
    "not http": fixed(b"NOT HTTP\r\n\r\n"),
}

# A poll that fails logs once, at error level, as every coordinator does.
pytestmark = pytest.mark.allowed_errors(
    "Error fetching", "Authentication failed while fetching"
)


def assert_short_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Assert no log line carries more than about 200 characters of the phone's."""
    for record in caplog.records:
        message = record.getMessage()
        assert not LONG_RUN.search(message), message[:300]


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log record, down to DEBUG."""
    caplog.set_level(logging.DEBUG)


# ----- a refused passcode


@pytest.fixture
async def client(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> TestClient:
    """Return a client of Home Assistant's web server, listening on 127.0.0.1."""
    return await hass_client_no_auth()


async def test_refused_passcode_is_never_sent_again(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """After a refusal, pushes, actions and updates send nothing until reauth."""
    await paste_action_urls(hass, init_integration, simulator, client)
    assert await async_setup_component(hass, "homeassistant", {})
    device_id = phone_device(hass, init_integration)
    simulator.passcode = "changed-on-the-phone"
    await tick(hass, freezer, SCAN_INTERVAL)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]
    assert init_integration.runtime_data.coordinator.client.passcode_refused
    simulator.clear_requests()

    # Ten pushed events, each asking for a refresh.
    for _ in range(5):
        simulator.incoming_call("1002")
        simulator.remote_hangup()
        await simulator.wait_for_action_urls()
        await hass.async_block_till_done(wait_background_tasks=True)
    assert [request.status for request in simulator.action_url_requests] == [200] * 10
    # Three actions: each fails at once with the translated error.
    for action, data in (
        ("dial", {"number": "100"}),
        ("send_keys", {"keys": ["1"]}),
        ("call_operation", {"operation": "end"}),
    ):
        with pytest.raises(HomeAssistantError) as err:
            await hass.services.async_call(
                DOMAIN, action, {ATTR_DEVICE_ID: device_id, **data}, blocking=True
            )
        assert err.value.translation_key == "invalid_auth"
    # The button is unavailable with the rest: pressing it does nothing.
    assert hass.states.get(RESTART).state == STATE_UNAVAILABLE
    await hass.services.async_call(
        "button", "press", {ATTR_ENTITY_ID: RESTART}, blocking=True
    )
    # An entity update and more polls.
    await hass.services.async_call(
        "homeassistant",
        "update_entity",
        {ATTR_ENTITY_ID: PHONE_STATUS},
        blocking=True,
    )
    for _ in range(3):
        await tick(hass, freezer, SCAN_INTERVAL)

    assert simulator.requests == []
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]

    # The new passcode makes a new client, which sends again.
    result = await hass.config_entries.flow.async_configure(
        flows[0]["flow_id"], {CONF_PASSCODE: "changed-on-the-phone"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert not init_integration.runtime_data.coordinator.client.passcode_refused
    assert simulator.requests
    assert {r.params["passcode"] for r in simulator.requests} == {
        "changed-on-the-phone"
    }
    assert hass.states.get(PHONE_STATUS).state == "available"


async def test_cti_refused_is_not_a_refused_passcode(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """A phone refusing CTI is asked again each poll, without reauthentication."""
    simulator.faults.cti_disabled = True
    await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get(PHONE_STATUS).state == STATE_UNAVAILABLE
    assert hass.config_entries.flow.async_progress() == []
    assert not init_integration.runtime_data.coordinator.client.passcode_refused

    simulator.faults.cti_disabled = False
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get(PHONE_STATUS).state == "available"


# ----- a hung phone


async def test_actions_queued_on_a_hung_phone_fail_within_one_timeout(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Ten actions waiting on a phone that never answers all fail after one timeout."""
    device_id = phone_device(hass, init_integration)
    simulator.clear_requests()
    simulator.faults.hang = True
    tasks = [
        hass.async_create_task(
            hass.services.async_call(
                DOMAIN,
                "send_keys",
                {ATTR_DEVICE_ID: device_id, "keys": [str(digit)]},
                blocking=True,
            )
        )
        for digit in range(10)
    ]
    while not simulator.requests:
        await asyncio.sleep(0)
    freezer.tick(timedelta(seconds=REQUEST_TIMEOUT + 0.5))
    async_fire_time_changed(hass)

    results = await asyncio.gather(*tasks, return_exceptions=True)

    assert all(isinstance(result, HomeAssistantError) for result in results)
    assert {result.translation_key for result in results} == {"cannot_connect"}
    assert [request.function for request in simulator.requests] == ["api-send_key"]

    # Known unreachable: the next action fails at once, without a request.
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "send_keys",
            {ATTR_DEVICE_ID: device_id, "keys": ["1"]},
            blocking=True,
        )
    assert err.value.translation_key == "cannot_connect"
    assert "api-send_key" not in [r.function for r in simulator.requests[1:]]

    # Let the polls that went out meanwhile time out too.
    simulator.faults.hang = False
    freezer.tick(timedelta(seconds=REQUEST_TIMEOUT + 0.5))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# ----- garbage while polling


@pytest.fixture
async def hostile(
    simulator: PhoneSimulator, init_integration: MockConfigEntry, answer: str
) -> AsyncIterator[RawPhone]:
    """Replace the set-up phone by a hostile one on the same address."""
    await simulator.go_offline()
    async with RawPhone(
        HOSTILE_ANSWERS[answer], host=simulator.host, port=simulator.port
    ) as phone:
        yield phone
    await simulator.go_online()


@pytest.mark.parametrize("answer", list(HOSTILE_ANSWERS))
async def test_polling_a_hostile_phone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    init_integration: MockConfigEntry,
    hostile: RawPhone,
    simulator: PhoneSimulator,
) -> None:
    """Garbage makes the entities unavailable, logged briefly, never as unexpected."""
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hostile.requests
    assert hass.states.get(PHONE_STATUS).state == STATE_UNAVAILABLE
    assert_chain_clean(
        init_integration.runtime_data.coordinator.last_exception, hostile.port
    )
    assert init_integration.state is ConfigEntryState.LOADED
    assert "Unexpected error" not in caplog.text
    assert hass.config_entries.flow.async_progress() == []
    assert_short_logs(caplog)


@pytest.mark.parametrize("answer", ["huge chunked", "long error", "not http"])
async def test_polling_recovers_after_a_hostile_phone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    hostile: RawPhone,
    simulator: PhoneSimulator,
) -> None:
    """Once the real phone is back, polling shows it again."""
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get(PHONE_STATUS).state == STATE_UNAVAILABLE

    await hostile.__aexit__(None, None, None)
    await simulator.go_online()
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get(PHONE_STATUS).state == "available"


@pytest.mark.parametrize("answer", ["long error", "deep in a record", "not http"])
async def test_setup_against_a_hostile_phone_retries(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    socket_enabled: None,
    answer: str,
) -> None:
    """A phone answering garbage at setup is retried later, without a traceback."""
    async with RawPhone(HOSTILE_ANSWERS[answer]) as phone:
        entry = MockConfigEntry(
            domain=DOMAIN,
            title="GXP2170",
            entry_id=ENTRY_ID,
            data={
                CONF_HOST: phone.host,
                CONF_PORT: phone.port,
                CONF_PASSCODE: PASSCODE,
                "family": "gxp",
            },
        )
        entry.add_to_hass(hass)
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.SETUP_RETRY
    assert "Unexpected error" not in caplog.text
    assert_short_logs(caplog)


# ----- garbage while adding a phone


# A phone answering "success" to every function passes for a family; its
# first poll then finds the answer unusable (test_polling_a_hostile_phone).
@pytest.mark.parametrize(
    "answer", [name for name in HOSTILE_ANSWERS if name != "deep in a record"]
)
async def test_config_flow_against_a_hostile_phone(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    socket_enabled: None,
    answer: str,
) -> None:
    """The form says the answer is invalid or the phone unreachable, never unknown."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    async with RawPhone(HOSTILE_ANSWERS[answer]) as phone:
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {
                CONF_HOST: phone.host,
                CONF_PASSCODE: PASSCODE,
                CONF_ADVANCED: {CONF_PORT: phone.port},
            },
        )

    assert phone.requests
    assert result["type"] is FlowResultType.FORM
    if answer == "long error":
        # An error envelope is how some phones answer a function they lack:
        # a phone answering only that fits no family, so the user picks one.
        assert result["step_id"] == "family"
    else:
        assert result["errors"] in (
            {"base": "invalid_response"},
            {"base": "cannot_connect"},
        )
    assert "Unexpected error" not in caplog.text
    assert_short_logs(caplog)


@pytest.mark.parametrize(
    ("simulator_options", "translation_key", "limit"),
    [
        ({"line_count": 600}, "line", PROFILES[Family.GXP].lines),
    ],
)
async def test_setup_with_more_lines_than_the_family_has(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    translation_key: str,
    limit: int,
) -> None:
    """A phone reporting 600 lines gets as many line entities as a GXP can have."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    entities = er.async_entries_for_config_entry(
        entity_registry, mock_config_entry.entry_id
    )
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert len([e for e in entities if e.translation_key == translation_key]) == limit
    assert caplog.text.count("reports 600 lines") == 1
    assert PASSCODE not in caplog.text
