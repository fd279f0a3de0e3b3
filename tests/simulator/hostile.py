"""A phone that answers with raw bytes: what no firmware should send, but a hostile host can."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
import json
from types import TracebackType
from typing import Self
from urllib.parse import unquote, unquote_plus, urlsplit

# How long a connection may take to send its request head.
_HEAD_TIMEOUT = 5.0


@dataclass(frozen=True, slots=True)
class RawRequest:
    """One request head as the phone received it."""

    path: str
    # The query string exactly as sent, still percent-encoded.
    raw_query: str

    def params(self, *, plus_is_space: bool) -> dict[str, str]:
        """Return the query decoded one way or the other; the first value wins."""
        unquote_value = unquote_plus if plus_is_space else unquote
        params: dict[str, str] = {}
        for pair in self.raw_query.split("&"):
            name, _, value = pair.partition("=")
            params.setdefault(unquote_value(name), unquote_value(value))
        return params


type Answer = Callable[[RawRequest], AsyncIterator[bytes]]


def http(body: bytes, status: str = "200 OK", headers: str = "") -> bytes:
    """Return a complete HTTP/1.1 answer with a Content-Length."""
    return (
        f"HTTP/1.1 {status}\r\nContent-Type: text/html\r\n{headers}"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode() + body


def fixed(data: bytes) -> Answer:
    """Answer every request with the same bytes."""

    async def answer(request: RawRequest) -> AsyncIterator[bytes]:
        yield data

    return answer


def json_answer(payload: object) -> Answer:
    """Answer every request with a JSON document."""
    return fixed(http(json.dumps(payload).encode()))


def chunked(piece: bytes, total: int, *, prefix: bytes = b"") -> Answer:
    """Answer with a chunked body of `prefix` and then `piece` again and again."""

    async def answer(request: RawRequest) -> AsyncIterator[bytes]:
        yield b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        sent = 0
        if prefix:
            yield b"%x\r\n%s\r\n" % (len(prefix), prefix)
            sent += len(prefix)
        while sent < total:
            yield b"%x\r\n%s\r\n" % (len(piece), piece)
            sent += len(piece)
        yield b"0\r\n\r\n"

    return answer


def hang() -> Answer:
    """Accept the request and never answer."""

    async def answer(request: RawRequest) -> AsyncIterator[bytes]:
        await asyncio.get_running_loop().create_future()
        yield b""  # pragma: no cover - never reached

    return answer


def passcode_check(passcode: str, *, plus_is_space: bool) -> Answer:
    """Answer like a phone that decodes "+" in a query as a space, or not."""

    async def answer(request: RawRequest) -> AsyncIterator[bytes]:
        given = request.params(plus_is_space=plus_is_space).get("passcode")
        body = "idle" if given == passcode else "unauthorized"
        yield http(json.dumps({"response": "success", "body": body}).encode())

    return answer


class RawPhone:
    """A TCP server answering every HTTP request with what `answer` yields."""

    def __init__(self, answer: Answer, *, host: str = "127.0.0.1", port: int = 0):
        """Prepare the server; use `async with` to listen."""
        self.answer = answer
        self.host = host
        self.port = port
        self.requests: list[RawRequest] = []
        # Bytes the client took before it stopped reading.
        self.sent_bytes = 0
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        """Read one request head and write the answer until it ends or the client leaves."""
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with asyncio.timeout(_HEAD_TIMEOUT):
                head = await reader.readuntil(b"\r\n\r\n")
            target = head.split(b"\r\n", 1)[0].split(b" ")[1].decode("latin-1")
            parts = urlsplit(target)
            request = RawRequest(path=parts.path, raw_query=parts.query)
            self.requests.append(request)
            async for data in self.answer(request):
                writer.write(data)
                await writer.drain()
                self.sent_bytes += len(data)
        except OSError, asyncio.IncompleteReadError, TimeoutError:
            pass
        finally:
            self._tasks.discard(task)
            writer.close()

    async def __aenter__(self) -> Self:
        """Listen on the port (a free one for 0); reuse a port a phone just left."""
        self._server = await asyncio.start_server(
            self._serve, self.host, self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop listening and drop every connection."""
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
