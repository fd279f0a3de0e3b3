"""Tests of the CTI client under faults and attack: latches, timeouts, caps, chains."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import gc
import logging
import threading
import tracemalloc
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

from custom_components.grandstream_cti.cti import (
    PROFILES,
    Family,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCommandRejectedError,
    GrandstreamConnectionError,
    GrandstreamCti,
    GrandstreamError,
    GrandstreamInvalidResponseError,
    PhoneStatus,
)
from custom_components.grandstream_cti.cti.client import MAX_ANSWER_BYTES
from custom_components.grandstream_cti.cti.errors import MAX_TEXT

from .conftest import PASSCODE
from .cti_helpers import assert_chain_clean, cti_client
from .simulator import PhoneSimulator
from .simulator.hostile import (
    Answer,
    RawPhone,
    chunked,
    fixed,
    hang,
    http,
    json_answer,
    passcode_check,
)

type Call = Callable[[GrandstreamCti], Awaitable[object]]

# Longest error message: 200 characters and an ellipsis.
MAX_MESSAGE = MAX_TEXT + 1
# The client's calls, reads and commands, as an integration makes them.
CALLS: dict[str, Call] = {
    "status": lambda client: client.get_phone_status(),
    "lines": lambda client: client.get_line_status(),
    "model": lambda client: client.get_phone_model(),
    "dial": lambda client: client.dial("1002"),
    "keys": lambda client: client.send_key("1"),
    "end": lambda client: client.phone_operation("endcall"),
    "reboot": lambda client: client.reboot(),
}


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log record, down to DEBUG."""
    caplog.set_level(logging.DEBUG)


def raw_client(
    session: aiohttp.ClientSession, phone: RawPhone, *, passcode: str = PASSCODE
) -> GrandstreamCti:
    """Return a GXP client for a raw phone."""
    return GrandstreamCti(
        phone.host,
        passcode,
        session=session,
        family=Family.GXP,
        port=phone.port,
        timeout=2,
    )


# ----- a refused passcode is never sent again


@pytest.mark.parametrize(
    ("model", "refusal"),
    [
        ("GXP2170", "http401"),
        ("GRP2616", "unauthorized"),
        ("GXP1628", "unauthorized"),
    ],
)
async def test_refused_passcode_is_never_sent_again(
    client: GrandstreamCti, simulator: PhoneSimulator, refusal: Any
) -> None:
    """After one refusal, every call fails at once and the phone hears nothing."""
    simulator.faults.auth = refusal
    with pytest.raises(GrandstreamAuthenticationError):
        await client.get_phone_status()
    assert client.passcode_refused
    simulator.faults.auth = None

    for name, call in CALLS.items():
        for _ in range(3):
            with pytest.raises(
                GrandstreamAuthenticationError, match="refused the passcode"
            ) as err:
                await call(client)
            assert len(simulator.requests) == 1, name
            assert_chain_clean(err.value, simulator.port)


async def test_requests_queued_behind_a_refusal_are_not_sent(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """Requests already waiting for their turn are not sent once one is refused."""
    simulator.faults.auth = "http401"
    simulator.faults.delay = 0.1

    results = await asyncio.gather(
        *(call(client) for call in CALLS.values()), return_exceptions=True
    )

    assert all(isinstance(result, GrandstreamAuthenticationError) for result in results)
    assert len(simulator.requests) == 1


async def test_new_client_starts_afresh(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """A new client, as made for a new passcode, sends again."""
    refused = cti_client(
        session, simulator, family=Family.GXP, passcode="wrong passcode"
    )
    with pytest.raises(GrandstreamAuthenticationError):
        await refused.get_phone_status()

    client = cti_client(session, simulator, family=Family.GXP)

    assert await client.get_phone_status() == PhoneStatus(status="available", misc="0")
    assert len(simulator.requests) == 2


@pytest.mark.parametrize(
    "setup",
    [
        {"cti_disabled": True},
        {"auth": "http403"},
        {"auth": "forbidden"},
    ],
)
async def test_access_denied_is_not_a_refused_passcode(
    client: GrandstreamCti, simulator: PhoneSimulator, setup: dict[str, Any]
) -> None:
    """A phone refusing CTI itself raises GrandstreamAccessDeniedError, and the client keeps asking."""
    for name, value in setup.items():
        setattr(simulator.faults, name, value)

    with pytest.raises(GrandstreamAccessDeniedError) as err:
        await client.get_phone_status()
    with pytest.raises(GrandstreamAccessDeniedError):
        await client.send_key("1")

    assert not isinstance(err.value, GrandstreamAuthenticationError)
    assert not client.passcode_refused
    assert_chain_clean(err.value, simulator.port)
    simulator.faults = type(simulator.faults)()
    assert await client.get_phone_status() == PhoneStatus(status="available", misc="0")
    assert len(simulator.requests) == 3


# ----- a hung or unreachable phone


async def test_commands_queued_on_a_hung_phone_fail_within_one_timeout(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """Ten commands waiting on a phone that never answers all end within one timeout."""
    client = cti_client(session, simulator, family=Family.GXP, timeout=0.5)
    simulator.faults.hang = True
    loop = asyncio.get_running_loop()
    start = loop.time()

    results = await asyncio.gather(
        *(client.phone_operation("endcall") for _ in range(10)),
        return_exceptions=True,
    )

    assert loop.time() - start < 1.0
    assert all(isinstance(result, GrandstreamConnectionError) for result in results), (
        results
    )
    # Only the first reached the phone; the others never got their turn.
    assert len(simulator.requests) == 1
    for result in results:
        assert isinstance(result, BaseException)
        assert_chain_clean(result, simulator.port)


async def test_commands_fail_fast_while_the_phone_is_unreachable(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """Once a request timed out, commands fail at once; reads still find the phone back."""
    client = cti_client(session, simulator, family=Family.GXP, timeout=0.5)
    simulator.faults.hang = True
    with pytest.raises(GrandstreamConnectionError):
        await client.get_phone_status()
    loop = asyncio.get_running_loop()

    for call in (CALLS["dial"], CALLS["keys"], CALLS["end"]):
        start = loop.time()
        with pytest.raises(GrandstreamConnectionError, match="is not answering") as err:
            await call(client)
        assert loop.time() - start < 0.1
        assert_chain_clean(err.value, simulator.port)
    assert len(simulator.requests) == 1

    # A read goes out and, answered, ends the outage for commands too.
    simulator.faults.hang = False
    assert await client.get_phone_status() == PhoneStatus(status="available", misc="0")
    await client.send_key("1")
    assert [request.function for request in simulator.requests[1:]] == [
        "api-get_phone_status",
        "api-send_key",
    ]


async def test_command_tries_again_after_a_timeout_without_news(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """A client nobody polls lets a command try the phone again after `timeout`."""
    client = cti_client(session, simulator, family=Family.GXP, timeout=0.3)
    await simulator.go_offline()
    with pytest.raises(GrandstreamConnectionError):
        await client.send_key("1")
    await simulator.go_online()
    with pytest.raises(GrandstreamConnectionError, match="is not answering"):
        await client.send_key("1")
    assert simulator.requests == []

    await asyncio.sleep(0.35)

    await client.send_key("1")
    assert [request.function for request in simulator.requests] == ["api-send_key"]


# ----- bounded answers


async def test_huge_chunked_answer_is_invalid_and_never_buffered(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """A 400 MB chunked answer stops after 64 KiB, with little memory used."""
    piece = b"x" * 16384
    answer = chunked(piece, 400 * 1024 * 1024, prefix=b'{"response":"success","body":"')
    async with RawPhone(answer) as phone:
        client = raw_client(session, phone)
        tracemalloc.start()
        try:
            with pytest.raises(
                GrandstreamInvalidResponseError, match="longer than"
            ) as err:
                await client.get_phone_status()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert peak < 1024 * 1024
    # The client stopped reading: the phone sent little more than its buffers hold.
    assert phone.sent_bytes < 16 * 1024 * 1024
    assert_chain_clean(err.value, phone.port)


async def test_announced_long_answer_is_not_read(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """A Content-Length over the cap is refused before reading the body."""
    body = b"x" * (MAX_ANSWER_BYTES + 1)
    async with RawPhone(fixed(http(body))) as phone:
        client = raw_client(session, phone)
        with pytest.raises(GrandstreamInvalidResponseError, match="longer than"):
            await client.get_phone_status()


@pytest.mark.parametrize("transfer", ["length", "chunked"])
async def test_answer_of_exactly_the_cap_is_read(
    socket_enabled: None, session: aiohttp.ClientSession, transfer: str
) -> None:
    """An answer of exactly 64 KiB is still an answer."""
    head = b'{"response":"success","body":"idle","misc":"'
    filler = MAX_ANSWER_BYTES - len(head) - 2
    body = head + b"0" * filler + b'"}'
    assert len(body) == MAX_ANSWER_BYTES
    answer: Answer = (
        fixed(http(body))
        if transfer == "length"
        else chunked(body[len(head) :], len(body) - len(head), prefix=head)
    )
    async with RawPhone(answer) as phone:
        client = raw_client(session, phone)
        status = await client.get_phone_status()

    assert status.status == "idle"


# ----- the phone's text is bounded


@pytest.mark.parametrize(
    ("payload", "error"),
    [
        ({"response": "error", "body": "E" * 60000}, GrandstreamCommandRejectedError),
        (
            {"response": "error", "body": {"why": ["E" * 100] * 500}},
            GrandstreamCommandRejectedError,
        ),
        ({"response": "E" * 60000}, GrandstreamInvalidResponseError),
        (
            {"response": "success", "body": [{"line": "E" * 60000}]},
            GrandstreamInvalidResponseError,
        ),
    ],
    ids=["error text", "error object", "response", "record"],
)
async def test_phone_text_in_errors_and_logs_is_cut(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    payload: object,
    error: type[GrandstreamError],
) -> None:
    """A long answer reaches error messages and logs cut to about 200 characters."""
    async with RawPhone(json_answer(payload)) as phone:
        client = raw_client(session, phone)
        with pytest.raises(error) as err:
            await client.get_line_status()

    assert_chain_clean(err.value, phone.port)
    assert "E" * 50 in str(err.value)
    assert len(str(err.value)) <= MAX_MESSAGE
    assert repr(err.value) == f"{type(err.value).__name__}({str(err.value)!r})"
    if isinstance(err.value, GrandstreamCommandRejectedError):
        assert len(str(err.value.body)) <= MAX_TEXT + 3
    assert "E" * MAX_TEXT not in caplog.text


# ----- whatever decoding throws


@pytest.mark.parametrize(
    "body",
    [
        # Neither JSON nor UTF-8.
        b"\xff\xfe\x00{\x80",
        # Valid UTF-8 JSON but not an object.
        b'"success"',
        b"[" * 30000 + b"]" * 30000,
        # Numbers too long for int().
        b'{"response":"success","body":[{"line":"' + b"9" * 5000 + b'"}]}',
        b'{"response":"success","body":[{"line":' + b"9" * 5000 + b"}]}",
        # Deeply nested where a record should be.
        b'{"response":"success","body":' + b"[" * 20000 + b"]" * 20000 + b"}",
    ],
    ids=["not utf-8", "not an object", "nested", "long text", "long number", "deep"],
)
async def test_undecodable_answers_are_invalid_responses(
    socket_enabled: None, session: aiohttp.ClientSession, body: bytes
) -> None:
    """Whatever the decoder or parser throws becomes GrandstreamInvalidResponseError."""
    async with RawPhone(fixed(http(body))) as phone:
        client = raw_client(session, phone)
        with pytest.raises(GrandstreamInvalidResponseError) as err:
            await client.get_line_status()

    assert_chain_clean(err.value, phone.port)


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 30000 + b"]" * 30000,
        b'{"response":"error","body":' + b"[" * 30000 + b"]" * 30000 + b"}",
    ],
    ids=["json", "error body"],
)
async def test_recursion_error_is_an_invalid_response(
    socket_enabled: None, body: bytes
) -> None:
    """On a small stack, deep JSON raises RecursionError: still GrandstreamInvalidResponseError."""
    async with RawPhone(fixed(http(body))) as phone:
        outcome: list[BaseException | object] = []

        async def read() -> None:
            async with raw_client_without_session(phone) as client:
                try:
                    outcome.append(await client.get_line_status())
                except GrandstreamError as err:
                    outcome.append(err)

        # An executor thread's stack: small enough for 30000 brackets to overflow.
        threading.stack_size(512 * 1024)
        try:
            thread = threading.Thread(target=asyncio.run, args=(read(),))
            thread.start()
        finally:
            threading.stack_size(0)
        await asyncio.get_running_loop().run_in_executor(None, thread.join)

    [err] = outcome
    assert isinstance(err, GrandstreamInvalidResponseError)
    assert "RecursionError" in str(err)
    assert_chain_clean(err, phone.port)


def raw_client_without_session(phone: RawPhone) -> GrandstreamCti:
    """Return a client that makes and owns its session."""
    return GrandstreamCti(phone.host, PASSCODE, family=Family.GXP, port=phone.port)


# ----- malformed HTTP and chained errors


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (fixed(b"NOT HTTP AT ALL\r\n\r\n"), GrandstreamInvalidResponseError),
        (
            fixed(b"HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n{}"),
            GrandstreamInvalidResponseError,
        ),
        (
            fixed(b"HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\n{}"),
            GrandstreamInvalidResponseError,
        ),
        (
            fixed(b"HTTP/1.1 200 OK\r\nX: " + b"a" * 20000 + b"\r\n\r\n"),
            GrandstreamInvalidResponseError,
        ),
        (
            fixed(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
            GrandstreamInvalidResponseError,
        ),
        # The connection ends before the announced body.
        (
            fixed(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}"),
            GrandstreamInvalidResponseError,
        ),
        (fixed(b""), GrandstreamConnectionError),
        (hang(), GrandstreamConnectionError),
    ],
    ids=[
        "not http",
        "bad length",
        "bad status",
        "long header",
        "bad chunk",
        "short body",
        "nothing",
        "hang",
    ],
)
async def test_malformed_http_keeps_no_url_in_the_chain(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    answer: Answer,
    error: type[GrandstreamError],
    request: pytest.FixtureRequest,
) -> None:
    """A garbled answer is an error whose chain holds no URL and no passcode."""
    request_id = request.node.name
    async with RawPhone(answer) as phone:
        client = GrandstreamCti(
            phone.host,
            PASSCODE,
            session=session,
            family=Family.GXP,
            port=phone.port,
            timeout=0.5,
        )
        with pytest.raises(error) as err:
            await client.send_key("1")

    # aiohttp itself sends a GET once more when the connection closes unanswered.
    assert len(phone.requests) == (2 if request_id.endswith("[nothing]") else 1)
    assert_chain_clean(err.value, phone.port)
    assert PASSCODE not in caplog.text
    assert quote(PASSCODE, safe="") not in caplog.text


# ----- how values are encoded


@pytest.mark.parametrize("passcode", ["my pass word", "a+b c", " lead&trail "])
@pytest.mark.parametrize("plus_is_space", [True, False])
async def test_passcode_with_spaces_whichever_way_the_phone_decodes(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    passcode: str,
    plus_is_space: bool,
) -> None:
    """Spaces travel as %20, so phones reading "+" as a space or as "+" agree."""
    async with RawPhone(passcode_check(passcode, plus_is_space=plus_is_space)) as phone:
        client = raw_client(session, phone, passcode=passcode)
        status = await client.get_phone_status()

    assert status.status == "idle"
    [request] = phone.requests
    assert "+" not in request.raw_query
    assert "%20" in request.raw_query


async def test_values_use_percent_twenty_at_the_simulator(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """The simulated phone, which reads "+" as a space, gets %20 and the same value."""
    passcode = "my pass+word"
    async with PhoneSimulator("GRP2616", passcode=passcode) as simulator:
        client = cti_client(session, simulator, family=Family.GRP, passcode=passcode)
        await client.make_call("+49 30 1234")

    [request] = simulator.requests
    assert request.params["passcode"] == passcode
    assert request.params["phonenumber"] == "+49 30 1234"
    assert "%20" in request.raw_query
    assert "+" not in request.raw_query


# ----- the client as a library


async def test_client_makes_and_closes_its_own_session(
    simulator: PhoneSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Without a session the client makes one and closes it at the end of `async with`."""
    async with GrandstreamCti(
        simulator.host, PASSCODE, family=Family.GXP, port=simulator.port
    ) as client:
        assert await client.get_phone_status() == PhoneStatus(
            status="available", misc="0"
        )
    await client.close()
    gc.collect()
    await asyncio.sleep(0)

    assert "Unclosed client session" not in caplog.text


async def test_given_session_stays_open(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """A session given to the client is the caller's: close() leaves it open."""
    async with cti_client(session, simulator, family=Family.GXP) as client:
        await client.get_phone_status()

    assert not session.closed
    assert await client.get_phone_status() == PhoneStatus(status="available", misc="0")


# ----- answers bounded by what the family can have

# As many records as the simulator's answers hold within MAX_ANSWER_BYTES.
MANY = 600


@pytest.mark.parametrize(
    ("model", "simulator_options", "read", "limit"),
    [
        (
            "GXP2170",
            {"line_count": MANY},
            lambda client: client.get_line_status(),
            PROFILES[Family.GXP].lines,
        ),
        (
            "GRP2616",
            {"account_count": MANY},
            lambda client: client.get_accounts(),
            PROFILES[Family.GRP].accounts,
        ),
        (
            "DP750",
            {"line_count": MANY},
            lambda client: client.get_handset_line_status(1),
            PROFILES[Family.DP].handset_lines,
        ),
    ],
    ids=["lines", "accounts", "handset lines"],
)
async def test_answers_are_cut_to_what_the_family_can_have(
    client: GrandstreamCti,
    caplog: pytest.LogCaptureFixture,
    read: Call,
    limit: int,
) -> None:
    """A phone reporting hundreds of items gets the family's most; logged once."""
    first = await read(client)
    second = await read(client)

    assert isinstance(first, tuple)
    assert len(first) == limit
    assert second == first
    # The client's own: a loaded machine adds asyncio's slow-callback warnings.
    warnings = [
        r
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name.endswith(".cti.client")
    ]
    assert len(warnings) == 1
    assert str(MANY) in warnings[0].getMessage()
    assert PASSCODE not in caplog.text


async def test_thousands_of_lines_are_cut(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """3,000 lines, short enough to fit the answer cap, become the family's most."""
    body = [{"line": number} for number in range(1, 3001)]
    async with RawPhone(json_answer({"response": "success", "body": body})) as phone:
        client = raw_client(session, phone)

        lines = await client.get_line_status()

    assert [line.line for line in lines] == list(
        range(1, PROFILES[Family.GXP].lines + 1)
    )
    assert "3000 lines" in caplog.text


@pytest.mark.parametrize(
    "answer",
    [
        "GXP2170" + "A" * 300,
        "GXP2170\r\nX-Injected: 1",
        "GXP2170 <img src=x onerror=alert(1)>",
        "\u202egxp2170",
    ],
)
async def test_model_that_is_not_a_model_name_is_none(
    socket_enabled: None, session: aiohttp.ClientSession, answer: str
) -> None:
    """A model query answer that does not look like a model name is no model."""
    async with RawPhone(json_answer({"body": {"phone_model": answer}})) as phone:
        client = raw_client(session, phone)

        assert await client.get_phone_model() is None
