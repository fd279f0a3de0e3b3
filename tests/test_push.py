"""Tests for pushed events: the webhook, reading the phone at once, and polling."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import webhook
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_WEBHOOK_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.device_registry import format_mac
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.grandstream_cti.calls import EVENT_CALL
from custom_components.grandstream_cti.const import (
    DOMAIN,
    PUSH_SCAN_INTERVAL,
    SCAN_INTERVAL,
)
from custom_components.grandstream_cti.cti.action_url import (
    MAX_REQUEST_LENGTH,
    PhoneEventType,
)

from .common import tick
from .conftest import ENTRY_ID, entry_data
from .push_helpers import (
    FIELD_LABELS,
    options_action_urls,
    paste_action_urls,
    settle,
    shown_by_push,
    webhook_path,
)
from .simulator import PhoneSimulator
from .simulator.action_url import fill

RINGING = "binary_sensor.gxp2170_ringing"
CALLER = "sensor.gxp2170_caller"
LINE_1 = "sensor.gxp2170_line_1"
MAC = "00:0B:82:A1:B2:C3"
LINE_STATUS = "api-get_line_status"
# What phones fill in raw: a name with spaces, letters beyond ASCII, "&",
# "#" and "%", an unfilled variable, and values as long as a field allows.
ADVERSARIAL = (
    {"display_remote": "Smith & Sons #1 100% Jürgen 日本", "remote": "+4930&1#2%zz"},
    {"display_remote": "Ana María", "remote": "$remote"},
    {"display_remote": "x " * 128, "remote": "9" * 256},
    {"display_remote": "%ZZ%00", "remote": "*97#"},
)


@pytest.fixture
async def client(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> TestClient:
    """Return a client of Home Assistant's web server, listening on 127.0.0.1."""
    return await hass_client_no_auth()


@pytest.fixture
async def pushing(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    simulator: PhoneSimulator,
    client: TestClient,
) -> MockConfigEntry:
    """Paste the URLs the options show into the phone's Action URL settings."""
    await paste_action_urls(hass, init_integration, simulator, client)
    return init_integration


def calls_to(simulator: PhoneSimulator, function: str) -> int:
    """Return how many requests for a CTI function the phone received."""
    return len(simulator.requests_to(function))


# --- the bytes phones send ---------------------------------------------------


async def _send_raw(client: TestClient, data: bytes) -> bytes:
    """Send bytes to Home Assistant's HTTP server as they are; return its answer."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    try:
        writer.write(data)
        await writer.drain()
        async with asyncio.timeout(5):
            return await reader.read()
    finally:
        writer.close()


@pytest.mark.parametrize("values", ADVERSARIAL)
async def test_raw_requests_as_phones_send_them(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
    values: dict[str, str],
) -> None:
    """Every default URL, filled in raw as a phone does, reaches the integration."""
    caplog.set_level(logging.INFO)
    await hass.config.async_update(internal_url=str(client.make_url("")))
    urls = await options_action_urls(hass, init_integration)
    push = init_integration.runtime_data.coordinator.push
    variables = {"mac": MAC, "local": "1001", "active_user": "1001", **values}

    for count, field in enumerate(PhoneEventType, start=1):
        target = urlsplit(fill(urls[FIELD_LABELS[field]], variables))
        line = f"GET {target.path}?{target.query} HTTP/1.1\r\n".encode()
        request = line + b"Host: phone\r\nConnection: close\r\n\r\n"
        answer = await _send_raw(client, request)
        await hass.async_block_till_done(wait_background_tasks=True)

        assert answer.startswith(b"HTTP/1.1 200 "), (FIELD_LABELS[field], answer[:80])
        assert (push.count, push.last_event) == (count, field)
    await settle(hass)
    # Home Assistant silences aiohttp's access log (the test server's is on).
    logged = [r for r in caplog.records if r.name != "aiohttp.access"]
    assert not any(
        init_integration.data[CONF_WEBHOOK_ID] in r.getMessage() for r in logged
    )


async def test_post_body_split_across_segments(
    hass: HomeAssistant, init_integration: MockConfigEntry, client: TestClient
) -> None:
    """A POST body is read to its end, however the TCP segments cut it."""
    body = b"event=dnd_on&mac=$mac&remote=" + b"1" * 900
    head = (
        f"POST {webhook_path(init_integration)} HTTP/1.1\r\nHost: phone\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(head + body[:5])
    await writer.drain()
    await asyncio.sleep(0.05)
    writer.write(body[5:])
    await writer.drain()
    answer = await reader.read()
    writer.close()
    await settle(hass)

    assert answer.startswith(b"HTTP/1.1 200 ")
    assert init_integration.runtime_data.coordinator.data.dnd is True


@pytest.mark.parametrize("chunked", [False, True])
async def test_oversized_post_is_refused(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
    chunked: bool,
) -> None:
    """A body beyond any phone's is not read to the end, and changes nothing."""
    simulator.clear_requests()
    body = b"event=dnd_on&remote=" + b"1" * MAX_REQUEST_LENGTH

    async def chunks():  # type: ignore[no-untyped-def]
        yield body

    response = await client.post(
        webhook_path(init_integration), data=chunks() if chunked else body
    )
    await settle(hass)

    assert response.status == 200
    assert init_integration.runtime_data.coordinator.data.dnd is None
    assert simulator.requests == []


# --- a push is a reason to read the phone ----------------------------------


@pytest.mark.usefixtures("freezer")
async def test_push_reads_the_phone_at_once(
    hass: HomeAssistant, simulator: PhoneSimulator, pushing: MockConfigEntry
) -> None:
    """A pushed event makes Home Assistant read the phone: the name comes from it."""
    simulator.clear_requests()

    state = await shown_by_push(
        hass, simulator, RINGING, lambda: simulator.incoming_call("+4930123", "Al Bo")
    )

    assert state.state == STATE_ON
    # The "+" arrived raw; the name never travels in the URL.
    assert "remote=+4930123" in simulator.action_url_requests[-1].url
    assert "Al" not in simulator.action_url_requests[-1].url
    assert hass.states.get(CALLER).attributes["remote_name"] == "Al Bo"
    assert calls_to(simulator, LINE_STATUS) == 1


@pytest.mark.usefixtures("freezer")
async def test_events_together_make_few_reads(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """Events arriving together are read with one request, and one after them."""
    simulator.clear_requests()
    path = webhook_path(init_integration)

    await asyncio.gather(*(client.get(f"{path}?event=hold") for _ in range(10)))
    await settle(hass)

    assert 1 <= calls_to(simulator, LINE_STATUS) <= 2


@pytest.mark.parametrize("model", ["GRP2616"])
async def test_registration_reads_accounts(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    pushing: MockConfigEntry,
    client: TestClient,
) -> None:
    """Registration events and restarts read the accounts too."""
    registered = "binary_sensor.grp2616_account_1_registered"
    assert hass.states.get(registered).state == STATE_ON
    simulator.clear_requests()

    simulator.set_registered(1, False)
    await simulator.wait_for_action_urls()
    await settle(hass)

    assert calls_to(simulator, "api-get_accounts") == 1
    assert hass.states.get(registered).state == STATE_OFF

    simulator.action_urls.clear()
    simulator.set_registered(1, True)
    await client.get(f"{webhook_path(pushing)}?event=setup_completed")
    await settle(hass)

    assert calls_to(simulator, "api-get_accounts") == 2
    assert hass.states.get(registered).state == STATE_ON


@pytest.mark.parametrize("model", ["GSC3516", "DP750"])
async def test_far_end_of_phones_without_lines(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    pushing: MockConfigEntry,
) -> None:
    """DP and GSC tell no far end: the pushed number goes with the call events."""
    events = async_capture_events(hass, EVENT_CALL)
    ringing = f"binary_sensor.{simulator.model.lower()}_ringing"

    await shown_by_push(hass, simulator, ringing, lambda: simulator.incoming_call("9"))
    await shown_by_push(hass, simulator, ringing, lambda: simulator.remote_hangup(1))

    assert [(e.data["type"], e.data["number"]) for e in events] == [
        ("incoming", "9"),
        ("missed", "9"),
    ]
    assert pushing.runtime_data.coordinator.data.remote_number is None


async def test_event_the_phone_does_not_show_changes_nothing(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """A pushed call the phone does not have is not shown: the read decides."""
    events = async_capture_events(hass, EVENT_CALL)

    await client.get(f"{webhook_path(init_integration)}?event=incoming&remote=5")
    await settle(hass)

    assert hass.states.get(RINGING).state == STATE_OFF
    assert events == []


# --- polling while the phone pushes -----------------------------------------


async def test_polls_less_only_while_pushes_are_confirmed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    pushing: MockConfigEntry,
) -> None:
    """Poll every 6 s after a push told of a change; fast again when one got lost."""
    coordinator = pushing.runtime_data.coordinator
    events = async_capture_events(hass, EVENT_CALL)
    assert coordinator.update_interval == SCAN_INTERVAL
    assert not coordinator.push.confirmed

    await shown_by_push(hass, simulator, RINGING, lambda: simulator.incoming_call("7"))
    assert coordinator.push.confirmed
    assert coordinator.update_interval == PUSH_SCAN_INTERVAL
    simulator.clear_requests()
    await tick(hass, freezer, SCAN_INTERVAL)
    assert calls_to(simulator, LINE_STATUS) == 0

    # The Missed Call push gets lost: the next poll, within 10 s, shows it.
    simulator.action_urls.pop("missed_call")
    simulator.remote_hangup(1)
    await tick(hass, freezer, PUSH_SCAN_INTERVAL - SCAN_INTERVAL)

    assert hass.states.get(RINGING).state == STATE_OFF
    assert [e.data["type"] for e in events] == ["incoming", "missed"]
    assert not coordinator.push.confirmed
    assert coordinator.update_interval == SCAN_INTERVAL


async def test_no_push_no_slower_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    client: TestClient,
) -> None:
    """Pushes that announce no change the phone shows confirm nothing."""
    coordinator = init_integration.runtime_data.coordinator
    await client.get(f"{webhook_path(init_integration)}?event=dnd_on")
    await settle(hass)
    simulator.incoming_call("8")
    await tick(hass, freezer, SCAN_INTERVAL)

    assert hass.states.get(RINGING).state == STATE_ON
    assert not coordinator.push.confirmed
    assert coordinator.update_interval == SCAN_INTERVAL


@pytest.mark.allowed_errors("Authentication failed while fetching GXP2170 data")
async def test_after_a_refused_passcode_pushes_read_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    pushing: MockConfigEntry,
    client: TestClient,
) -> None:
    """Once the passcode is refused, pushes send nothing; reauthentication starts once."""
    simulator.passcode = "changed"
    await tick(hass, freezer, SCAN_INTERVAL)
    simulator.clear_requests()
    path = webhook_path(pushing)

    for event in ("incoming", "established", "terminated", "hold", "dnd_on"):
        await client.get(f"{path}?event={event}&remote=1")
    await settle(hass)

    assert simulator.requests == []
    assert pushing.runtime_data.coordinator.data.dnd is True
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


# --- requests that change nothing -------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "?"),
        ("GET", "?event=bogus&mac=00:0B:82:A1:B2:C3"),
        ("GET", "?mac=00:0B:82:A1:B2:C3&remote=100"),
        ("GET", "?event=incoming&mac=00:0B:82:11:22:33&remote=100"),
        ("GET", "?event=incoming&remote=100"),
        ("GET", "?event=incoming&mac=$mac&remote=100"),
        ("GET", "?event=incoming&mac=00:0B:82:A1:B2:C3&pad=" + "x" * 2100),
        ("GET", "/event=incoming&mac=00:0B:82:11:22:33"),
        ("GET", "?event=%FF%00%ZZ&mac=00:0B:82:A1:B2:C3"),
        ("GET", "?event=%C3%28%E2%80%AE&mac=00:0B:82:A1:B2:C3"),
        ("POST", ""),
        ("POST", "?event=incoming"),
        ("PUT", "?event=incoming&mac=00:0B:82:A1:B2:C3"),
        ("HEAD", "?event=incoming&mac=00:0B:82:A1:B2:C3"),
    ],
)
async def test_ignored(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    hass_client_no_auth: ClientSessionGenerator,
    method: str,
    path: str,
) -> None:
    """Garbage and other phones' events read nothing and say nothing."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=simulator.model,
        entry_id=ENTRY_ID,
        data=entry_data(simulator, mac=format_mac(MAC)),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    simulator.clear_requests()

    response = await client.request(method, webhook_path(entry) + path)
    await settle(hass)

    assert response.status in (200, 405)
    assert await response.read() == b""
    assert simulator.requests == []
    assert entry.runtime_data.coordinator.push.count == 0


async def test_post_and_path_values(
    hass: HomeAssistant, init_integration: MockConfigEntry, client: TestClient
) -> None:
    """Values in a POST body or in the path are read like a query."""
    push = init_integration.runtime_data.coordinator.push
    path = webhook_path(init_integration)

    await client.post(path, data=b"event=incoming&remote=%2B100")
    assert push.last_event == "incoming"
    await client.get(f"{path}/event=missed&remote=+100")
    assert push.last_event == "missed"
    await client.get(f"{path}/?event=outgoing&remote=+101")
    assert push.last_event == "outgoing"
    assert push.count == 3
    await settle(hass)


async def test_websocket_api(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """Events handed over by the websocket API are read from their query."""
    client = await hass_ws_client(hass)

    await client.send_json_auto_id(
        {
            "type": "webhook/handle",
            "webhook_id": init_integration.data[CONF_WEBHOOK_ID],
            "method": "GET",
            "query": "event=dnd_off&remote=+1234",
        }
    )
    response = await client.receive_json()
    await settle(hass)

    assert response["success"]
    assert response["result"]["status"] == 200
    assert init_integration.runtime_data.coordinator.data.dnd is False


@pytest.mark.parametrize(
    "mac", ["00:0B:82:A1:B2:C3", "000b82a1b2c3", "00-0B-82-A1-B2-C3", "000B82A1B2C3"]
)
async def test_mac_spellings(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    hass_client_no_auth: ClientSessionGenerator,
    mac: str,
) -> None:
    """A phone whose MAC is known is recognized in every spelling."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=simulator.model,
        entry_id=ENTRY_ID,
        data=entry_data(simulator, mac=format_mac(MAC)),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    await paste_action_urls(hass, entry, simulator, client)
    simulator.mac = mac

    state = await shown_by_push(
        hass, simulator, RINGING, lambda: simulator.incoming_call("100")
    )

    assert state.state == STATE_ON


async def test_path_view_ignores_other_webhooks(
    hass: HomeAssistant, client: TestClient, init_integration: MockConfigEntry
) -> None:
    """Values in the path go to our webhooks only: others' stay unreachable."""
    received = []

    async def handler(*args: object) -> None:
        received.append(args)

    webhook.async_register(hass, "other", "Other", "other_id", handler)

    response = await client.get("/api/webhook/other_id/event=incoming")

    assert response.status == 200
    assert await response.read() == b""
    assert received == []


async def test_webhook_gone_when_unloaded(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unloading the entry unregisters its webhook."""
    webhook_id = init_integration.data[CONF_WEBHOOK_ID]
    with pytest.raises(ValueError, match="already defined"):
        webhook.async_register(hass, "other", "Other", webhook_id, _no_handler)

    assert await hass.config_entries.async_unload(init_integration.entry_id)

    webhook.async_register(hass, "other", "Other", webhook_id, _no_handler)


async def _no_handler(*args: object) -> None:
    """Handle nothing."""


async def test_push_names_the_renamed_phone(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The webhook and what push logs name the phone as the user renamed it."""
    registry = dr.async_get(hass)
    device = registry.async_get_device_by_identifier((DOMAIN, ENTRY_ID), ENTRY_ID)
    assert device is not None
    registry.async_update_device(device.id, name_by_user="Reception")
    assert await hass.config_entries.async_reload(ENTRY_ID)
    await hass.async_block_till_done()
    websocket = await hass_ws_client(hass)
    client = await hass_client_no_auth()
    caplog.set_level(logging.DEBUG)

    response = await client.get(webhook_path(init_integration) + "?event=nonsense")

    assert response.status == 200
    assert "Ignoring a request to the webhook of Reception: " in caplog.text
    await websocket.send_json_auto_id({"type": "webhook/list"})
    listed = (await websocket.receive_json())["result"]
    assert [hook["name"] for hook in listed if hook["domain"] == DOMAIN] == [
        "Reception"
    ]
