"""Helpers shared by the CTI client tests (tests/test_cti_*.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, HTTPServer
import json
from pathlib import Path
import threading
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, quote_plus

import aiohttp
from aiohttp import web

from custom_components.grandstream_cti.cti import Family, GrandstreamCti

from .common import self_signed_context
from .conftest import PASSCODE, TIMEOUT
from .simulator import PhoneSimulator


def cti_client(
    session: aiohttp.ClientSession,
    sim: PhoneSimulator | CannedPhone | TlsPhone,
    *,
    family: Family | None = None,
    passcode: str = PASSCODE,
    timeout: float = TIMEOUT,
    https: bool = False,
    verify_ssl: bool = True,
) -> GrandstreamCti:
    """Return a client for a simulated or canned phone."""
    return GrandstreamCti(
        sim.host,
        passcode,
        session=session,
        family=family,
        port=sim.port,
        https=https,
        verify_ssl=verify_ssl,
        timeout=timeout,
    )


def assert_chain_clean(err: BaseException, phone_port: int) -> None:
    """Assert no error in the chain holds the passcode or the URL it travels in."""
    forms = (PASSCODE, quote(PASSCODE, safe=""), quote_plus(PASSCODE))
    pending = [err]
    seen: set[int] = set()
    while pending:
        chained = pending.pop()
        if id(chained) in seen:
            continue
        seen.add(id(chained))
        for text in (str(chained), repr(chained), *map(str, chained.args)):
            assert not any(form in text for form in forms), text
            assert "cgi-bin" not in text, text
            assert f":{phone_port}/" not in text, text
        pending += [e for e in (chained.__cause__, chained.__context__) if e]


def family_of(sim: PhoneSimulator) -> Family:
    """Return the client's family for a simulated phone."""
    return Family(sim.family.lower())


type Sent = tuple[str, dict[str, str]]


def sent(sim: PhoneSimulator) -> list[Sent]:
    """Return the path and decoded query of every request the phone received."""
    assert all(request.method == "GET" for request in sim.requests)
    return [(request.path, request.params) for request in sim.requests]


def cgi(function: str, /, **params: str) -> Sent:
    """Return what a phone records for a CTI function called with the passcode."""
    return f"/cgi-bin/{function}", {"passcode": PASSCODE, **params}


type Answer = tuple[int, str]


@dataclass
class CannedPhone:
    """A web server with fixed answers, for what the simulator never says.

    Each function name maps to (status, body); any other path is a 404.
    """

    answers: dict[str, Answer] = field(default_factory=dict)
    host: str = "127.0.0.1"
    port: int = 0
    paths: list[str] = field(default_factory=list)
    _runner: web.ServerRunner | None = None

    @staticmethod
    def json(payload: object) -> Answer:
        """Return a 200 answer with a JSON body."""
        return 200, json.dumps(payload)

    async def _handle(self, request: web.BaseRequest) -> web.Response:
        """Answer from the table."""
        self.paths.append(request.path)
        status, body = self.answers.get(
            request.path.removeprefix("/cgi-bin/"), (404, "<h1>404 Not Found</h1>")
        )
        return web.Response(status=status, text=body, content_type="text/html")

    async def __aenter__(self) -> Self:
        """Start listening on a free port."""
        self._runner = web.ServerRunner(web.Server(self._handle, access_log=None))
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop listening."""
        assert self._runner is not None
        await self._runner.cleanup()


class _QuietHTTPServer(HTTPServer):
    """An HTTP server that keeps failed TLS handshakes out of the test output."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore the error: a refused certificate is the point of the test."""


class TlsPhone:
    """A phone serving one JSON answer over HTTPS with a self-signed certificate.

    It runs the standard library's server in a thread: a client refusing the
    certificate makes the server side fail its handshake, which aiohttp on the
    test's event loop would report as an uncaught error.
    """

    def __init__(self, tmp_path: Path, body: str) -> None:
        """Prepare the server on a free port of 127.0.0.1."""
        self.host = "127.0.0.1"
        self.paths: list[str] = []
        paths = self.paths
        payload = body.encode()

        class Handler(BaseHTTPRequestHandler):
            """Answer every GET with the payload."""

            def do_GET(self) -> None:
                """Record the path and answer."""
                paths.append(self.path.partition("?")[0])
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Log nothing: the query holds the passcode."""

        self._server = _QuietHTTPServer((self.host, 0), Handler)
        self._server.socket = self_signed_context(tmp_path).wrap_socket(
            self._server.socket, server_side=True
        )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), name="TlsPhone"
        )

    def __enter__(self) -> Self:
        """Start serving."""
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop serving and wait for the thread."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
