"""Action URL: the phone requests configured URLs on its events, quirks and all."""

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
import re

import aiohttp
from yarl import URL

# Settings -> Outbound Notification -> Action URL keeps no longer value: a
# longer URL is as good as none (Action URL field reports).
MAX_URL_LENGTH = 256
# The simulated events that are Action URL events, named as _emit names them.
EVENTS = (
    "setup_completed",
    "registered",
    "unregistered",
    "off_hook",
    "on_hook",
    "incoming_call",
    "outgoing_call",
    "missed_call",
    "established_call",
    "terminated_call",
    "rejected_call",
    "dnd_on",
    "dnd_off",
    "hold",
    "unhold",
)
# Grandstream's variables: $mac, $remote, $display_remote, $call-id, ...
_VARIABLE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_-]*)")
# The phone gives up on a URL that does not answer.
_TIMEOUT = aiohttp.ClientTimeout(total=5)


@dataclass(frozen=True, slots=True)
class ActionUrlRequest:
    """One Action URL the phone requested."""

    event: str
    # As sent: variables filled in raw.
    url: str
    # The HTTP status of the answer; None when nothing answered.
    status: int | None


def fill(template: str, values: Mapping[str, str]) -> str:
    """Fill in a URL as the phone does: raw, unencoded, `$name` left when empty."""
    url = _VARIABLE.sub(lambda match: values.get(match[1]) or match[0], template)
    # The guides' examples have no scheme: the phone then speaks plain HTTP.
    return url if "://" in url else f"http://{url}"


def templates_for(base: str) -> dict[str, str]:
    """Return a URL for every event that calls one base URL (the CLI's option)."""
    query = (
        "mac=$mac&local=$local&user=$active_user"
        "&remote=$remote&call=$call-id&name=$display_remote"
    )
    return {event: f"{base}?event={event}&{query}" for event in EVENTS}


class ActionUrlSender:
    """Request Action URLs one after the other, in the order the events happened."""

    def __init__(self) -> None:
        """Start with nothing to send."""
        self.requests: list[ActionUrlRequest] = []
        self._queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    def send(self, event: str, url: str) -> None:
        """Queue a request; it is sent in the background."""
        self._queue.put_nowait((event, url))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(
                self._send_queued(), name="action url"
            )

    async def wait(self) -> None:
        """Return once every queued request has been answered or failed."""
        while self._worker is not None and not self._worker.done():
            await asyncio.wait([self._worker])

    async def close(self) -> None:
        """Drop what is still queued and close the connections."""
        if self._worker is not None:
            self._worker.cancel()
            await asyncio.wait([self._worker])
            self._worker = None
        while not self._queue.empty():
            self._queue.get_nowait()
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _send_queued(self) -> None:
        """Send the queued requests."""
        while not self._queue.empty():
            event, url = self._queue.get_nowait()
            self.requests.append(ActionUrlRequest(event, url, await self._get(url)))

    async def _get(self, url: str) -> int | None:
        """GET a URL as it is, raw characters included; return the status."""
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=_TIMEOUT)
        try:
            # encoded=True: yarl would otherwise percent-encode what the phone
            # sends raw (spaces, non-ASCII letters).
            async with self._session.get(URL(url, encoded=True)) as response:
                await response.read()
                return response.status
        except aiohttp.ClientError, OSError, TimeoutError, ValueError:
            return None
