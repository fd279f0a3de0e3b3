"""Benchmark: 100 simulated phones, each on its own loopback address, on one Home Assistant.

Prints, in one run: how long the first refresh of all phones takes from the
start of their setup, the CPU Home Assistant spends polling them at the
default interval (the phones run in a child process and are not counted),
and the other phones' poll rate before and after one phone hangs. Also the
requests per poll cycle of each family, and the family's minimum. Run it
with `scripts/bench_phones`; scripts/test does not collect it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import json
import logging
import os
import platform
import sys
import time

from homeassistant.const import __version__ as HA_VERSION
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import pytest_socket

from custom_components.grandstream_cti.const import DOMAIN, SCAN_INTERVAL
from tests.conftest import MODELS, PASSCODE, entry_data
from tests.simulator import PhoneSimulator

PHONES = int(os.environ.get("BENCH_PHONES", "100"))
STEADY_SECONDS = float(os.environ.get("BENCH_STEADY_SECONDS", "30"))
# Requests one poll cycle needs at least: GXP/GRP and GSC one status
# function; a DECT base one handset line status per paired handset.
MINIMUM = {"GXP2170": 1, "GXP1628": 1, "GRP2616": 1, "DP750": 2, "GSC3516": 1}


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration from custom_components."""


async def _serve(count: int) -> None:
    """Run the phones (the child process); answer the parent's lines on stdin."""
    phones = [
        PhoneSimulator("GXP2170", passcode=PASSCODE, host=f"127.0.0.{n + 2}")
        for n in range(count)
    ]
    for phone in phones:
        await phone.start()
    print(json.dumps([(phone.host, phone.port) for phone in phones]), flush=True)  # noqa: T201
    loop = asyncio.get_running_loop()
    while command := (await loop.run_in_executor(None, sys.stdin.readline)).strip():
        if command == "hang":
            phones[-1].faults.hang = True
        # The requests the phones but the hung one received so far.
        print(sum(len(phone.requests) for phone in phones[:-1]), flush=True)  # noqa: T201
    for phone in phones:
        await phone.stop()


class _Phones:
    """The child process that runs the simulated phones."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        """Talk to a started child."""
        self.process = process

    async def ask(self, command: str) -> str:
        """Send a command; return the child's answer line."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(f"{command}\n".encode())
        await self.process.stdin.drain()
        return (await self.process.stdout.readline()).decode()

    async def rate(self, seconds: float) -> float:
        """Return the requests per second the phones but the last got meanwhile."""
        before = int(await self.ask("count"))
        await asyncio.sleep(seconds)
        return (int(await self.ask("count")) - before) / seconds


async def _requests_per_cycle(hass: HomeAssistant) -> list[str]:
    """Return a table row per family: requests per poll cycle and the minimum."""
    rows = []
    for model in MODELS:
        async with PhoneSimulator(model, passcode=PASSCODE) as phone:
            entry = MockConfigEntry(domain=DOMAIN, title=model, data=entry_data(phone))
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            phone.clear_requests()
            await entry.runtime_data.coordinator.async_refresh()
            rows.append(f"| {model} | {len(phone.requests)} | {MINIMUM[model]} |")
            assert await hass.config_entries.async_unload(entry.entry_id)
    return rows


async def test_hundred_phones(hass: HomeAssistant, socket_enabled: None) -> None:
    """Set up 100 phones, poll them, hang one; print the figures."""
    asyncio.get_running_loop().set_debug(False)
    logging.getLogger().setLevel(logging.CRITICAL)
    # Each phone has its own loopback address: the test guard allows 127.0.0.1.
    hosts = [f"127.0.0.{n}" for n in range(1, PHONES + 2)]
    pytest_socket.socket_allow_hosts(hosts, allow_unix_socket=True)
    cycle_rows = await _requests_per_cycle(hass)

    process = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        str(PHONES),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    phones = _Phones(process)
    try:
        assert process.stdout is not None
        addresses = json.loads(await process.stdout.readline())
        entries = []
        for host, port in addresses:
            phone = PhoneSimulator("GXP2170", passcode=PASSCODE, host=host, port=port)
            entry = MockConfigEntry(
                domain=DOMAIN, title=f"Phone {host}", data=entry_data(phone)
            )
            entry.add_to_hass(hass)
            entries.append(entry)
        start = time.perf_counter()
        results = await asyncio.gather(
            *(hass.config_entries.async_setup(entry.entry_id) for entry in entries)
        )
        first_refresh = time.perf_counter() - start
        assert all(results)
        await hass.async_block_till_done()

        cpu, wall = time.process_time(), time.perf_counter()
        steady = await phones.rate(STEADY_SECONDS)
        cpu_share = (time.process_time() - cpu) / (time.perf_counter() - wall)

        await phones.ask("hang")
        hung = await phones.rate(STEADY_SECONDS)
        for entry in entries:
            await hass.config_entries.async_unload(entry.entry_id)
    finally:
        assert process.stdin is not None
        process.stdin.close()
        await process.wait()

    expected = (PHONES - 1) / SCAN_INTERVAL.total_seconds()
    print(  # noqa: T201
        "\n".join(
            (
                "",
                f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()},"
                f" {os.cpu_count()} cores, Python {platform.python_version()},"
                f" Home Assistant {HA_VERSION}; loopback, asyncio debug off.",
                "",
                "| family (model) | requests per poll cycle | minimum |",
                "|---|---|---|",
                *cycle_rows,
                "",
                f"| {PHONES} GXP2170, each on its own 127.0.0.x | measured | bound |",
                "|---|---|---|",
                f"| first refresh of all, from setup | {first_refresh:.2f} s | 2 s |",
                f"| CPU while polling every {SCAN_INTERVAL.total_seconds():g} s"
                f" | {cpu_share:.1%} of one core | 5 % |",
                f"| poll rate of the other {PHONES - 1} phones"
                f" | {steady:.1f}/s steady, {hung:.1f}/s with one hung"
                f" | {expected:.1f}/s |",
                "",
            )
        )
    )


if __name__ == "__main__":
    asyncio.run(_serve(int(sys.argv[1])))
