"""Tests for the simulated phone's Action URL requests and their quirks."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web
import pytest

from tests.simulator import ActionUrlRequest, PhoneSimulator
from tests.simulator.__main__ import parse_args
from tests.simulator.action_url import EVENTS, fill, templates_for


class Receiver:
    """An HTTP server that records the raw targets it is sent."""

    def __init__(self) -> None:
        """Record nothing yet; answer at once."""
        self.targets: list[str] = []
        self.hang = False
        self.url = ""
        self._runner = web.ServerRunner(
            web.Server(self._handle, handler_cancellation=True), shutdown_timeout=0.1
        )

    async def start(self) -> None:
        """Listen on a free port of 127.0.0.1."""
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Stop listening."""
        await self._runner.cleanup()

    async def _handle(self, request: web.BaseRequest) -> web.Response:
        """Record the request; never answer while hanging."""
        self.targets.append(request.raw_path)
        if self.hang:
            await asyncio.get_running_loop().create_future()
        return web.Response()


@pytest.fixture
async def receiver(socket_enabled: None) -> AsyncIterator[Receiver]:
    """Run a receiver for the phone's requests."""
    receiver = Receiver()
    await receiver.start()
    yield receiver
    await receiver.stop()


@pytest.fixture
async def phone(socket_enabled: None) -> AsyncIterator[PhoneSimulator]:
    """Run a GXP2170 with a MAC written without separators."""
    async with PhoneSimulator("GXP2170", mac="000b82a1b2c3") as phone:
        yield phone


def test_fill() -> None:
    """Variables go in raw; empty ones stay as their names; no scheme means http."""
    values = {"remote": "+49 30", "display_remote": "A&B", "call-id": "7@x", "mac": ""}

    assert fill(
        "host/p?r=$remote&n=$display_remote&c=$call-id&m=$mac&x=$x", values
    ) == ("http://host/p?r=+49 30&n=A&B&c=7@x&m=$mac&x=$x")
    assert fill("https://host/$remote", values) == "https://host/+49 30"


async def test_requests(phone: PhoneSimulator, receiver: Receiver) -> None:
    """Events call their URLs, in order, with the call's variables."""
    phone.action_urls = {
        "incoming_call": f"{receiver.url}/in?r=$remote&n=$display_remote&l=$local&c=$call-id&m=$mac",
        "established_call": f"{receiver.url}/up?r=$remote&u=$active_user&p=$product",
        "hold": f"{receiver.url}/hold?r=$remote",
    }
    phone.incoming_call("+4930123", "Alice", line=2)
    phone.incoming_call("200")
    station = phone.state.station()
    phone.state.answer(station, phone.line(1))
    # Answering line 2 holds line 1: two events at once, sent in order.
    phone.state.answer(station, phone.line(2))
    await phone.wait_for_action_urls()

    assert receiver.targets == [
        "/in?r=+4930123&n=Alice&l=1001&c=1-000b82a1b2c3@127.0.0.1&m=000b82a1b2c3",
        "/in?r=200&n=$display_remote&l=1001&c=2-000b82a1b2c3@127.0.0.1&m=000b82a1b2c3",
        "/up?r=200&u=1001&p=GXP2170",
        "/hold?r=200",
        "/up?r=+4930123&u=1001&p=GXP2170",
    ]
    assert [request.event for request in phone.action_url_requests] == [
        "incoming_call",
        "incoming_call",
        "established_call",
        "hold",
        "established_call",
    ]
    assert {request.status for request in phone.action_url_requests} == {200}


async def test_events_without_a_call(phone: PhoneSimulator, receiver: Receiver) -> None:
    """Events outside calls leave the call's variables unfilled."""
    phone.action_urls = {
        "dnd_on": f"{receiver.url}/dnd?r=$remote&c=$call-id&m=$mac",
        "unregistered": f"{receiver.url}/unreg?l=$local",
    }
    phone.state.set_dnd(phone.state.station(), True)
    phone.set_registered(2, False)
    await phone.wait_for_action_urls()

    assert receiver.targets == [
        "/dnd?r=$remote&c=$call-id&m=000b82a1b2c3",
        "/unreg?l=1002",
    ]


async def test_too_long_is_never_requested(
    phone: PhoneSimulator, receiver: Receiver
) -> None:
    """A URL longer than the phone keeps is as good as none."""
    phone.action_urls = {"incoming_call": f"{receiver.url}/{'x' * 256}"}

    phone.incoming_call("100")
    await phone.wait_for_action_urls()

    assert receiver.targets == []
    assert phone.action_url_requests == []


async def test_nobody_listening(phone: PhoneSimulator, receiver: Receiver) -> None:
    """A URL nobody answers is given up on, and the next is still sent."""
    await receiver.stop()
    phone.action_urls = {"incoming_call": f"{receiver.url}/in"}

    phone.incoming_call("100")
    await phone.wait_for_action_urls()

    assert phone.action_url_requests == [
        ActionUrlRequest("incoming_call", f"http://{receiver.url}/in", None)
    ]


async def test_stop_drops_pending(receiver: Receiver, socket_enabled: None) -> None:
    """Stopping the phone cancels requests in progress and drops queued ones."""
    receiver.hang = True
    phone = PhoneSimulator("GXP2170")
    await phone.start()
    phone.action_urls = {"incoming_call": f"{receiver.url}/in"}
    phone.incoming_call("100", line=1)
    phone.incoming_call("101", line=2)
    async with asyncio.timeout(5):
        while not receiver.targets:
            await asyncio.sleep(0.01)

    await phone.stop()

    assert receiver.targets == ["/in"]
    assert phone.action_url_requests == []
    await phone.wait_for_action_urls()


def test_cli_option() -> None:
    """--action-url calls one URL for every Action URL event."""
    args = parse_args(["--model", "GXP2170", "--action-url", "http://ha:8123/x"])
    templates = templates_for(args.action_url)

    assert list(templates) == list(EVENTS)
    assert templates["incoming_call"] == (
        "http://ha:8123/x?event=incoming_call&mac=$mac&remote=$remote"
    )
