"""Take a screenshot of a page of the running development instance.

Needs scripts/develop running, and Chromium: without one on the PATH (or
--chromium), it runs scripts/setup-chromium first, which installs Debian's.
Logs in as the development user, hands the tokens to the frontend as its login
page would, opens the page in headless Chromium and saves a PNG once the page
shows the text given with --wait-for:

    .venv/bin/python scripts/screenshot.py --device GXP2170 docs/device-page.png
    .venv/bin/python scripts/screenshot.py --page /grandstream-phones/phones \
        --wait-for "Reception (GXP2170)" docs/dashboard.png

docs/make-screenshots sets the phones up and retakes every screenshot of the
README.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
from collections.abc import Sequence
import contextlib
import itertools
import json
import os
from pathlib import Path
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp
from onboard import DEVICE_ID_OF, DOMAIN, HomeAssistantApi, OnboardError

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)
# The text of the page, shadow roots included: the frontend is web components.
PAGE_TEXT = """
(() => {
  const parts = [];
  const walk = (node) => {
    if (node.shadowRoot) walk(node.shadowRoot);
    for (const child of node.children ?? []) walk(child);
    if (node.children?.length === 0) parts.push(node.textContent);
  };
  walk(document.documentElement);
  return parts.join("\\n");
})()
"""


class Page:
    """A page of headless Chromium, driven over the DevTools protocol."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        """Drive the page through its DevTools WebSocket."""
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command and return its result, skipping events in between."""
        message_id = next(self._ids)
        await self._socket.send_json(
            {"id": message_id, "method": method, "params": params}
        )
        while True:
            message = await self._socket.receive_json()
            if message.get("id") == message_id:
                if "error" in message:
                    raise OnboardError(f"{method}: {message['error']}")
                result: dict[str, Any] = message["result"]
                return result

    async def evaluate(self, expression: str) -> Any:
        """Return the value of a JavaScript expression."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True
        )
        return result["result"].get("value")

    async def load(self, url: str, timeout: float) -> None:
        """Navigate to `url` and wait until the document has loaded."""
        await self.call("Page.navigate", url=url)
        # Until the new document replaces the old one, the old one answers.
        # The frontend may add a query (?historyBack=1) or a trailing part.
        loaded = (
            f"location.href.startsWith({json.dumps(url)})"
            " && document.readyState === 'complete'"
        )
        deadline = time.monotonic() + timeout
        while not await self.evaluate(loaded):
            if time.monotonic() > deadline:
                where = await self.evaluate("location.href")
                raise OnboardError(f"{url} did not load; the browser is at {where}")
            await asyncio.sleep(0.1)

    async def wait_for_text(self, text: str, timeout: float) -> bool:
        """Wait until the page shows `text`; return whether it did in time."""
        deadline = time.monotonic() + timeout
        while text not in (await self.evaluate(PAGE_TEXT) or ""):
            if time.monotonic() > deadline:
                return False
            await asyncio.sleep(0.5)
        return True


async def device_id(api: HomeAssistantApi, name: str) -> str:
    """Return the id of the integration's device with this name."""
    template = (
        f"{{{{ integration_entities({json.dumps(DOMAIN)}) | map('device_id') | unique"
        f" | select('is_device_attr', 'name', {json.dumps(name)}) | first }}}}"
    )
    found = await api.expect("POST", "/api/template", json={"template": template})
    if not found:
        raise OnboardError(f"no device named {name!r}")
    return str(found)


async def fill_device_ids(api: HomeAssistantApi, text: str) -> str:
    """Replace each DEVICE_ID_OF_<name> by the id of the device of that name."""
    for name in set(DEVICE_ID_OF.findall(text)):
        text = text.replace(f"DEVICE_ID_OF_{name}", await device_id(api, name))
    return text


async def devtools_url(profile: Path, timeout: float) -> str:
    """Return the DevTools address Chromium writes into its profile."""
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while not port_file.exists() or not port_file.read_text().strip():
        if time.monotonic() > deadline:
            raise OnboardError("Chromium did not start its DevTools server")
        await asyncio.sleep(0.1)
    return f"http://127.0.0.1:{port_file.read_text().split()[0]}"


async def capture(api: HomeAssistantApi, path: str, args: argparse.Namespace) -> None:
    """Open `path` in headless Chromium, logged in, and save a screenshot."""
    # The frontend keeps its login in localStorage, in this shape.
    tokens = {
        "access_token": api.access_token,
        "refresh_token": api.refresh_token,
        "token_type": "Bearer",
        "expires_in": 1800,
        "expires": int(time.time() + 1800) * 1000,
        "hassUrl": str(api.url),
        "clientId": api.client_id,
    }
    # Chromium's helper processes may still write to the profile as it goes.
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
        browser = await asyncio.create_subprocess_exec(
            args.chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
            # A process group of its own, to stop its helper processes with it.
            start_new_session=True,
        )
        try:
            devtools = await devtools_url(Path(profile), args.timeout)
            async with api.session.get(f"{devtools}/json/list") as response:
                targets = await response.json()
            socket_url = next(
                target["webSocketDebuggerUrl"]
                for target in targets
                if target["type"] == "page"
            )
            async with api.session.ws_connect(socket_url, max_msg_size=0) as socket:
                page = Page(socket)
                await page.call(
                    "Emulation.setDeviceMetricsOverride",
                    width=args.width,
                    height=args.height,
                    deviceScaleFactor=1,
                    mobile=False,
                )
                # Store the login from a page of the same origin that is not
                # the app, then open the app.
                await page.load(str(api.url.with_path("/manifest.json")), args.timeout)
                storage = {"hassTokens": json.dumps(tokens), **dict(args.storage)}
                for key, value in storage.items():
                    await page.evaluate(
                        f"localStorage.setItem({json.dumps(key)}, {json.dumps(value)})"
                    )
                await page.load(str(api.url.with_path(path)), args.timeout)
                shown = await page.wait_for_text(args.wait_for, args.timeout)
                # Let icons, the activity list and animations settle.
                await asyncio.sleep(3)
                shot = await page.call("Page.captureScreenshot", format="png")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(browser.pid, signal.SIGTERM)
            await browser.wait()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(base64.b64decode(shot["data"]))
    if not shown:
        raise OnboardError(
            f"the page did not show {args.wait_for!r}; {args.output} shows what it did"
        )


async def run(args: argparse.Namespace) -> None:
    """Log in, find the device and take the screenshot."""
    async with aiohttp.ClientSession() as session:
        api = HomeAssistantApi(session, args.url)
        try:
            await api.log_in(args.username, args.password)
            if args.page is None:
                args.page = (
                    f"/config/devices/device/{await device_id(api, args.device)}"
                )
            args.storage = [
                (key, await fill_device_ids(api, value)) for key, value in args.storage
            ]
            await capture(api, args.page, args)
        finally:
            await api.log_out()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="PNG file to write")
    parser.add_argument("--url", default="http://127.0.0.1:8123")
    parser.add_argument("--username", default="dev")
    parser.add_argument("--password", default="grandstream-dev")
    parser.add_argument("--device", default="GXP2170", help="device to show")
    parser.add_argument(
        "--page", help="frontend path to show instead, e.g. /developer-tools/action"
    )
    parser.add_argument(
        "--wait-for",
        default="Phone status",
        help="text the page must show before the screenshot",
    )
    parser.add_argument(
        "--storage",
        action="append",
        default=[],
        type=lambda item: tuple(item.split("=", 1)),
        metavar="KEY=VALUE",
        help=(
            "put this in the frontend's localStorage first (the state of a panel);"
            " DEVICE_ID_OF_<name> in VALUE becomes that device's id"
        ),
    )
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1200)
    parser.add_argument("--chromium", help="Chromium to run (default: chromium)")
    parser.add_argument("--timeout", type=float, default=60.0)
    return parser.parse_args(argv)


def find_chromium() -> str:
    """Return the Chromium on the PATH, installing Debian's first if there is none."""
    if chromium := shutil.which("chromium"):
        return chromium
    setup = Path(__file__).with_name("setup-chromium")
    if subprocess.run([setup], check=False).returncode != 0:  # noqa: S603
        raise OnboardError("no Chromium: install one or pass --chromium PATH")
    return shutil.which("chromium") or "chromium"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line."""
    args = parse_args(argv)
    try:
        args.chromium = args.chromium or find_chromium()
        asyncio.run(run(args))
    except OnboardError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"Saved {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
