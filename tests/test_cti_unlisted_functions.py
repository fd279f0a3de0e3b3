"""Tests of GSC line status: used when the speaker answers it, probed at setup."""

from __future__ import annotations

import aiohttp
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.const import SCAN_INTERVAL
from custom_components.grandstream_cti.cti import PROFILES, Family, Function, LineStatus

from .common import tick
from .cti_helpers import cgi, cti_client, sent
from .simulator import PhoneSimulator, UnknownFunctionAnswer


@pytest.mark.parametrize(
    ("model", "simulator_options"), [("GSC3516", {"gsc_line_status": True})]
)
async def test_probe_finds_gsc_line_status(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """A GSC that answers line status gets it in its profile, read as the guide's."""
    client = cti_client(session, simulator, family=Family.GSC)
    assert not client.profile.supports(Function.GET_LINE_STATUS)

    assert await client.probe_unlisted_functions() == {Function.GET_LINE_STATUS}

    assert client.profile.supports(Function.GET_LINE_STATUS)
    assert client.profile.functions == (
        PROFILES[Family.GSC].functions | {Function.GET_LINE_STATUS}
    )
    simulator.incoming_call("1002", "Alice")
    # The GSC guide's line status: "acct" empty, the number as "remotenum".
    assert (await client.get_line_status())[0] == LineStatus(
        line=1,
        state="ringing",
        account=None,
        remote_name="Alice",
        remote_number="1002",
        active=False,
    )
    assert sent(simulator) == [
        cgi(Function.GET_LINE_STATUS),
        cgi(Function.GET_LINE_STATUS),
    ]


@pytest.mark.parametrize("answer", ["http404", "error", "html"])
@pytest.mark.parametrize("model", ["GSC3516"])
async def test_probe_without_gsc_line_status(
    session: aiohttp.ClientSession,
    simulator: PhoneSimulator,
    answer: UnknownFunctionAnswer,
) -> None:
    """A GSC that does not answer keeps its guide's functions."""
    simulator.unknown_function_answer = answer
    client = cti_client(session, simulator, family=Family.GSC)

    assert await client.probe_unlisted_functions() == frozenset()

    assert client.profile is PROFILES[Family.GSC]
    assert sent(simulator) == [cgi(Function.GET_LINE_STATUS)]


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616", "DP750"])
async def test_probe_asks_nothing_of_other_families(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """Families whose guide lists all they do are not asked anything."""
    client = cti_client(session, simulator, family=Family(simulator.family.lower()))

    assert await client.probe_unlisted_functions() == frozenset()

    assert simulator.requests == []


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_probe_follows_firmware(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """Probing again follows a firmware that gained or lost line status."""
    client = cti_client(session, simulator, family=Family.GSC)
    assert await client.probe_unlisted_functions() == frozenset()

    simulator.gsc_line_status = True
    assert await client.probe_unlisted_functions() == {Function.GET_LINE_STATUS}

    simulator.gsc_line_status = False
    assert await client.probe_unlisted_functions() == frozenset()
    assert not client.profile.supports(Function.GET_LINE_STATUS)


@pytest.mark.parametrize(
    ("model", "simulator_options"), [("GSC3516", {"gsc_line_status": True})]
)
async def test_gsc_lines_and_caller(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """A GSC that answers line status shows lines and the caller as desk phones."""
    assert hass.states.get("sensor.gsc3516_line_1").state == "idle"

    assert simulator.incoming_call("1002", "Alice")
    await tick(hass, freezer, SCAN_INTERVAL)

    line = hass.states.get("sensor.gsc3516_line_1")
    assert line.state == "ringing"
    assert line.attributes["remote_number"] == "1002"
    assert line.attributes["remote_name"] == "Alice"
    assert line.attributes["account"] is None
    assert hass.states.get("sensor.gsc3516_caller").state == "1002"


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_gsc_without_line_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """A GSC that does not answer is polled for its phone status only."""
    assert hass.states.get("sensor.gsc3516_line_1") is None
    simulator.clear_requests()

    await tick(hass, freezer, SCAN_INTERVAL)

    assert [r.function for r in simulator.requests] == ["api-get_phone_status"]


# A failed poll logs once, at error level, as every coordinator does.
@pytest.mark.allowed_errors("Error fetching GSC3516 data")
@pytest.mark.parametrize("model", ["GSC3516"])
async def test_gsc_firmware_upgrade_brings_line_status(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """After the reboot of an upgrade, the speaker is asked again."""
    await simulator.go_offline()
    await tick(hass, freezer, SCAN_INTERVAL)
    assert hass.states.get("sensor.gsc3516_phone_status").state == "unavailable"

    simulator.gsc_line_status = True
    await simulator.go_online()
    await tick(hass, freezer, SCAN_INTERVAL)
    await hass.async_block_till_done()

    assert hass.states.get("sensor.gsc3516_line_1").state == "idle"
