"""Tests of the phone simulator itself, over real HTTP on 127.0.0.1."""

import asyncio
from collections.abc import AsyncIterator, Callable
import json
from typing import Any

import aiohttp
import pytest

from tests.simulator import (
    MODELS,
    Faults,
    PhoneSimulator,
    RecordedRequest,
    UnknownFunctionAnswer,
)
from tests.simulator.__main__ import parse_args

# pytest-homeassistant-custom-component blocks sockets; the simulator needs loopback.
pytestmark = pytest.mark.usefixtures("socket_enabled")

type Answer = tuple[int, str]


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """Return a client that opens a new connection per request."""
    # No keep-alive: a phone going offline then shows as "connection refused",
    # never as a pooled connection that was dropped.
    connector = aiohttp.TCPConnector(force_close=True)
    async with aiohttp.ClientSession(connector=connector) as client:
        yield client


async def cti(
    session: aiohttp.ClientSession,
    sim: PhoneSimulator,
    function: str,
    passcode: str | None = "admin",
    **params: str,
) -> Answer:
    """Call one CTI function and return status and body text."""
    query = dict(params) if passcode is None else {"passcode": passcode, **params}
    async with session.get(f"{sim.url}/cgi-bin/{function}", params=query) as resp:
        return resp.status, await resp.text()


async def body(
    session: aiohttp.ClientSession, sim: PhoneSimulator, function: str, **params: str
) -> Any:
    """Call a CTI function that must succeed at HTTP level and return its JSON."""
    status, text = await cti(session, sim, function, **params)
    assert status == 200, text
    return json.loads(text)


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Wait until a condition holds."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


@pytest.mark.parametrize(
    ("model", "function"),
    [
        ("GXP2170", "api-make_call"),
        ("GXP1628", "api-get_accounts"),
        ("GXP2170", "api-get_music"),
        ("GRP2616", "api-get_hs_status"),
        ("DP750", "api-get_line_status"),
        ("DP750", "api-get_phone_status"),
        ("DP750", "api-phone_operation"),
        ("GSC3516", "api-send_key"),
        ("GSC3516", "api-get_line_status"),
        *((model, "api-no_such_function") for model in MODELS),
    ],
)
async def test_unknown_function_is_404_before_passcode(
    session: aiohttp.ClientSession, model: str, function: str
) -> None:
    """A function the family lacks is a 404, whatever the passcode."""
    async with PhoneSimulator(model) as sim:
        for passcode in ("admin", "wrong", None):
            status, text = await cti(session, sim, function, passcode=passcode)
            assert status == 404
            assert "Not Found" in text
        assert [r.function for r in sim.requests] == [function] * 3


@pytest.mark.parametrize(
    ("model", "answer", "expected"),
    [
        ("GXP1628", "error", (200, '{"response":"error", "body": "unknown"}')),
        ("DP750", "error", (200, '{ "response": "error", "body": "unknown" }')),
        (
            "GSC3516",
            "http404",
            (404, "<html><body><h1>404 Not Found</h1></body></html>"),
        ),
    ],
)
async def test_unknown_function_answer(
    session: aiohttp.ClientSession,
    model: str,
    answer: UnknownFunctionAnswer,
    expected: Answer,
) -> None:
    """A function the family lacks is answered as the switch says, before the passcode."""
    async with PhoneSimulator(model, unknown_function_answer=answer) as sim:
        for passcode in ("admin", "wrong"):
            assert await cti(session, sim, "api-get_accounts", passcode=passcode) == (
                expected
            )


async def test_unknown_function_answer_html(session: aiohttp.ClientSession) -> None:
    """The html switch answers a web page with HTTP 200, missing functions too."""
    async with PhoneSimulator("GXP2170", unknown_function_answer="html") as sim:
        sim.faults = Faults(missing_functions=frozenset({"api-get_line_status"}))
        for function in ("api-get_accounts", "api-get_line_status"):
            status, text = await cti(session, sim, function)
            assert status == 200
            assert "<title>Grandstream GXP2170</title>" in text
        # Paths outside /cgi-bin/ stay a 404.
        async with session.get(f"{sim.url}/index.html") as resp:
            assert resp.status == 404


async def test_redirect_to_https(session: aiohttp.ClientSession) -> None:
    """Web access set to HTTPS only: plain HTTP is redirected, nothing is run."""
    async with PhoneSimulator("GXP2170", redirect_to_https=True) as sim:
        async with session.get(
            f"{sim.url}/cgi-bin/api-send_key",
            params={"passcode": "admin", "keys": "DND"},
            allow_redirects=False,
        ) as resp:
            assert resp.status == 301
            assert resp.headers["Location"] == (
                "https://127.0.0.1/cgi-bin/api-send_key?passcode=admin&keys=DND"
            )
        assert not sim.dnd


async def test_gsc_line_status_switch(session: aiohttp.ClientSession) -> None:
    """Only a GSC takes the switch; assigned, it takes effect at once."""
    with pytest.raises(ValueError, match="not a GSC speaker"):
        PhoneSimulator("GXP2170", gsc_line_status=True)
    async with PhoneSimulator("GSC3516") as sim:
        assert (await cti(session, sim, "api-get_line_status"))[0] == 404
        sim.gsc_line_status = True
        lines = (await body(session, sim, "api-get_line_status"))["body"]
        assert [line["line"] for line in lines] == [1, 2]


async def test_other_paths_are_404_and_recorded(session: aiohttp.ClientSession) -> None:
    """Paths outside /cgi-bin/ are 404 and still logged."""
    async with PhoneSimulator("GXP2170") as sim:
        async with session.post(f"{sim.url}/index.html?x=1") as resp:
            assert resp.status == 404
        assert sim.requests == [
            RecordedRequest(
                method="POST",
                path="/index.html",
                function="",
                params={"x": "1"},
                raw_query="x=1",
            )
        ]


@pytest.mark.parametrize(
    ("model", "expected_status", "expected_body"),
    [
        ("GXP2170", 401, None),
        ("GXP1628", 401, None),
        ("GRP2616", 200, "unauthorized"),
        ("DP750", 401, None),
        ("GSC3516", 200, "unauthorized"),
    ],
)
async def test_wrong_passcode_default_answer(
    session: aiohttp.ClientSession,
    model: str,
    expected_status: int,
    expected_body: str | None,
) -> None:
    """Each model refuses a wrong or missing passcode its own way."""
    function = "api-sys_operation"
    async with PhoneSimulator(model, passcode="s3cret") as sim:
        for passcode in ("admin", None):
            status, text = await cti(
                session, sim, function, passcode=passcode, request="REBOOT"
            )
            assert status == expected_status
            if expected_body is None:
                assert text == "<html><body><h1>Unauthorized</h1></body></html>"
            else:
                assert json.loads(text) == {
                    "response": "success",
                    "body": expected_body,
                }
        assert sim.online
        assert sim.events == []


@pytest.mark.parametrize(
    ("answer", "expected_status", "expected_text"),
    [
        ("http401", 401, "<html><body><h1>Unauthorized</h1></body></html>"),
        ("http403", 403, "<html><body><h1>Forbidden</h1></body></html>"),
        ("unauthorized", 200, '{ "response": "success", "body": "unauthorized" }'),
        ("forbidden", 200, '{ "response": "success", "body": "forbidden" }'),
    ],
)
async def test_auth_answers(
    session: aiohttp.ClientSession,
    answer: Any,
    expected_status: int,
    expected_text: str,
) -> None:
    """Both the wrong-passcode answer and the auth fault produce every refusal."""
    async with PhoneSimulator("GXP2170", wrong_passcode_answer=answer) as sim:
        assert await cti(session, sim, "api-get_phone_status", "bad") == (
            expected_status,
            expected_text,
        )
        sim.faults.auth = answer
        assert await cti(session, sim, "api-get_phone_status") == (
            expected_status,
            expected_text,
        )
        sim.faults = Faults()
        assert (await body(session, sim, "api-get_phone_status"))["body"] == (
            "available"
        )


async def test_cti_disabled(session: aiohttp.ClientSession) -> None:
    """Action URI support off: 403 for CTI functions, the model query still works."""
    async with PhoneSimulator("GXP2170") as sim:
        sim.faults.cti_disabled = True
        assert await cti(session, sim, "api-get_line_status") == (
            403,
            "<html><body><h1>Forbidden</h1></body></html>",
        )
        status, _ = await cti(session, sim, "api-nothing")
        assert status == 404
        status, text = await cti(
            session, sim, "api.values.get", passcode=None, request="phone_model"
        )
        assert status == 200
        assert json.loads(text)["body"] == {"phone_model": "GXP2170"}


async def test_http_500_and_non_json(session: aiohttp.ClientSession) -> None:
    """A 500 or an HTML page does not carry the command out."""
    async with PhoneSimulator("GRP2616") as sim:
        sim.incoming_call("1002", "Alice")
        sim.faults.http_500 = True
        status, text = await cti(session, sim, "api-phone_operation", cmd="acceptcall")
        assert status == 500
        assert "500" in text
        sim.faults = Faults(non_json=True)
        async with session.get(
            f"{sim.url}/cgi-bin/api-phone_operation",
            params={"passcode": "admin", "cmd": "acceptcall"},
        ) as resp:
            assert resp.status == 200
            assert resp.content_type == "text/html"
            assert (await resp.text()).startswith("<!DOCTYPE html>")
        assert sim.line(1).state == "ringing"


async def test_truncated_carries_the_command_out(
    session: aiohttp.ClientSession,
) -> None:
    """A truncated answer is the first half of the real JSON."""
    async with PhoneSimulator("GRP2616") as sim:
        whole = (await cti(session, sim, "api-get_line_status"))[1]
        sim.faults.truncated = True
        status, text = await cti(session, sim, "api-get_line_status")
        assert status == 200
        assert text == whole[: len(whole) // 2]
        sim.incoming_call("1002")
        await cti(session, sim, "api-phone_operation", cmd="acceptcall")
        assert sim.line(1).state == "connected"


async def test_command_errors(session: aiohttp.ClientSession) -> None:
    """A configured error answers instead of the phone and changes nothing."""
    async with PhoneSimulator("GRP2616", answer_delay=None) as sim:
        sim.faults.command_errors = {
            "acceptcall": False,
            "api-make_call": "Invalid Request",
            "SEND": "unknown",
        }
        sim.incoming_call("1002", "Alice", line=2)
        assert await body(session, sim, "api-phone_operation", cmd="acceptcall") == {
            "response": "error",
            "body": False,
        }
        assert await body(session, sim, "api-make_call", phonenumber="200") == {
            "response": "error",
            "body": "Invalid Request",
        }
        assert (await body(session, sim, "api-send_key", keys="1:2:SEND"))[
            "body"
        ] == "unknown"
        assert [line.state for line in sim.lines] == ["idle", "ringing", *["idle"] * 4]
        assert sim.dial_buffer == ""


async def test_delay_and_hang(session: aiohttp.ClientSession) -> None:
    """A slow phone answers late; a hung one never does."""
    async with PhoneSimulator("GXP1628") as sim:
        sim.faults.delay = 0.3
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.1):
                await cti(session, sim, "api-get_phone_status")
        loop = asyncio.get_running_loop()
        started = loop.time()
        assert (await body(session, sim, "api-get_phone_status"))["body"] == (
            "available"
        )
        assert loop.time() - started >= 0.3
        sim.faults = Faults(hang=True)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await cti(session, sim, "api-get_phone_status")
        # A request parked while the test ends must not outlive stop().
        parked = asyncio.create_task(cti(session, sim, "api-get_line_status"))
        await wait_for(lambda: len(sim.requests) == 4)
    with pytest.raises(aiohttp.ClientError):
        await parked


async def test_model_query(session: aiohttp.ClientSession) -> None:
    """api.values.get names the model without a passcode, except on new GRP firmware."""
    async with PhoneSimulator("GXP2170") as sim:
        status, text = await cti(
            session, sim, "api.values.get", passcode=None, request="phone_model"
        )
        assert status == 200
        assert json.loads(text) == {
            "response": "success",
            "body": {"phone_model": "GXP2170"},
        }
        status, text = await cti(
            session, sim, "api.values.get", passcode=None, request="phone_model:P67"
        )
        assert json.loads(text)["body"] == {"phone_model": "GXP2170", "P67": ""}
    async with PhoneSimulator("GRP2616") as sim:
        status, _ = await cti(
            session, sim, "api.values.get", passcode=None, request="phone_model"
        )
        assert status == 404
    async with PhoneSimulator("GRP2616", model_query=True) as sim:
        assert (await body(session, sim, "api.values.get", request="phone_model"))[
            "body"
        ] == {"phone_model": "GRP2616"}


@pytest.mark.parametrize(
    ("model", "content_type", "start"),
    [
        ("GXP2170", "text/html", '{ "response": "success", "body": [ { "line": 1,'),
        ("GXP1628", "text/plain", '{"response":"success", "body": [{"line": 1,'),
        ("GRP2616", "application/json", '{"response":"success","body":[{"line":1,'),
    ],
)
async def test_line_status_wire_variants(
    session: aiohttp.ClientSession, model: str, content_type: str, start: str
) -> None:
    """Line status keeps each model's spacing and Content-Type."""
    async with PhoneSimulator(model) as sim:
        async with session.get(
            f"{sim.url}/cgi-bin/api-get_line_status", params={"passcode": "admin"}
        ) as resp:
            assert resp.content_type == content_type
            text = await resp.text()
        assert text.startswith(start)
        assert len(json.loads(text)["body"]) == MODELS[model].line_count


async def test_gxp1628_matches_the_guide(session: aiohttp.ClientSession) -> None:
    """The GXP16xx idle answers are byte for byte the guide's examples."""
    async with PhoneSimulator("GXP1628") as sim:
        lines = ", ".join(
            f'{{"line": {n}, "state": "idle", "acct": "", "remotename": "", '
            f'"remotenum": "", "active": 0}}'
            for n in (1, 2, 3)
        )
        assert await cti(session, sim, "api-get_line_status") == (
            200,
            f'{{"response":"success", "body": [{lines}]}}',
        )
        assert await cti(session, sim, "api-get_phone_status") == (
            200,
            '{"response":"success", "body": "available", "misc": "0"}',
        )


async def test_gxp_dial_with_keys_in_one_request(
    session: aiohttp.ClientSession,
) -> None:
    """1:0:0:0:SEND calls 1000; the far end answers; hold toggles; endcall hangs up."""
    async with PhoneSimulator("GXP2170", answer_delay=None) as sim:
        assert await body(session, sim, "api-send_key", keys="1:0:0:0:SEND") == {
            "response": "success",
            "body": "complete",
        }
        line = (await body(session, sim, "api-get_line_status"))["body"][0]
        assert line == {
            "line": 1,
            "state": "calling",
            "acct": 1,
            "remotename": "",
            "remotenumber": "1000",
            "active": 1,
        }
        assert (await body(session, sim, "api-get_phone_status"))["body"] == "busy"
        assert sim.remote_answer()
        assert sim.line(1).state == "connected"
        for expected in ("onhold", "connected"):
            result = await body(session, sim, "api-phone_operation", cmd="holdcall")
            assert result == {"response": "success", "body": True}
            assert sim.line(1).state == expected
        await body(session, sim, "api-phone_operation", cmd="endcall")
        assert sim.line(1).state == "idle"
        assert sim.line(1).remote_number == ""
        assert (await body(session, sim, "api-phone_operation", cmd="endcall"))[
            "body"
        ] is False
        assert [event.name for event in sim.events] == [
            "off_hook",
            "outgoing_call",
            "established_call",
            "hold",
            "unhold",
            "terminated_call",
        ]


async def test_gxp_dial_across_requests(session: aiohttp.ClientSession) -> None:
    """Digits sent one request at a time collect until SEND; the call connects by itself."""
    async with PhoneSimulator("GXP1628", answer_delay=0.05) as sim:
        for keys in ("5", "5:#", "*"):
            assert (await body(session, sim, "api-send_key", keys=keys))["body"] == (
                "complete"
            )
        assert sim.line(1).state == "dialing"
        assert sim.dial_buffer == "55#*"
        # HASH is the DP spelling: unknown on a desk phone, and nothing happens.
        assert (await body(session, sim, "api-send_key", keys="HASH:SEND"))[
            "body"
        ] == "unknown"
        await body(session, sim, "api-send_key", keys="SEND")
        line = (await body(session, sim, "api-get_line_status"))["body"][0]
        assert (line["state"], line["remotenum"], line["acct"]) == (
            "calling",
            "55#*",
            "",
        )
        await wait_for(lambda: sim.line(1).state == "connected")


async def test_dnd_key_and_odd_states(session: aiohttp.ClientSession) -> None:
    """DND toggles and turns callers away; test-set states show as they are."""
    async with PhoneSimulator("GXP2170") as sim:
        await body(session, sim, "api-send_key", keys="DND")
        assert (sim.dnd, sim.events[-1].name) == (True, "dnd_on")
        assert not sim.incoming_call("1002")
        assert sim.line(1).state == "idle"
        await body(session, sim, "api-send_key", keys="DND")
        assert not sim.dnd
        sim.set_line_state(2, "weird", number="77")
        line = (await body(session, sim, "api-get_line_status"))["body"][1]
        assert (line["state"], line["remotenumber"]) == ("weird", "77")
        sim.set_phone_status("calling")
        assert (await body(session, sim, "api-get_phone_status"))["body"] == "calling"


async def test_grp_incoming_call_and_operations(
    session: aiohttp.ClientSession,
) -> None:
    """GRP: empty name while ringing, 0-based acct, active 0, arg=<line>, no hold toggle."""
    async with PhoneSimulator("GRP2616") as sim:
        assert sim.incoming_call("1002", line=2)
        status = await body(session, sim, "api-get_phone_status")
        assert status == {"response": "success", "body": "ringing", "misc": "0"}
        line = (await body(session, sim, "api-get_line_status"))["body"][1]
        assert line == {
            "line": 2,
            "state": "ringing",
            "acct": 0,
            "remotename": "",
            "remotenumber": "1002",
            "active": 0,
        }

        async def operation(cmd: str, **params: str) -> object:
            answer = await body(session, sim, "api-phone_operation", cmd=cmd, **params)
            return answer["body"]

        assert await operation("acceptcall", arg="1") is False
        assert await operation("acceptcall", arg="2") is True
        assert (await body(session, sim, "api-get_line_status"))["body"][1][
            "active"
        ] == 0
        assert await operation("holdcall") is True
        assert await operation("holdcall") is False
        assert await operation("unhold", arg="2") is True
        assert await operation("endcall") is True
        assert await operation("transfer") is False
        assert sim.incoming_call("1003", "Bob")
        assert sim.remote_hangup()
        assert sim.events[-1].name == "missed_call"
        assert sim.phone_status == "available"


async def test_grp_accounts_and_make_call(session: aiohttp.ClientSession) -> None:
    """GRP accounts are 1-based, make_call's account 0-based; refusals say Invalid Request."""
    async with PhoneSimulator("GRP2616", answer_delay=None) as sim:
        accounts = (await body(session, sim, "api-get_accounts"))["body"]
        assert [(a["id"], a["reg"]) for a in accounts] == [
            (1, 1),
            (2, 1),
            (3, 0),
            (4, 0),
        ]
        assert accounts[0] == {
            "id": 1,
            "sip_server": "pbx.example.com",
            "sip_id": "1001",
            "name": "Reception",
            "auto_cfg": "",
            "reg": 1,
        }
        registered = (await body(session, sim, "api-get_accounts", registered="true"))[
            "body"
        ]
        assert [a["id"] for a in registered] == [1, 2]

        invalid = {"response": "error", "body": "Invalid Request"}
        assert await body(session, sim, "api-make_call", phonenumber="") == invalid
        assert (
            await body(session, sim, "api-make_call", phonenumber="200", account="2")
            == invalid
        )
        assert await body(
            session, sim, "api-make_call", phonenumber="200", account="1"
        ) == {"response": "success", "body": True}
        line = (await body(session, sim, "api-get_line_status"))["body"][0]
        assert (line["state"], line["remotenumber"], line["acct"]) == (
            "calling",
            "200",
            1,
        )
        sim.set_registered(1, False)
        sim.set_registered(2, False)
        assert await body(session, sim, "api-make_call", phonenumber="201") == invalid
        assert (await body(session, sim, "api-get_accounts", registered="true"))[
            "body"
        ] == []


async def test_dp_call_flow(session: aiohttp.ClientSession) -> None:
    """DP750: handset status, handset lines, device operations, make_call, HASH."""
    async with PhoneSimulator("DP750", answer_delay=0) as sim:
        assert await cti(session, sim, "api-get_hs_status", hs="1") == (
            200,
            '{ "response": "success", "HS1": { "initialized": 1, "subscribed": 1, "status": "idle" } }',
        )
        assert (await body(session, sim, "api-get_hs_status", hs="3"))["HS3"] == {
            "initialized": 0,
            "subscribed": 0,
            "status": "",
        }
        assert (await body(session, sim, "api-get_hs_status", hs="6"))[
            "response"
        ] == "error"
        assert (await body(session, sim, "api-get_account_status", account="1")) == {
            "response": "success",
            "Account1": {"Registered": 1, "Profile": 1, "Active": 1, "HSMode": "HS1"},
        }
        assert (await body(session, sim, "api-get_account_status", account="11"))[
            "response"
        ] == "error"

        assert not sim.incoming_call("3501", handset=3)  # not paired
        assert sim.incoming_call("3501", "Door", handset=2)
        lines = (await body(session, sim, "api-get_hs_line_status", hs="2"))["HS2"]
        assert list(lines) == [f"Line{n}" for n in range(1, 11)]
        assert lines["Line1"] == {
            "Status": "ringing",
            "Account": 2,
            "Registered": 1,
            "Active": 1,
        }
        assert lines["Line2"] == {
            "Status": "idle",
            "Account": 0,
            "Registered": 0,
            "Active": 0,
        }

        async def operation(cmd: str, **params: str) -> object:
            answer = await body(
                session, sim, "api-device_operation", hs="2", cmd=cmd, **params
            )
            return answer["body"]

        assert await operation("acceptcall") is False  # line=N is required
        for cmd, state in (
            ("acceptcall", "connected"),
            ("holdcall", "onhold"),
            ("unholdcall", "connected"),
            ("endcall", "idle"),
        ):
            assert await operation(cmd, line="1") is True
            assert sim.line(1, handset=2).state == state
        assert await operation("setdnd") is True
        assert sim.handsets[1].dnd
        assert not sim.dnd  # handset 1

        invalid = {"response": "error", "body": "Invalid Request"}
        assert await body(session, sim, "api-make_call", phonenumber="3501") == invalid
        assert await body(
            session, sim, "api-make_call", hs="1", phonenumber="3501"
        ) == {
            "response": "success",
            "body": True,
        }
        assert sim.line(1).state == "connected"

        assert (await body(session, sim, "api-send_key", hs="1", keys="1:0:0:0:#"))[
            "body"
        ] == "unknown"
        assert (await body(session, sim, "api-send_key", hs="1", keys="ONHOOK"))[
            "body"
        ] == "complete"
        assert sim.line(1).state == "idle"
        await body(session, sim, "api-send_key", hs="1", keys="1:0:0:0:HASH:SEND")
        assert (sim.line(1).state, sim.line(1).remote_number) == ("connected", "1000#")
        assert sim.incoming_call("200", line=2)
        await body(session, sim, "api-send_key", hs="1", keys="OFFHOOK")
        assert [line.state for line in sim.lines[:2]] == ["onhold", "connected"]
        assert (await body(session, sim, "api-sys_operation", request="REBOOT"))[
            "body"
        ] == "directreboot"


async def test_gsc_music_and_operations(session: aiohttp.ClientSession) -> None:
    """GSC3516: music list and playback, misc "1", make_call, mute toggle."""
    async with PhoneSimulator("GSC3516", answer_delay=None) as sim:
        files = (await body(session, sim, "api-get_music"))["body"]
        assert files == [
            {"fileName": "music1.ogg", "path": "/var/user/music/music1.ogg"},
            {"fileName": "music2.ogg", "path": "/var/user/music/music2.ogg"},
            {"fileName": "Door bell.ogg", "path": "/var/user/music/Door bell.ogg"},
        ]

        async def play(**params: str) -> object:
            return (await body(session, sim, "api-ctrl_music_play", **params))["body"]

        bell = "/var/user/music/Door bell.ogg"
        assert await play(state="1", type="1", url=bell, loop="1") is True
        assert (sim.music_playing, sim.music_loop) == (bell, True)
        assert await play(state="1", type="1", url="/etc/passwd", loop="0") == "failed"
        assert (sim.music_playing, sim.music_loop) == (bell, True)
        assert await play(state="0", type="1", url=bell, loop="0") is True
        assert sim.music_playing is None

        assert await cti(session, sim, "api-get_phone_status") == (
            200,
            '{"response": "success", "body": "available", "misc": "1"}',
        )
        assert (await body(session, sim, "api-make_call", phonenumber="35463"))[
            "body"
        ] is True
        assert sim.phone_status == "busy"
        assert (await body(session, sim, "api-phone_operation", cmd="mute"))["body"]
        assert sim.muted
        assert (await body(session, sim, "api-phone_operation", cmd="holdcall"))[
            "body"
        ] is False


async def test_reboot_goes_offline_and_back(session: aiohttp.ClientSession) -> None:
    """REBOOT answers, drops off the network, and comes back idle on the same port."""
    async with PhoneSimulator("GXP2170", reboot_seconds=0.3) as sim:
        port = sim.port
        sim.incoming_call("1002")
        assert await body(session, sim, "api-sys_operation", request="REBOOT") == {
            "response": "success",
            "body": "savereboot",
        }
        await wait_for(lambda: not sim.online)
        with pytest.raises(aiohttp.ClientConnectorError):
            await cti(session, sim, "api-get_phone_status")
        assert sim.line(1).state == "idle"
        await wait_for(lambda: sim.online)
        assert sim.port == port
        assert (await body(session, sim, "api-get_phone_status"))["body"] == (
            "available"
        )
        assert (await body(session, sim, "api-sys_operation", request="FORMAT")) == {
            "response": "error",
            "body": "unknown",
        }
        assert (await body(session, sim, "api-sys_operation", request="RESET"))[
            "body"
        ] == "reset"
        await wait_for(lambda: not sim.online)
    # stop() during the reboot leaves nothing running.
    assert not sim.online


async def test_go_offline_and_online(session: aiohttp.ClientSession) -> None:
    """Offline refuses connections; online listens on the same port again."""
    async with PhoneSimulator("GXP1628") as sim:
        port = sim.port
        assert sim.url == f"http://127.0.0.1:{port}"
        await sim.go_offline()
        with pytest.raises(aiohttp.ClientConnectorError):
            await cti(session, sim, "api-get_phone_status")
        await sim.go_online()
        assert sim.port == port
        assert (await cti(session, sim, "api-get_phone_status"))[0] == 200


async def test_request_recording_decodes_params(
    session: aiohttp.ClientSession,
) -> None:
    """An encoded value with & = # arrives as one decoded parameter."""
    async with PhoneSimulator("GXP2170") as sim:
        answer = await body(session, sim, "api-send_key", keys="1&passcode=x#")
        assert answer == {"response": "error", "body": "unknown"}
        [request] = sim.requests
        assert request.method == "GET"
        assert request.path == "/cgi-bin/api-send_key"
        assert request.function == "api-send_key"
        assert request.params == {"passcode": "admin", "keys": "1&passcode=x#"}
        assert "%26passcode%3Dx%23" in request.raw_query
        assert sim.requests_to("api-send_key") == [request]
        sim.clear_requests()
        assert sim.requests == []


async def test_cli_pairs_ports_with_models() -> None:
    """A --port belongs to the --model before it; a bare --model gets a free port."""
    args = parse_args(
        [
            "--model",
            "GXP2170",
            "--port",
            "8081",
            "--model",
            "GSC3516",
            "--model",
            "DP750",
            "--port",
            "8082",
        ]
    )
    assert [(p.model, p.port) for p in args.phones] == [
        ("GXP2170", 8081),
        ("GSC3516", 0),
        ("DP750", 8082),
    ]
    assert (args.host, args.passcode) == ("127.0.0.1", "admin")
    with pytest.raises(SystemExit):
        parse_args(["--port", "8081"])


async def test_bad_arguments() -> None:
    """Unknown models, handsets on desk phones and missing lines raise ValueError."""
    with pytest.raises(ValueError, match="GXP2170"):
        PhoneSimulator("GXP9999")
    with pytest.raises(ValueError, match="no handsets"):
        PhoneSimulator("GXP2170").incoming_call("1", handset=1)
    with pytest.raises(ValueError, match="line 4"):
        PhoneSimulator("GXP1628").remote_hangup(line=4)


async def test_desk_phone_keys(session: aiohttp.ClientSession) -> None:
    """SPEAKER, HOLD, LINEn, MUTE, HEADSET and cancel act like the buttons."""
    async with PhoneSimulator("GXP2170", answer_delay=None) as sim:

        async def keys(value: str) -> None:
            answer = await body(session, sim, "api-send_key", keys=value)
            assert answer["body"] == "complete"

        def states() -> list[str]:
            return [line.state for line in sim.lines[:3]]

        sim.incoming_call("200")
        await keys("SPEAKER")
        assert states() == ["connected", "idle", "idle"]
        await keys("HOLD")
        await keys("LINE1")
        assert states() == ["connected", "idle", "idle"]
        sim.incoming_call("201", line=2)
        await keys("LINE2:MUTE:HEADSET")
        assert states() == ["onhold", "connected", "idle"]
        assert sim.muted
        assert sim.state.station().headset
        cancel = await body(session, sim, "api-phone_operation", cmd="cancel")
        assert cancel["body"] is False
        for expected in (["onhold", "idle", "idle"], ["idle", "idle", "idle"]):
            await body(session, sim, "api-phone_operation", cmd="endcall")
            assert states() == expected
        await keys("SPEAKER")
        assert states() == ["dialing", "idle", "idle"]
        await keys("SPEAKER")
        assert states() == ["idle", "idle", "idle"]
        await keys("LINE3:7:SEND")
        assert states() == ["idle", "idle", "calling"]
        assert sim.line(3).remote_number == "7"
        cancel = await body(session, sim, "api-phone_operation", cmd="cancel")
        assert cancel["body"] is True
        assert states() == ["idle", "idle", "idle"]


async def test_dp_locked_handset(session: aiohttp.ClientSession) -> None:
    """A locked DP handset ignores keys but UNLOCK, and refuses make_call."""
    async with PhoneSimulator("DP750", answer_delay=None) as sim:
        await body(session, sim, "api-send_key", hs="1", keys="LOCK:1:2")
        assert sim.dial_buffer == ""
        assert (await body(session, sim, "api-make_call", hs="1", phonenumber="2"))[
            "body"
        ] == "Invalid Request"
        await body(session, sim, "api-send_key", hs="1", keys="UNLOCK:1:2:STAR")
        assert (sim.line(1).state, sim.dial_buffer) == ("dialing", "12*")
        await body(session, sim, "api-send_key", hs="1", keys="OFFHOOK")
        assert (sim.line(1).state, sim.line(1).remote_number) == ("calling", "12*")
        assert (await body(session, sim, "api-send_key", hs="3", keys="1"))[
            "body"
        ] == "unknown"  # handset 3 is not paired
