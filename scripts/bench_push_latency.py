"""Benchmark: how soon a call at a simulated phone shows in Home Assistant.

Measures, from the simulator's state change to the ringing binary sensor
turning on, the latency with Action URL push (the phone's request, then the
read it triggers) and with polling alone; and, with one push in ten lost,
how many calls never show and the worst delay. Home
Assistant runs in process with its real web server on 127.0.0.1, so each
push crosses the network as a phone's would. Run it with scripts/bench_push;
scripts/test does not collect it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import contextlib
from datetime import UTC, datetime
import logging
import os
import platform
import random
import statistics
import time

from homeassistant.const import STATE_ON, __version__ as HA_VERSION
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.grandstream_cti.calls import EVENT_CALL, CallEventData
from custom_components.grandstream_cti.const import DOMAIN, SCAN_INTERVAL
from custom_components.grandstream_cti.coordinator import PUSH_COOLDOWN
from tests.conftest import PASSCODE, entry_data
from tests.push_helpers import paste_action_urls
from tests.simulator import PhoneSimulator

PUSH_CALLS = int(os.environ.get("BENCH_PUSH_CALLS", "250"))
# Polls take up to SCAN_INTERVAL each: phones in parallel keep the run short.
POLLED_PHONES = int(os.environ.get("BENCH_POLLED_PHONES", "10"))
POLLED_CALLS_PER_PHONE = int(os.environ.get("BENCH_POLLED_CALLS", "20"))
# Pushes lost on the way: one in ten, on phones whose calls ring 7 to 15 s.
LOSSY_PHONES = int(os.environ.get("BENCH_LOSSY_PHONES", "10"))
LOSSY_CALLS_PER_PHONE = int(os.environ.get("BENCH_LOSSY_CALLS", "6"))
DROP_SHARE = 0.1


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


async def _add_phone(hass: HomeAssistant, phone: PhoneSimulator) -> MockConfigEntry:
    """Set up the integration for a simulated phone."""
    entry = MockConfigEntry(
        domain=DOMAIN, title=f"Phone {phone.port}", data=entry_data(phone)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _time_until(
    hass: HomeAssistant, entity_id: str, state: str, act: Callable[[], object]
) -> float:
    """Do something at the phone; return the seconds until the entity has a state."""
    shown: asyncio.Future[float] = hass.loop.create_future()

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        new_state = event.data["new_state"]
        if not shown.done() and new_state is not None and new_state.state == state:
            shown.set_result(time.perf_counter())

    unsubscribe = async_track_state_change_event(hass, entity_id, changed)
    try:
        start = time.perf_counter()
        act()
        async with asyncio.timeout(SCAN_INTERVAL.total_seconds() * 5):
            return await shown - start
    finally:
        unsubscribe()


async def _calls(
    hass: HomeAssistant,
    phone: PhoneSimulator,
    entity_id: str,
    count: int,
    settle: Callable[[], Awaitable[object]],
) -> list[float]:
    """Ring a phone count times; return how long each took to show as ringing."""
    latencies = []
    for n in range(count):
        latencies.append(
            await _time_until(
                hass, entity_id, STATE_ON, lambda n=n: phone.incoming_call(f"+4930{n}")
            )
        )
        await _time_until(hass, entity_id, "off", lambda: phone.remote_hangup(1))
        await settle()
    return latencies


async def _lossy_calls(
    hass: HomeAssistant, phone: PhoneSimulator, rng: random.Random
) -> list[float | None]:
    """Ring and miss calls while pushes get lost; return when each showed, or None.

    A call shows when its incoming call event fires: the ringing sensor may
    still be on from the previous call whose end was not seen yet.
    """
    urls = dict(phone.action_urls)
    delays: list[float | None] = []
    for n in range(LOSSY_CALLS_PER_PHONE):
        # Each event's push is lost with the same chance, independently.
        phone.action_urls = {
            event: url for event, url in urls.items() if rng.random() >= DROP_SHARE
        }
        number = f"+49{phone.port}{n}"
        shown: asyncio.Future[float] = hass.loop.create_future()

        @callback
        def told(event: Event[CallEventData], shown=shown, number=number) -> None:  # type: ignore[no-untyped-def]
            data = event.data
            if not shown.done() and (data["type"], data["number"]) == (
                "incoming",
                number,
            ):
                shown.set_result(time.perf_counter())

        unsubscribe = hass.bus.async_listen(EVENT_CALL, told)
        start = time.perf_counter()
        phone.incoming_call(number)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(shown), rng.uniform(7, 15))
        phone.remote_hangup(1)
        unsubscribe()
        delays.append(shown.result() - start if shown.done() else None)
        await asyncio.sleep(rng.uniform(1, 3))
    return delays


def _row(name: str, latencies: list[float]) -> str:
    """Return a Markdown table row with p50, p99 and max in milliseconds."""
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    p50, p99 = statistics.median(latencies), cuts[98]
    return (
        f"| {name} | {len(latencies)} | {p50 * 1000:.1f} ms"
        f" | {p99 * 1000:.1f} ms | {max(latencies) * 1000:.1f} ms |"
    )


async def test_push_latency(
    hass: HomeAssistant,
    socket_enabled: None,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Measure push and polling alone in one run; print a Markdown table."""
    # The test harness turns asyncio debug mode and info logs on; Home
    # Assistant runs without either.
    asyncio.get_running_loop().set_debug(False)
    logging.getLogger().setLevel(logging.WARNING)

    async with PhoneSimulator("GXP2170", passcode=PASSCODE) as phone:
        entry = await _add_phone(hass, phone)
        client = await hass_client_no_auth()
        await paste_action_urls(hass, entry, phone, client)
        ringing = f"binary_sensor.phone_{phone.port}_ringing"

        async def settle() -> None:
            # Let the reads each push asks for finish before the next call.
            await phone.wait_for_action_urls()
            await asyncio.sleep(PUSH_COOLDOWN * 1.5)
            await hass.async_block_till_done(wait_background_tasks=True)

        pushed = await _calls(hass, phone, ringing, PUSH_CALLS, settle)
        assert await hass.config_entries.async_unload(entry.entry_id)

    phones = [
        PhoneSimulator("GXP2170", passcode=PASSCODE) for _ in range(POLLED_PHONES)
    ]
    for polled_phone in phones:
        await polled_phone.start()
    try:
        polled_entries = [await _add_phone(hass, phone) for phone in phones]
        rng = random.Random(5)

        async def calls(polled_phone: PhoneSimulator) -> list[float]:
            async def settle() -> None:
                # Calls start at any moment between two polls.
                await asyncio.sleep(rng.uniform(0, SCAN_INTERVAL.total_seconds()))

            return await _calls(
                hass,
                polled_phone,
                f"binary_sensor.phone_{polled_phone.port}_ringing",
                POLLED_CALLS_PER_PHONE,
                settle,
            )

        polled = [
            latency
            for latencies in await asyncio.gather(*map(calls, phones))
            for latency in latencies
        ]
        for polled_entry in polled_entries:
            assert await hass.config_entries.async_unload(polled_entry.entry_id)
    finally:
        for polled_phone in phones:
            await polled_phone.stop()

    # With pushes lost now and then, on phones whose pushes were confirmed.
    lossy_phones = [
        PhoneSimulator("GXP2170", passcode=PASSCODE) for _ in range(LOSSY_PHONES)
    ]
    for lossy_phone in lossy_phones:
        await lossy_phone.start()
    try:
        client = await hass_client_no_auth()
        lossy_entries = [await _add_phone(hass, phone) for phone in lossy_phones]
        for lossy_entry, lossy_phone in zip(lossy_entries, lossy_phones, strict=True):
            await paste_action_urls(hass, lossy_entry, lossy_phone, client)
        rng = random.Random(10)
        lossy = [
            delay
            for delays in await asyncio.gather(
                *(_lossy_calls(hass, lossy_phone, rng) for lossy_phone in lossy_phones)
            )
            for delay in delays
        ]
        for lossy_entry in lossy_entries:
            assert await hass.config_entries.async_unload(lossy_entry.entry_id)
    finally:
        for lossy_phone in lossy_phones:
            await lossy_phone.stop()
    seen = [delay for delay in lossy if delay is not None]
    never = 1 - len(seen) / len(lossy)

    print(  # noqa: T201
        "\n".join(
            (
                "",
                f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()},"
                f" {os.cpu_count()} cores, Python {platform.python_version()},"
                f" Home Assistant {HA_VERSION}; loopback, asyncio debug off.",
                "",
                "| state change reaches Home Assistant | calls | p50 | p99 | max |",
                "|---|---|---|---|---|",
                _row("pushed (Action URL)", pushed),
                _row(
                    f"polling alone (every {SCAN_INTERVAL.total_seconds():g} s)",
                    polled,
                ),
                _row(f"pushed, {DROP_SHARE:.0%} of pushes lost", seen),
                "",
                f"With {DROP_SHARE:.0%} of pushes lost, calls ringing 7-15 s:"
                f" {len(lossy)} calls, {never:.0%} never shown,"
                f" worst delay {max(seen) * 1000:.0f} ms.",
                "",
            )
        )
    )
