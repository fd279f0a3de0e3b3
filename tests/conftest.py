"""Fixtures for Grandstream CTI tests: a simulated phone and a config entry for it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator
import logging
import secrets
from typing import Any
from unittest.mock import patch

import aiohttp
from homeassistant.config_entries import ConfigSubentryDataWithId
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import (
    CONF_FAMILY,
    CONF_MAC,
    CONF_MODEL,
    CONF_PASSCODE,
    DOMAIN,
)
from custom_components.grandstream_cti.cti import Family, GrandstreamCti

from .common import phone_device
from .compat import SnapshotExtension
from .simulator import PhoneSimulator

PASSCODE = "s3cret&pass#word"
MODELS = ("GXP2170", "GXP1628", "GRP2616", "DP750", "GSC3516")
ENTRY_ID = "01JGRANDSTREAMCTITESTENTRY"
# CTI client timeout: generous for 127.0.0.1; fault tests pass a small one.
TIMEOUT = 5.0


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker that allows a test its expected ERROR log lines."""
    config.addinivalue_line(
        "markers",
        "allowed_errors(*patterns): ERROR log lines containing a pattern are expected",
    )


@pytest.fixture(autouse=True)
def fail_on_error_log(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Generator[None]:
    """Fail every test that logs an ERROR line it did not declare as expected."""
    yield
    marker = request.node.get_closest_marker("allowed_errors")
    allowed = marker.args if marker else ()
    unexpected = [
        record.getMessage()
        for record in caplog.get_records("call")
        if record.levelno >= logging.ERROR
        and not any(pattern in record.getMessage() for pattern in allowed)
        and not _frozen_clock_access_log(record)
    ]
    assert not unexpected, f"unexpected ERROR log lines: {unexpected}"


def _frozen_clock_access_log(record: logging.LogRecord) -> bool:
    """Return whether aiohttp's access log failed only because freezegun froze time."""
    # Under freezegun, time.localtime() has no tm_gmtoff, so aiohttp's access
    # logger of Home Assistant's test client cannot format the time: an
    # artifact of the test clock, not of the integration.
    return (
        record.name == "aiohttp.access"
        and record.exc_info is not None
        and isinstance(record.exc_info[1], TypeError)
        and "timedelta" in str(record.exc_info[1])
    )


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Return snapshots serialized like Home Assistant's, kept in tests/snapshots."""
    # syrupy's own fixture would otherwise win over the plugin's.
    return snapshot.use_extension(SnapshotExtension)


@pytest.fixture
def entity_registry_enabled_by_default() -> Generator[None]:
    """Create every entity enabled, also those disabled by default."""
    with patch(
        "homeassistant.helpers.entity.Entity.entity_registry_enabled_default",
        return_value=True,
    ):
        yield


@pytest.fixture
def model() -> str:
    """Return the model to simulate; parametrize to change it."""
    return "GXP2170"


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    """Return extra keyword arguments for the simulator."""
    return {}


@pytest.fixture
async def simulator(
    socket_enabled: None, model: str, simulator_options: dict[str, Any]
) -> AsyncIterator[PhoneSimulator]:
    """Run a simulated phone on 127.0.0.1 (connections elsewhere stay blocked)."""
    sim = PhoneSimulator(
        model, passcode=PASSCODE, host="127.0.0.1", port=0, **simulator_options
    )
    await sim.start()
    try:
        yield sim
    finally:
        await sim.stop()


def entry_data(simulator: PhoneSimulator, **changes: Any) -> dict[str, Any]:
    """Return config entry data pointing at a simulated phone."""
    return {
        CONF_HOST: simulator.host,
        CONF_PORT: simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_PASSCODE: PASSCODE,
        CONF_FAMILY: simulator.family.lower(),
        CONF_MODEL: simulator.model,
        CONF_MAC: None,
        # As the config flow makes them: one per entry.
        CONF_WEBHOOK_ID: secrets.token_hex(32),
        **changes,
    }


@pytest.fixture
def speed_dials() -> list[ConfigSubentryDataWithId]:
    """Return the speed dials the phone starts with; parametrize to change them."""
    return []


@pytest.fixture
def mock_config_entry(
    simulator: PhoneSimulator, speed_dials: list[ConfigSubentryDataWithId]
) -> MockConfigEntry:
    """Return a config entry for the simulated phone, with its speed dials."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=simulator.model,
        entry_id=ENTRY_ID,
        # As the config flow creates entries: nothing to migrate.
        minor_version=2,
        data=entry_data(simulator),
        subentries_data=speed_dials,
    )


@pytest.fixture
def device_id(hass: HomeAssistant, init_integration: MockConfigEntry) -> str:
    """Return the device id of the set-up phone."""
    return phone_device(hass, init_integration)


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up the integration for the simulated phone."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return an HTTP session for CTI clients."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def client(session: aiohttp.ClientSession, simulator: PhoneSimulator) -> GrandstreamCti:
    """Return a CTI client that knows the simulated phone's family."""
    return GrandstreamCti(
        simulator.host,
        PASSCODE,
        session=session,
        family=Family(simulator.family.lower()),
        port=simulator.port,
        timeout=TIMEOUT,
    )
