"""Tests for call events: one pipeline from the states the phone's reads publish."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Event, HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.grandstream_cti.calls import EVENT_CALL, CallEventData
from custom_components.grandstream_cti.const import SCAN_INTERVAL

from .common import tick
from .push_helpers import paste_action_urls, settle, webhook_path
from .simulator import PhoneSimulator

CALLER = "sensor.gxp2170_caller"

type Calls = list[Event[CallEventData]]


def told(events: Calls) -> list[tuple[str, str | None]]:
    """Return the call events fired, as (type, number)."""
    return [(event.data["type"], event.data["number"]) for event in events]


@pytest.fixture(params=["push", "poll"])
async def show(
    request: pytest.FixtureRequest,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> Callable[[], object]:
    """Return how a change at the phone reaches Home Assistant: pushed, or polled."""
    if request.param == "poll":

        async def poll() -> None:
            await tick(hass, freezer, SCAN_INTERVAL)

        return poll
    client = await hass_client_no_auth()
    await paste_action_urls(hass, init_integration, simulator, client)

    async def pushed() -> None:
        await simulator.wait_for_action_urls()
        await settle(hass)

    return pushed


async def test_answered_and_ended(
    hass: HomeAssistant, simulator: PhoneSimulator, show: Callable[[], object]
) -> None:
    """A call rings, is answered and ends: one event each, with the far end."""
    events = async_capture_events(hass, EVENT_CALL)
    simulator.incoming_call("1002", "Bob")
    await show()
    simulator.state.press_keys(simulator.state.station(), ["OFFHOOK"])
    await show()
    simulator.remote_hangup(1)
    await show()

    assert told(events) == [
        ("incoming", "1002"),
        ("answered", "1002"),
        ("ended", "1002"),
    ]
    assert events[0].data["name"] == "Bob"


async def test_two_lines_ringing(
    hass: HomeAssistant, simulator: PhoneSimulator, show: Callable[[], object]
) -> None:
    """Two calls ringing together are two calls: one answered, one missed."""
    events = async_capture_events(hass, EVENT_CALL)
    simulator.incoming_call("201")
    simulator.incoming_call("202", line=2)
    await show()
    simulator.state.press_keys(simulator.state.station(), ["LINE2"])
    simulator.remote_hangup(1)
    await show()

    assert sorted(told(events)) == sorted(
        [
            ("incoming", "201"),
            ("incoming", "202"),
            ("answered", "202"),
            ("missed", "201"),
        ]
    )
    assert hass.states.get(CALLER).state == "202"


async def test_hold_then_a_second_call(
    hass: HomeAssistant, simulator: PhoneSimulator, show: Callable[[], object]
) -> None:
    """With line 1 on hold and line 2 talking, the Caller is line 2's far end."""
    events = async_capture_events(hass, EVENT_CALL)
    station = simulator.state.station()
    simulator.answer_delay = None
    simulator.state.place_call(station, simulator.line(1), "301", 1)
    simulator.remote_answer(1)
    simulator.state.press_keys(station, ["HOLD"])
    await show()
    simulator.state.place_call(station, simulator.line(2), "302", 1)
    await show()
    simulator.remote_answer(2)
    await show()

    assert hass.states.get("sensor.gxp2170_line_1").state == "onhold"
    assert hass.states.get(CALLER).state == "302"

    simulator.remote_hangup(2)
    simulator.remote_hangup(1)
    await show()

    assert sorted(told(events)) == sorted(
        [
            ("answered", "301"),
            ("outgoing", "302"),
            ("answered", "302"),
            ("ended", "302"),
            ("ended", "301"),
        ]
    )


async def test_second_call_keyed_at_once(
    hass: HomeAssistant, simulator: PhoneSimulator, show: Callable[[], object]
) -> None:
    """Two calls placed 30 ms apart each get placed, answered and ended."""
    events = async_capture_events(hass, EVENT_CALL)
    station = simulator.state.station()
    simulator.answer_delay = None
    simulator.state.place_call(station, simulator.line(1), "311", 1)
    simulator.state.place_call(station, simulator.line(2), "312", 1)
    await show()
    simulator.remote_answer(2)
    await show()
    simulator.remote_answer(1)
    await show()
    simulator.remote_hangup(1)
    simulator.remote_hangup(2)
    await show()

    for number in ("311", "312"):
        assert [kind for kind, far_end in told(events) if far_end == number] == [
            "outgoing",
            "answered",
            "ended",
        ]


async def test_end_one_of_two(
    hass: HomeAssistant, simulator: PhoneSimulator, show: Callable[[], object]
) -> None:
    """Ending one of two calls ends that one only."""
    events = async_capture_events(hass, EVENT_CALL)
    station = simulator.state.station()
    simulator.incoming_call("401")
    simulator.state.answer(station, simulator.line(1))
    simulator.incoming_call("402", line=2)
    simulator.state.answer(station, simulator.line(2))
    await show()
    simulator.remote_hangup(2)
    await show()

    assert sorted(told(events)) == sorted(
        [("answered", "401"), ("answered", "402"), ("ended", "402")]
    )
    assert hass.states.get("sensor.gxp2170_line_1").state == "onhold"
    assert hass.states.get(CALLER).state == "401"


# Polls alone cannot tell a rejected call from a missed one: only the
# phone's Rejected Call event does.
@pytest.mark.parametrize("show", ["push"], indirect=True)
async def test_reject_a_waiting_call(
    hass: HomeAssistant, simulator: PhoneSimulator, show: Callable[[], object]
) -> None:
    """A waiting call turned away at the phone ended; it was not missed."""
    events = async_capture_events(hass, EVENT_CALL)
    station = simulator.state.station()
    simulator.incoming_call("501")
    await show()
    simulator.state.answer(station, simulator.line(1))
    await show()
    simulator.incoming_call("502", line=2)
    await show()
    simulator.state.reject(station, simulator.line(2))
    await show()

    assert told(events)[-1] == ("ended", "502")
    assert ("missed", "502") not in told(events)


@pytest.mark.usefixtures("freezer")
async def test_replayed_push_fires_once(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """The same pushed event twice is one call event; a missed call that never rang, none."""
    events = async_capture_events(hass, EVENT_CALL)
    client: TestClient = await hass_client_no_auth()
    path = webhook_path(init_integration)

    # Do Not Disturb turns the caller away: the phone pushes a missed call
    # for a line that never rang.
    await client.get(f"{path}?event=missed&remote=600")
    await settle(hass)
    assert events == []

    simulator.incoming_call("601")
    for _ in range(3):
        await client.get(f"{path}?event=incoming&remote=601")
        await settle(hass)
    simulator.remote_hangup(1)
    for _ in range(2):
        await client.get(f"{path}?event=missed&remote=601")
        await settle(hass)

    assert told(events) == [("incoming", "601"), ("missed", "601")]


async def test_another_call_between_two_polls(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """A call that rang and left, and the next on its line, are two calls."""
    events = async_capture_events(hass, EVENT_CALL)
    simulator.incoming_call("701")
    await tick(hass, freezer, SCAN_INTERVAL)
    simulator.remote_hangup(1)
    simulator.incoming_call("702")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert told(events) == [("incoming", "701"), ("missed", "701"), ("incoming", "702")]


@pytest.mark.usefixtures("freezer")
async def test_rejected_before_the_phone_shows_it(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A Rejected Call event read while the line still rings holds until it ends."""
    events = async_capture_events(hass, EVENT_CALL)
    client: TestClient = await hass_client_no_auth()
    path = webhook_path(init_integration)
    simulator.incoming_call("801")
    await client.get(f"{path}?event=incoming&remote=801")
    await settle(hass)

    # The phone pushes before its line status shows the call gone.
    await client.get(f"{path}?event=rejected&remote=801")
    await settle(hass)
    assert init_integration.runtime_data.coordinator.data.rejected == "801"
    simulator.state.reject(simulator.state.station(), simulator.line(1))
    await client.get(f"{path}?event=on_hook")
    await settle(hass)

    assert told(events) == [("incoming", "801"), ("ended", "801")]
    assert init_integration.runtime_data.coordinator.data.rejected is None
