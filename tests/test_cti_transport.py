"""Tests of the CTI client's transport: faults, secrecy, encoding, concurrency, TLS."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
import logging
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import aiohttp
import pytest

from custom_components.grandstream_cti.cti import (
    Family,
    Function,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCertificateError,
    GrandstreamCommandRejectedError,
    GrandstreamConnectionError,
    GrandstreamCti,
    GrandstreamError,
    GrandstreamInvalidInputError,
    GrandstreamInvalidResponseError,
    GrandstreamUnsupportedError,
    PhoneStatus,
)

from .conftest import PASSCODE
from .cti_helpers import CannedPhone, TlsPhone, cgi, cti_client, family_of, sent
from .simulator import PhoneSimulator

# Every form the passcode could leak in: as typed and percent-encoded.
PASSCODE_FORMS = (PASSCODE, quote(PASSCODE, safe=""), quote_plus(PASSCODE))

type Call = Callable[[GrandstreamCti], Awaitable[object]]
type SimHook = Callable[[PhoneSimulator], object]


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Capture every log record, down to DEBUG."""
    caplog.set_level(logging.DEBUG)


def assert_secret(*texts: str) -> None:
    """Assert the passcode appears in none of the texts."""
    for text in texts:
        for form in PASSCODE_FORMS:
            assert form not in text


def assert_clean_error(err: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    """Assert an error and the logs keep the passcode to themselves."""
    assert_secret(str(err), repr(err), caplog.text)
    assert_secret(*(str(arg) for arg in err.args))


def get_phone_status(client: GrandstreamCti) -> Awaitable[object]:
    """Call the cheapest status function."""
    return client.get_phone_status()


def all_lines(state: str) -> SimHook:
    """Return a set-up putting every line of a desk phone in a state."""

    def setup(sim: PhoneSimulator) -> None:
        for line in sim.lines:
            sim.set_line_state(line.number, state, number="1002")

    return setup


def faults(**changes: Any) -> SimHook:
    """Return a set-up switching on simulator faults."""

    def setup(sim: PhoneSimulator) -> None:
        for name, value in changes.items():
            setattr(sim.faults, name, value)

    return setup


def wrong_passcode(sim: PhoneSimulator) -> None:
    """Give the phone another passcode than the client's."""
    sim.passcode = "another"


@pytest.mark.parametrize(
    ("model", "setup", "call", "error", "body"),
    [
        # The four refusals seen on phones: 401/403 HTML, 200 with a refusal body.
        (
            "GXP2170",
            wrong_passcode,
            get_phone_status,
            GrandstreamAuthenticationError,
            None,
        ),
        (
            "GRP2616",
            wrong_passcode,
            get_phone_status,
            GrandstreamAuthenticationError,
            None,
        ),
        (
            "GXP1628",
            faults(auth="http401"),
            get_phone_status,
            GrandstreamAuthenticationError,
            None,
        ),
        (
            "GSC3516",
            faults(auth="unauthorized"),
            get_phone_status,
            GrandstreamAuthenticationError,
            None,
        ),
        (
            "GXP2170",
            faults(auth="http403"),
            get_phone_status,
            GrandstreamAccessDeniedError,
            None,
        ),
        (
            "GRP2616",
            faults(auth="forbidden"),
            get_phone_status,
            GrandstreamAccessDeniedError,
            None,
        ),
        # Action URI support off, or this host not in the allowed list.
        (
            "GXP2170",
            faults(cti_disabled=True),
            get_phone_status,
            GrandstreamAccessDeniedError,
            None,
        ),
        (
            "GXP2170",
            faults(http_500=True),
            get_phone_status,
            GrandstreamInvalidResponseError,
            None,
        ),
        (
            "GRP2616",
            faults(non_json=True),
            get_phone_status,
            GrandstreamInvalidResponseError,
            None,
        ),
        (
            "GSC3516",
            faults(truncated=True),
            get_phone_status,
            GrandstreamInvalidResponseError,
            None,
        ),
        (
            "DP750",
            faults(truncated=True),
            lambda c: c.get_handset_status(1),
            GrandstreamInvalidResponseError,
            None,
        ),
        (
            "GXP2170",
            faults(command_errors={"api-get_phone_status": "failed"}),
            get_phone_status,
            GrandstreamCommandRejectedError,
            "failed",
        ),
        (
            "GXP2170",
            faults(command_errors={"endcall": "unknown"}),
            lambda c: c.phone_operation("endcall"),
            GrandstreamCommandRejectedError,
            "unknown",
        ),
        (
            "DP750",
            faults(command_errors={"HASH": False}),
            lambda c: c.send_key("1:#", handset=1),
            GrandstreamCommandRejectedError,
            False,
        ),
        (
            "GSC3516",
            faults(command_errors={"REBOOT": "unknown"}),
            lambda c: c.reboot(),
            GrandstreamCommandRejectedError,
            "unknown",
        ),
        # make_call refusals: "Invalid Request" without a registered account...
        (
            "GRP2616",
            lambda sim: [sim.set_registered(n, False) for n in (1, 2)],
            lambda c: c.make_call("1003"),
            GrandstreamCommandRejectedError,
            "Invalid Request",
        ),
        # ... and a success carrying code 8 when every line is in use.
        (
            "GRP2616",
            all_lines("connected"),
            lambda c: c.make_call("1003"),
            GrandstreamCommandRejectedError,
            {"code": 8},
        ),
    ],
)
async def test_phone_errors(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    caplog: pytest.LogCaptureFixture,
    setup: SimHook,
    call: Call,
    error: type[GrandstreamError],
    body: object,
) -> None:
    """Each misbehaviour maps to its error after exactly one request."""
    setup(simulator)

    with pytest.raises(error) as err:
        await call(client)

    # Never retried: a rejected passcode may count toward a lockout.
    assert len(simulator.requests) == 1
    assert_clean_error(err.value, caplog)
    if error is GrandstreamAuthenticationError:
        assert not isinstance(err.value, GrandstreamAccessDeniedError)
    if isinstance(err.value, GrandstreamCommandRejectedError):
        assert err.value.body == body


@pytest.mark.parametrize(
    ("answer", "error", "body"),
    [
        # Some firmwares report a refused command as a success with this body.
        (
            CannedPhone.json({"response": "success", "body": "invalid request"}),
            GrandstreamCommandRejectedError,
            "invalid request",
        ),
        # code 2: the number does not match the dial plan.
        (
            CannedPhone.json({"response": "success", "body": True, "code": 2}),
            GrandstreamCommandRejectedError,
            {"code": 2},
        ),
        (
            CannedPhone.json({"response": "success", "body": True, "code": "8"}),
            GrandstreamCommandRejectedError,
            {"code": 8},
        ),
        (CannedPhone.json({"response": "busy"}), GrandstreamInvalidResponseError, None),
        ((502, "<h1>Bad Gateway</h1>"), GrandstreamInvalidResponseError, None),
    ],
)
async def test_make_call_answers(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    caplog: pytest.LogCaptureFixture,
    answer: tuple[int, str],
    error: type[GrandstreamError],
    body: object,
) -> None:
    """make_call answers the simulator does not give map to errors too."""
    async with CannedPhone({"api-make_call": answer}) as phone:
        client = cti_client(session, phone, family=Family.GRP)

        with pytest.raises(error) as err:
            await client.make_call("1003")

    assert phone.paths == ["/cgi-bin/api-make_call"]
    assert_clean_error(err.value, caplog)
    if isinstance(err.value, GrandstreamCommandRejectedError):
        assert err.value.body == body


@pytest.mark.parametrize(
    "answer",
    [
        CannedPhone.json({"response": "success", "body": True}),
        CannedPhone.json({"response": "success", "body": True, "code": 0}),
    ],
)
async def test_make_call_success_code(
    socket_enabled: None, session: aiohttp.ClientSession, answer: tuple[int, str]
) -> None:
    """A success without a code, or with code 0, is a placed call."""
    async with CannedPhone({"api-make_call": answer}) as phone:
        client = cti_client(session, phone, family=Family.GSC)

        await client.make_call("1003")


async def test_unknown_function(
    session: aiohttp.ClientSession,
    simulator: PhoneSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A function the phone does not know (HTTP 404) raises GrandstreamUnsupportedError."""
    client = cti_client(session, simulator)

    with pytest.raises(GrandstreamUnsupportedError) as err:
        await client.get_music()

    assert sent(simulator) == [cgi(Function.GET_MUSIC)]
    assert_clean_error(err.value, caplog)


def assert_from_none(err: BaseException) -> None:
    """Assert a transport error keeps no aiohttp error, which has the URL."""
    assert err.__cause__ is None
    assert err.__context__ is None


async def test_hanging_phone_times_out(
    session: aiohttp.ClientSession,
    simulator: PhoneSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A phone that never answers raises GrandstreamConnectionError after the client's timeout."""
    client = cti_client(session, simulator, family=family_of(simulator), timeout=0.3)
    simulator.faults.hang = True
    loop = asyncio.get_running_loop()
    start = loop.time()

    with pytest.raises(GrandstreamConnectionError) as err:
        await client.get_phone_status()

    assert 0.3 <= loop.time() - start < 3
    assert not isinstance(err.value, GrandstreamCertificateError)
    assert len(simulator.requests) == 1
    assert_from_none(err.value)
    assert_clean_error(err.value, caplog)


async def test_slow_phone_within_timeout(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """A slow answer that arrives within the timeout is a normal answer."""
    client = cti_client(session, simulator, family=family_of(simulator), timeout=2)
    simulator.faults.delay = 0.3

    assert await client.get_phone_status() == PhoneStatus(status="available", misc="0")


async def test_offline_phone(
    session: aiohttp.ClientSession,
    simulator: PhoneSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A phone that is off the network raises GrandstreamConnectionError, and recovers."""
    client = cti_client(session, simulator, family=family_of(simulator))
    await client.get_phone_status()
    await simulator.go_offline()

    with pytest.raises(GrandstreamConnectionError) as err:
        await client.get_phone_status()

    assert_from_none(err.value)
    assert_clean_error(err.value, caplog)

    await simulator.go_online()
    assert await client.get_phone_status() == PhoneStatus(status="available", misc="0")


# ----- encoding and secrecy


@pytest.mark.parametrize("model", ["GRP2616"])
@pytest.mark.parametrize("number", ["1&passcode=x#", "+4930 1234", "1%26;2?3=4"])
async def test_values_arrive_as_one_parameter(
    client: GrandstreamCti, simulator: PhoneSimulator, number: str
) -> None:
    """A value with URL syntax in it reaches the phone as one decoded value."""
    await client.make_call(number)

    assert sent(simulator) == [cgi(Function.MAKE_CALL, phonenumber=number)]
    assert simulator.line(1).remote_number == number


@pytest.mark.parametrize("passcode", [PASSCODE, "p+ss wörd&=?;/%41", "admin"])
async def test_passcode_arrives_intact(
    socket_enabled: None, session: aiohttp.ClientSession, passcode: str
) -> None:
    """Whatever characters it has, the passcode arrives as one exact value."""
    async with PhoneSimulator("GXP2170", passcode=passcode) as simulator:
        client = cti_client(session, simulator, family=Family.GXP, passcode=passcode)

        await client.get_phone_status()

    assert [r.params for r in simulator.requests] == [{"passcode": passcode}]


async def test_repr_hides_passcode(client: GrandstreamCti) -> None:
    """The client's repr names the phone, not the passcode."""
    assert repr(client) == (
        f"GrandstreamCti(host='127.0.0.1', port={client.port}, family=<Family.GXP: 'gxp'>)"
    )
    assert_secret(repr(client), str(client))


async def test_logs_hide_passcode(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Debug logs of successful and failed requests never show the passcode."""
    await client.get_line_status()
    await client.send_key("1")
    simulator.faults.auth = "http401"
    with pytest.raises(GrandstreamAuthenticationError):
        await client.get_phone_status()

    assert "api-get_line_status answered HTTP 200" in caplog.text
    assert_secret(caplog.text)


# ----- concurrency


async def test_requests_to_one_phone_are_serialized(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """A second request waits until the first one has its answer."""
    simulator.faults.delay = 0.2

    await asyncio.gather(client.get_phone_status(), client.get_line_status())

    first, second = simulator.requests
    assert second.received_at - first.received_at >= 0.2


async def test_hanging_phone_does_not_delay_another(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """One phone hanging never holds up a client of another phone."""
    async with (
        PhoneSimulator("GXP2170", passcode=PASSCODE) as hanging,
        PhoneSimulator("GRP2616", passcode=PASSCODE) as healthy,
    ):
        hanging.faults.hang = True
        stuck = cti_client(session, hanging, family=Family.GXP, timeout=10)
        other = cti_client(session, healthy, family=Family.GRP)
        task = asyncio.create_task(stuck.get_phone_status())
        async with asyncio.timeout(5):
            while not hanging.requests:
                await asyncio.sleep(0.01)
        loop = asyncio.get_running_loop()
        start = loop.time()

        await other.get_phone_status()

        # Far below the stuck client's 10 s timeout.
        assert loop.time() - start < 2
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


# ----- https and addresses


@pytest.mark.parametrize("verify_ssl", [True, False])
async def test_https_to_plain_http_phone(
    session: aiohttp.ClientSession,
    simulator: PhoneSimulator,
    caplog: pytest.LogCaptureFixture,
    verify_ssl: bool,
) -> None:
    """HTTPS to a phone serving plain HTTP cannot connect; it is no certificate issue."""
    client = cti_client(
        session,
        simulator,
        family=Family.GXP,
        https=True,
        verify_ssl=verify_ssl,
    )

    with pytest.raises(GrandstreamConnectionError) as err:
        await client.get_phone_status()

    assert not isinstance(err.value, GrandstreamCertificateError)
    assert "SSL" in str(err.value)
    assert simulator.requests == []
    assert_from_none(err.value)
    assert_clean_error(err.value, caplog)


async def test_https_self_signed_certificate(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A phone's private-CA certificate fails verification unless it is turned off."""
    status = '{"response":"success","body":"available","misc":"0"}'
    with TlsPhone(tmp_path, status) as phone:
        verifying = cti_client(session, phone, family=Family.GXP, https=True)
        trusting = cti_client(
            session, phone, family=Family.GXP, https=True, verify_ssl=False
        )

        with pytest.raises(GrandstreamCertificateError) as err:
            await verifying.get_phone_status()
        assert await trusting.get_phone_status() == PhoneStatus(
            status="available", misc="0"
        )

    assert phone.paths == ["/cgi-bin/api-get_phone_status"]
    assert_from_none(err.value)
    assert_clean_error(err.value, caplog)


@pytest.mark.parametrize(
    ("host", "port", "https", "url"),
    [
        ("192.168.1.20", None, False, "http://192.168.1.20"),
        ("192.168.1.20", 8080, False, "http://192.168.1.20:8080"),
        ("phone.example.com", None, True, "https://phone.example.com"),
        ("phone.example.com", 8443, True, "https://phone.example.com:8443"),
        ("fe80::20b:82ff:fe01:203", None, False, "http://[fe80::20b:82ff:fe01:203]"),
        ("2001:DB8::5", 8080, True, "https://[2001:db8::5]:8080"),
        # As people write IPv6 addresses in URLs.
        ("[2001:db8::5]", 8080, False, "http://[2001:db8::5]:8080"),
    ],
)
async def test_base_url(
    session: aiohttp.ClientSession,
    host: str,
    port: int | None,
    https: bool,
    url: str,
) -> None:
    """The address is built from host, optional port and scheme."""
    client = GrandstreamCti(host, PASSCODE, session=session, port=port, https=https)

    assert str(client.base_url) == url
    assert_secret(str(client.base_url))


@pytest.mark.parametrize("host", ["phone:8080", "http://phone", "my phone"])
async def test_invalid_host(session: aiohttp.ClientSession, host: str) -> None:
    """A host that is no address is refused before any request."""
    client = GrandstreamCti(host, PASSCODE, session=session)

    with pytest.raises(GrandstreamInvalidInputError) as err:
        await client.get_phone_status()

    assert err.value.field == "host"
    assert_secret(str(err.value), repr(err.value))
