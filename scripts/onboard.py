"""Onboard the development instance and add phones through Home Assistant's API.

Run by scripts/develop once Home Assistant listens: creates the owner account
on a fresh instance (or logs in on a later run), finishes onboarding, makes
the web server listen on the loopback interface only, adds each phone with
the integration's config flow (phones added before are skipped) and waits
until their config entries are loaded. With --push it points the simulated
desk phones' Action URLs at their webhooks (read from the options, as a user
would), with --dashboard and --automations it adds the Phones dashboard and
automations made from the blueprints; last, it checks that the frontend's
action list loads. It uses the HTTP and WebSocket APIs the frontend uses;
nothing is written to .storage by hand.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Mapping, Sequence
import contextlib
from dataclasses import dataclass
import json
from pathlib import Path
import re
import sys
import time
from typing import Any, Self

import aiohttp
import yaml
from yarl import URL

DOMAIN = "grandstream_cti"
OWNER_NAME = "Developer"
LANGUAGE = "en"
LOOPBACK = "127.0.0.1"
# Bookkeeping that http/config adds to the HTTP settings and that
# http/config/configure does not take back.
HTTP_META_KEYS = ("created_at", "error", "error_message")
TIMEOUT = aiohttp.ClientTimeout(total=30)
# The families whose phones have Action URL settings (desk phones).
PUSHING_MODELS = ("GXP", "GRP")
# The development dashboard, and the device ids its file leaves to fill in.
DASHBOARD = "grandstream-phones"
DEVICE_ID_OF = re.compile(r"DEVICE_ID_OF_([A-Za-z0-9]+)")
# Speed dials (config subentries of the phone's entry): phone, name, number.
SPEED_DIAL = "speed_dial"
EXAMPLE_SPEED_DIALS = (("GXP2170", "Reception", "100"),)
# Automations from the blueprints: id, name, blueprint, inputs (device names,
# or entity ids).
EXAMPLE_AUTOMATIONS = (
    (
        "grandstream_reception_rings",
        "Reception phone rings",
        "incoming_call_notification.yaml",
        {"phone": "GXP2170"},
    ),
    (
        "grandstream_missed_calls",
        "Missed calls",
        "missed_call_notification.yaml",
        {"phones": ["GXP2170", "GXP1628", "DP750"]},
    ),
    (
        "grandstream_speaker_night",
        "Paging speaker quiet at night",
        "night_mode.yaml",
        {"night_switch": "switch.gsc3516_night_mode"},
    ),
)
WEBHOOK_URL = re.compile(r"https?://[^\s`|\"]+/api/webhook/[0-9A-Za-z_-]+")
# Home Assistant restarts to apply new HTTP settings (WebSocket API).
RESTART_TIMEOUT = 120.0


class OnboardError(Exception):
    """A step failed; the message says which."""


@dataclass(frozen=True, slots=True)
class Phone:
    """A simulated phone to add: its name, address, port and passcode."""

    name: str
    host: str
    port: int
    passcode: str

    @classmethod
    def parse(cls, spec: str, passcode: str) -> Self:
        """Parse NAME=HOST:PORT from the command line."""
        name, _, address = spec.partition("=")
        host, _, port = address.rpartition(":")
        if not (name and host and port.isdigit()):
            raise OnboardError(f"expected NAME=HOST:PORT, got {spec!r}")
        return cls(name, host, int(port), passcode)


class HomeAssistantApi:
    """The parts of Home Assistant's HTTP and WebSocket APIs the frontend uses."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        """Talk to the instance at `url`; log in before authenticated calls."""
        self.session = session
        self.url = URL(url)
        # The frontend's own client id: tokens issued to it are the ones a
        # browser holds, so a headless browser can be handed them.
        self.client_id = str(self.url.with_path("/"))
        self.redirect_uri = str(self.url.with_path("/").with_query(auth_callback=1))
        self.access_token: str | None = None
        self.refresh_token: str | None = None

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Mapping[str, Any] | None = None,
        form: Mapping[str, str] | None = None,
    ) -> tuple[int, Any]:
        """Send a request and return the status and the JSON body, if any."""
        headers = {}
        if self.access_token:
            headers["Authorization"] = f"Bearer {self.access_token}"
        async with self.session.request(
            method,
            self.url.join(URL(path)),
            json=json,
            data=form,
            headers=headers,
            timeout=TIMEOUT,
        ) as response:
            if response.content_type == "application/json":
                return response.status, await response.json()
            return response.status, await response.text()

    async def expect(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request that must succeed and return its JSON body."""
        status, data = await self.request(method, path, **kwargs)
        if status != 200:
            raise OnboardError(f"{method} {path} answered HTTP {status}: {data}")
        return data

    @contextlib.asynccontextmanager
    async def websocket(self) -> AsyncIterator[aiohttp.ClientWebSocketResponse]:
        """Open an authenticated connection to the WebSocket API."""
        async with self.session.ws_connect(
            self.url.with_path("/api/websocket"), timeout=aiohttp.ClientWSTimeout()
        ) as socket:
            await socket.receive_json(timeout=TIMEOUT.total)
            await socket.send_json({"type": "auth", "access_token": self.access_token})
            if (await socket.receive_json(timeout=TIMEOUT.total))["type"] != "auth_ok":
                raise OnboardError("the WebSocket API refused the access token")
            yield socket

    async def command(
        self,
        message: Mapping[str, Any],
        socket: aiohttp.ClientWebSocketResponse | None = None,
    ) -> Any:
        """Send a WebSocket command, on a connection of its own by default."""
        if socket is None:
            async with self.websocket() as own:
                return await self.command(message, own)
        await socket.send_json({"id": 1, **message})
        reply = await socket.receive_json(timeout=TIMEOUT.total)
        if not reply.get("success"):
            raise OnboardError(f"{message['type']} failed: {reply.get('error')}")
        return reply["result"]

    async def wait_until_listening(self, timeout: float) -> None:
        """Wait until the web server answers, whatever it answers."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                await self.request("GET", "/manifest.json")
            except aiohttp.ClientError, TimeoutError:
                if time.monotonic() > deadline:
                    raise OnboardError(
                        f"Home Assistant did not answer at {self.url}"
                    ) from None
                await asyncio.sleep(0.2)
            else:
                return

    async def wait_until_running(self, timeout: float) -> None:
        """Wait until Home Assistant has finished starting."""
        deadline = time.monotonic() + timeout
        while (await self.expect("GET", "/api/config")).get("state") != "RUNNING":
            if time.monotonic() > deadline:
                raise OnboardError("Home Assistant did not finish starting")
            await asyncio.sleep(0.2)

    async def fetch_tokens(self, code: str) -> None:
        """Exchange an authorization code for tokens."""
        tokens = await self.expect(
            "POST",
            "/auth/token",
            form={
                "grant_type": "authorization_code",
                "code": code,
                "client_id": self.client_id,
            },
        )
        self.access_token = tokens["access_token"]
        self.refresh_token = tokens["refresh_token"]

    async def log_in(self, username: str, password: str) -> None:
        """Log in through the login flow, as the frontend's login page does."""
        flow = await self.expect(
            "POST",
            "/auth/login_flow",
            json={
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": self.redirect_uri,
            },
        )
        result = await self.expect(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            json={
                "client_id": self.client_id,
                "username": username,
                "password": password,
            },
        )
        if result.get("type") != "create_entry":
            raise OnboardError(
                f"Home Assistant refused the login of {username!r}: "
                f"{result.get('errors') or result}"
            )
        await self.fetch_tokens(result["result"])

    async def log_out(self) -> None:
        """Revoke the refresh token, so that runs do not pile up sessions."""
        if self.refresh_token is None:
            return
        token = self.refresh_token
        self.access_token = self.refresh_token = None
        # If Home Assistant is gone, the token went with it.
        with contextlib.suppress(aiohttp.ClientError, TimeoutError):
            await self.request("POST", "/auth/revoke", form={"token": token})


async def onboard(api: HomeAssistantApi, username: str, password: str) -> bool:
    """Create the owner on a fresh instance, else log in; finish onboarding.

    Return whether onboarding was finished just now.
    """
    status, steps = await api.request("GET", "/api/onboarding")
    # Once onboarding is complete Home Assistant no longer serves its API.
    pending = (
        {step["step"] for step in steps if not step["done"]} if status == 200 else set()
    )
    if "user" in pending:
        print(f"Creating the owner account {username!r}")
        created = await api.expect(
            "POST",
            "/api/onboarding/users",
            json={
                "client_id": api.client_id,
                "name": OWNER_NAME,
                "username": username,
                "password": password,
                "language": LANGUAGE,
            },
        )
        await api.fetch_tokens(created["auth_code"])
    else:
        await api.log_in(username, password)
    if "core_config" in pending:
        await api.expect("POST", "/api/onboarding/core_config", json={})
    if "analytics" in pending:
        await api.expect("POST", "/api/onboarding/analytics", json={})
    if "integration" in pending:
        await api.expect(
            "POST",
            "/api/onboarding/integration",
            json={"client_id": api.client_id, "redirect_uri": api.redirect_uri},
        )
    if pending:
        print("Onboarding finished")
    return bool(pending)


async def listen_on_loopback(api: HomeAssistantApi) -> None:
    """Make the web server listen on the loopback interface only.

    Home Assistant listens on every interface unless told otherwise, and its
    HTTP settings live in its storage since 2026.10: set them as the
    Settings pages do, which restarts Home Assistant (scripts/develop starts
    it again), then confirm them, or it goes back to the old ones.
    """
    config = await api.command({"type": "http/config"})
    if config["active_config_type"] == "pending":
        if config["pending"].get("server_host") == [LOOPBACK]:
            await api.command({"type": "http/config/promote"})
        return
    if config["stable"].get("server_host") == [LOOPBACK]:
        return
    print(f"Making Home Assistant listen on {LOOPBACK} only; it restarts")
    settings = {
        key: value
        for key, value in config["stable"].items()
        if key not in HTTP_META_KEYS
    }
    async with api.websocket() as socket:
        await api.command(
            {
                "type": "http/config/configure",
                "config": {**settings, "server_host": [LOOPBACK]},
            },
            socket,
        )
        # The connection ends when Home Assistant stops to restart.
        async for _ in socket:
            pass
    await api.wait_until_listening(RESTART_TIMEOUT)
    await api.wait_until_running(RESTART_TIMEOUT)
    await api.command({"type": "http/config/promote"})


async def add_phone(api: HomeAssistantApi, phone: Phone) -> None:
    """Add a phone with the integration's config flow, unless it was added before."""
    flow = await api.expect(
        "POST", "/api/config/config_entries/flow", json={"handler": DOMAIN}
    )
    flow_path = f"/api/config/config_entries/flow/{flow['flow_id']}"
    result = await api.expect(
        "POST",
        flow_path,
        json={
            "host": phone.host,
            "passcode": phone.passcode,
            "advanced": {"port": phone.port, "ssl": False, "verify_ssl": True},
        },
    )
    where = f"{phone.name} at {phone.host}:{phone.port}"
    match result.get("type"):
        case "create_entry":
            print(f"Added {where} as {result['title']!r}")
            return
        case "abort" if result.get("reason") == "already_configured":
            print(f"{where} was added before")
            return
        case "form":
            # Drop the flow rather than leave it in progress in the UI.
            await api.request("DELETE", flow_path)
            detail = result.get("errors") or f"it asks for {result.get('step_id')!r}"
        case _:
            detail = result.get("reason") or result
    print(f"warning: could not add {where}: {detail}", file=sys.stderr)


async def wait_for_entries(
    api: HomeAssistantApi, timeout: float
) -> list[dict[str, Any]]:
    """Wait until no config entry of the integration is still being set up."""
    deadline = time.monotonic() + timeout
    while True:
        entries: list[dict[str, Any]] = await api.expect(
            "GET", f"/api/config/config_entries/entry?domain={DOMAIN}"
        )
        settled = all(
            entry["state"] not in ("not_loaded", "setup_in_progress")
            for entry in entries
        )
        if settled or time.monotonic() > deadline:
            return entries
        await asyncio.sleep(0.2)


async def webhook_url(api: HomeAssistantApi, entry_id: str) -> str:
    """Return the phone's webhook URL, from its Instant call events options step."""
    flow = await api.expect(
        "POST", "/api/config/config_entries/options/flow", json={"handler": entry_id}
    )
    flow_path = f"/api/config/config_entries/options/flow/{flow['flow_id']}"
    try:
        step = flow
        if flow.get("type") == "menu":
            # Versions with more than one kind of option start with a menu.
            step = await api.expect(
                "POST", flow_path, json={"next_step_id": "action_url"}
            )
    finally:
        # Leave nothing in progress (and nothing saved) in the UI.
        await api.request("DELETE", flow_path)
    if not (match := WEBHOOK_URL.search(json.dumps(step))):
        raise OnboardError(f"the Action URL step shows no webhook URL: {step}")
    return match[0]


async def wire_push(api: HomeAssistantApi, phones: Sequence[Phone]) -> None:
    """Point the desk phones' Action URLs at their webhooks, as a user would."""
    devices = await api.command({"type": "config/device_registry/list"})
    for phone in phones:
        if not phone.name.startswith(PUSHING_MODELS):
            continue
        address = f"{phone.host}:{phone.port}"
        entry_id = next(
            (
                domain_id
                for device in devices
                if address in (device.get("configuration_url") or "")
                for domain, domain_id in device["identifiers"]
                if domain == DOMAIN
            ),
            None,
        )
        if entry_id is None:
            print(f"warning: no device for {phone.name} at {address}", file=sys.stderr)
            continue
        url = await webhook_url(api, entry_id)
        async with api.session.post(
            f"http://{address}/simulator/push", params={"url": url}, timeout=TIMEOUT
        ) as response:
            if response.status != 200:
                raise OnboardError(f"{phone.name} did not take its Action URLs")
        print(f"{phone.name} pushes its call events to Home Assistant")


async def check_actions(api: HomeAssistantApi) -> None:
    """Check that the frontend's action list loads, with this integration's actions.

    Developer tools -> Actions and the automation editor ask for it; one
    integration that cannot load (a missing requirement) fails it whole.
    """
    services = await api.command({"type": "get_services"})
    if "dial" not in services.get(DOMAIN, {}):
        raise OnboardError(f"the action list lacks {DOMAIN}.dial: {sorted(services)}")
    descriptions = await api.command(
        {
            "type": "frontend/get_translations",
            "language": LANGUAGE,
            "category": "services",
        }
    )
    if not descriptions.get("resources"):
        raise OnboardError("the action list's descriptions did not load")
    print(f"The action list loads: {sum(map(len, services.values()))} actions")


async def add_dashboard(api: HomeAssistantApi, path: Path) -> None:
    """Add (or replace) the Phones dashboard, with the phones' device ids filled in."""
    devices = await api.command({"type": "config/device_registry/list"})
    ids = {
        device["name"]: device["id"]
        for device in devices
        if any(domain == DOMAIN for domain, _ in device["identifiers"])
    }

    def device_id(match: re.Match[str]) -> str:
        if match[1] not in ids:
            raise OnboardError(f"{path}: no device named {match[1]!r}")
        return ids[match[1]]

    config = yaml.safe_load(DEVICE_ID_OF.sub(device_id, path.read_text()))
    dashboards = await api.command({"type": "lovelace/dashboards/list"})
    if not any(item["url_path"] == DASHBOARD for item in dashboards):
        await api.command(
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD,
                "title": config.get("title", "Phones"),
                "icon": "mdi:phone-classic",
                "show_in_sidebar": True,
                "require_admin": False,
                "mode": "storage",
            }
        )
    await api.command(
        {"type": "lovelace/config/save", "url_path": DASHBOARD, "config": config}
    )
    print(f"Dashboard: {api.url.with_path(f'/{DASHBOARD}/phones')}")


async def add_automations(api: HomeAssistantApi) -> None:
    """Add automations made from the repository's blueprints, unless they exist.

    scripts/develop links the blueprints into the configuration folder, where
    importing them puts them.
    """
    devices = await api.command({"type": "config/device_registry/list"})
    ids = {
        device["name"]: device["id"]
        for device in devices
        if any(domain == DOMAIN for domain, _ in device["identifiers"])
    }

    def device_ids(names: str | list[str]) -> str | list[str]:
        # An entity id (switch.…) is used as it is.
        if isinstance(names, str):
            return names if "." in names else ids[names]
        return [ids[name] for name in names]

    for automation_id, alias, blueprint, inputs in EXAMPLE_AUTOMATIONS:
        path = f"/api/config/automation/config/{automation_id}"
        status, _ = await api.request("GET", path)
        if status == 200:
            continue
        try:
            resolved = {key: device_ids(names) for key, names in inputs.items()}
        except KeyError as err:
            print(f"warning: no phone {err} for {alias!r}", file=sys.stderr)
            continue
        await api.expect(
            "POST",
            path,
            json={
                "alias": alias,
                "use_blueprint": {"path": f"{DOMAIN}/{blueprint}", "input": resolved},
            },
        )
        print(f"Added the automation {alias!r}")


async def add_speed_dials(api: HomeAssistantApi) -> None:
    """Give phones the example speed dials, as Add speed dial does, unless they have them."""
    devices = await api.command({"type": "config/device_registry/list"})
    entries = {
        device["name"]: domain_id
        for device in devices
        for domain, domain_id in device["identifiers"]
        # A DECT base's handsets are devices of their own, under the base.
        if domain == DOMAIN
        and not (device.get("via_device_id") or device.get("parent_device_id"))
    }
    for phone, name, number in EXAMPLE_SPEED_DIALS:
        if (entry_id := entries.get(phone)) is None:
            print(
                f"warning: no phone {phone} for the speed dial {name}", file=sys.stderr
            )
            continue
        subentries = await api.command(
            {"type": "config_entries/subentries/list", "entry_id": entry_id}
        )
        if any(item["title"].casefold() == name.casefold() for item in subentries):
            continue
        flow = await api.expect(
            "POST",
            "/api/config/config_entries/subentries/flow",
            json={"handler": [entry_id, SPEED_DIAL]},
        )
        result = await api.expect(
            "POST",
            f"/api/config/config_entries/subentries/flow/{flow['flow_id']}",
            json={"name": name, "number": number},
        )
        if result.get("type") != "create_entry":
            raise OnboardError(f"the speed dial {name} was refused: {result}")
        print(f"Added the speed dial {name!r} ({number}) to {phone}")


async def remove_onboarding_entries(api: HomeAssistantApi) -> None:
    """Remove the integrations onboarding sets up for a new home.

    Finishing onboarding adds text-to-speech, a shopping list, weather and
    radio: Home Assistant runs here without installing their requirements,
    and the instance is about this integration.
    """
    for entry in await api.expect("GET", "/api/config/config_entries/entry"):
        if entry["source"] == "onboarding":
            await api.expect(
                "DELETE", f"/api/config/config_entries/entry/{entry['entry_id']}"
            )


async def run(args: argparse.Namespace) -> None:
    """Onboard, add the phones, and report the state of their entries."""
    phones = [Phone.parse(spec, args.passcode) for spec in args.phones]
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, args.url)
        try:
            await api.wait_until_listening(args.timeout)
            onboarded = await onboard(api, args.username, args.password)
            await api.wait_until_running(args.timeout)
            await listen_on_loopback(api)
            for phone in phones:
                await add_phone(api, phone)
            entries = await wait_for_entries(api, args.timeout)
            if onboarded:
                await remove_onboarding_entries(api)
            if args.push:
                await wire_push(api, phones)
            if args.dashboard:
                await add_dashboard(api, args.dashboard)
            if args.automations:
                await add_speed_dials(api)
                await add_automations(api)
                # A new speed dial sets its phone up again.
                entries = await wait_for_entries(api, args.timeout)
            await check_actions(api)
        finally:
            await api.log_out()
    for entry in entries:
        print(f"  {entry['title']}: {entry['state']}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8123")
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--passcode", required=True, help="CTI passcode of the phones")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="seconds to wait for each stage"
    )
    parser.add_argument(
        "--dashboard",
        type=Path,
        help="dashboard YAML to add as the Phones dashboard (DEVICE_ID_OF_<name> filled in)",
    )
    parser.add_argument(
        "--automations",
        action="store_true",
        help="add a speed dial and automations made from the repository's blueprints",
    )
    parser.add_argument(
        "--push",
        action="store_true",
        help="point desk phones' Action URLs at Home Assistant (simulators only)",
    )
    parser.add_argument(
        "phones", nargs="*", metavar="NAME=HOST:PORT", help="phones to add"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    try:
        asyncio.run(run(parse_args(argv)))
    except OnboardError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
