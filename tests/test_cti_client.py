"""Tests of the CTI client's functions and routed helpers against the simulator."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from custom_components.grandstream_cti.cti import (
    Account,
    AccountStatus,
    CallOperation,
    DetectedPhone,
    Family,
    Function,
    GrandstreamAuthenticationError,
    GrandstreamCommandRejectedError,
    GrandstreamCti,
    GrandstreamInvalidInputError,
    GrandstreamUnsupportedError,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    MusicFile,
    PhoneStatus,
)

from .conftest import MODELS
from .cti_helpers import CannedPhone, cgi, cti_client, sent
from .simulator import PhoneSimulator

MUSIC = "/var/user/music/music1.ogg"

# The functions of each family, as the Grandstream CTI guides, the GSC CTI
# guide and the GRP260x/GRP2616 CTI guides list them.
GUIDE_FUNCTIONS: dict[Family, set[Function]] = {
    Family.GXP: {
        Function.GET_LINE_STATUS,
        Function.GET_PHONE_STATUS,
        Function.SEND_KEY,
        Function.PHONE_OPERATION,
        Function.SYS_OPERATION,
    },
    Family.GRP: {
        Function.GET_LINE_STATUS,
        Function.GET_PHONE_STATUS,
        Function.GET_ACCOUNTS,
        Function.MAKE_CALL,
        Function.SEND_KEY,
        Function.PHONE_OPERATION,
        Function.SYS_OPERATION,
    },
    Family.DP: {
        Function.GET_ACCOUNT_STATUS,
        Function.GET_HS_STATUS,
        Function.GET_HS_LINE_STATUS,
        Function.MAKE_CALL,
        Function.SEND_KEY,
        Function.DEVICE_OPERATION,
        Function.SYS_OPERATION,
    },
    Family.GSC: {
        Function.GET_PHONE_STATUS,
        Function.MAKE_CALL,
        Function.PHONE_OPERATION,
        Function.SYS_OPERATION,
        Function.GET_MUSIC,
        Function.CTRL_MUSIC_PLAY,
    },
}
MODEL_FAMILY = {
    "GXP2170": Family.GXP,
    "GXP1628": Family.GXP,
    "GRP2616": Family.GRP,
    "DP750": Family.DP,
    "GSC3516": Family.GSC,
}

type Call = Callable[[GrandstreamCti], Awaitable[object]]
type SimHook = Callable[[PhoneSimulator], object]


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    """Keep outgoing calls ringing and reboots short."""
    return {"answer_delay": None, "reboot_seconds": 0.05}


# ----- simulator set-ups and the lines they produce


def ring(line: int = 1, handset: int | None = None) -> SimHook:
    """Return a set-up ringing a line."""
    return lambda sim: sim.incoming_call("1002", "Alice", line=line, handset=handset)


def force(line: int, state: str, handset: int | None = None) -> SimHook:
    """Return a set-up putting a line in a state, with a caller."""
    return lambda sim: sim.set_line_state(
        line, state, handset=handset, number="1002", name="Alice"
    )


def both(*hooks: SimHook) -> SimHook:
    """Return a set-up running several set-ups."""
    return lambda sim: [hook(sim) for hook in hooks]


def line_is(state: str, line: int = 1, handset: int | None = None) -> SimHook:
    """Return a check that a line is in a state."""
    return lambda sim: sim.line(line, handset).state == state


def idle_lines(first: int, last: int, account: int | None) -> tuple[LineStatus, ...]:
    """Return idle lines as a desk phone reports them."""
    return tuple(
        LineStatus(
            line=n,
            state="idle",
            account=account,
            remote_name="",
            remote_number="",
            active=False,
        )
        for n in range(first, last + 1)
    )


def talking_and_ringing(account: int | None, *, active: bool) -> tuple[LineStatus, ...]:
    """Return line 1 in a call and line 2 ringing, as TALKING_AND_RINGING sets up."""
    return (
        LineStatus(
            line=1,
            state="connected",
            account=account,
            remote_name="Alice",
            remote_number="1002",
            active=active,
        ),
        LineStatus(
            line=2,
            state="ringing",
            account=account,
            remote_name="Bob",
            remote_number="1003",
            active=False,
        ),
    )


TALKING_AND_RINGING = both(
    force(1, "connected"), lambda sim: sim.incoming_call("1003", "Bob", line=2)
)


def hs_lines(handset: int, *first: HandsetLineStatus) -> tuple[HandsetLineStatus, ...]:
    """Return a handset's ten lines: the given ones, then idle lines without account."""
    idle = (
        HandsetLineStatus(
            handset=handset,
            line=n,
            state="idle",
            account=None,
            registered=False,
            active=False,
        )
        for n in range(len(first) + 1, 11)
    )
    return (*first, *idle)


# ----- one method per CTI function


def phone_operation(cmd: str) -> Call:
    """Return a call of phone_operation without a line."""
    return lambda client: client.phone_operation(cmd)


def device_operation(cmd: str) -> Call:
    """Return a call of device_operation on handset 2, line 3."""
    return lambda client: client.device_operation(cmd, handset=2, line=3)


def sys_operation(request: str) -> Call:
    """Return a call of sys_operation."""
    return lambda client: client.sys_operation(request)


@dataclass(frozen=True, kw_only=True)
class Works:
    """A call a model answers: the request it sends, its result, what it did."""

    model: str
    name: str
    call: Call
    function: Function
    params: dict[str, str]
    result: object = None
    setup: SimHook = lambda sim: None
    effect: SimHook = lambda sim: True

    @property
    def id(self) -> str:
        """Return the test id."""
        return f"{self.model}-{self.name}"


WORKS: list[Works] = [
    # --- line status: remotenum/remotenumber, acct "" / 0-based / 1-based, active
    Works(
        model="GXP2170",
        name="get_line_status",
        call=lambda c: c.get_line_status(),
        function=Function.GET_LINE_STATUS,
        params={},
        setup=TALKING_AND_RINGING,
        result=(*talking_and_ringing(1, active=True), *idle_lines(3, 8, 1)),
    ),
    Works(
        model="GXP1628",
        name="get_line_status",
        call=lambda c: c.get_line_status(),
        function=Function.GET_LINE_STATUS,
        params={},
        setup=TALKING_AND_RINGING,
        result=(*talking_and_ringing(None, active=True), *idle_lines(3, 3, None)),
    ),
    Works(
        model="GRP2616",
        name="get_line_status",
        call=lambda c: c.get_line_status(),
        function=Function.GET_LINE_STATUS,
        params={},
        setup=TALKING_AND_RINGING,
        # GRP's 0-based acct 0 is account 1, as on every family.
        result=(*talking_and_ringing(1, active=False), *idle_lines(3, 6, 1)),
    ),
    # --- phone status: misc "0" on desk phones, "1" on GSC
    Works(
        model="GXP2170",
        name="get_phone_status",
        call=lambda c: c.get_phone_status(),
        function=Function.GET_PHONE_STATUS,
        params={},
        setup=ring(),
        result=PhoneStatus(status="ringing", misc="0"),
    ),
    Works(
        model="GXP1628",
        name="get_phone_status",
        call=lambda c: c.get_phone_status(),
        function=Function.GET_PHONE_STATUS,
        params={},
        result=PhoneStatus(status="available", misc="0"),
    ),
    Works(
        model="GRP2616",
        name="get_phone_status",
        call=lambda c: c.get_phone_status(),
        function=Function.GET_PHONE_STATUS,
        params={},
        setup=force(1, "connected"),
        result=PhoneStatus(status="busy", misc="0"),
    ),
    Works(
        model="GSC3516",
        name="get_phone_status",
        call=lambda c: c.get_phone_status(),
        function=Function.GET_PHONE_STATUS,
        params={},
        result=PhoneStatus(status="available", misc="1"),
    ),
    # --- accounts (GRP)
    Works(
        model="GRP2616",
        name="get_accounts",
        call=lambda c: c.get_accounts(),
        function=Function.GET_ACCOUNTS,
        params={},
        result=(
            Account(
                id=1,
                name="Reception",
                sip_id="1001",
                sip_server="pbx.example.com",
                registered=True,
            ),
            Account(
                id=2,
                name="Office",
                sip_id="1002",
                sip_server="pbx.example.com",
                registered=True,
            ),
            Account(
                id=3,
                name="Spare",
                sip_id="1003",
                sip_server="pbx.example.com",
                registered=False,
            ),
            Account(id=4, name="", sip_id="", sip_server="", registered=False),
        ),
    ),
    # --- DP750 status: top-level Account1/HS1 keys, capitalised fields
    Works(
        model="DP750",
        name="get_account_status(2)",
        call=lambda c: c.get_account_status(2),
        function=Function.GET_ACCOUNT_STATUS,
        params={"account": "2"},
        result=AccountStatus(
            account=2, registered=True, active=True, profile=1, handset_mode="HS2"
        ),
    ),
    Works(
        model="DP750",
        name="get_account_status(3)",
        call=lambda c: c.get_account_status(3),
        function=Function.GET_ACCOUNT_STATUS,
        params={"account": "3"},
        result=AccountStatus(
            account=3, registered=False, active=False, profile=1, handset_mode=""
        ),
    ),
    Works(
        model="DP750",
        name="get_handset_status(1)",
        call=lambda c: c.get_handset_status(1),
        function=Function.GET_HS_STATUS,
        params={"hs": "1"},
        setup=ring(handset=1),
        result=HandsetStatus(
            handset=1, initialized=True, paired=True, status="ringing"
        ),
    ),
    Works(
        model="DP750",
        name="get_handset_status(5)",
        call=lambda c: c.get_handset_status(5),
        function=Function.GET_HS_STATUS,
        params={"hs": "5"},
        result=HandsetStatus(handset=5, initialized=False, paired=False, status=""),
    ),
    Works(
        model="DP750",
        name="get_handset_line_status(2)",
        call=lambda c: c.get_handset_line_status(2),
        function=Function.GET_HS_LINE_STATUS,
        params={"hs": "2"},
        setup=force(1, "connected", handset=2),
        result=hs_lines(
            2,
            HandsetLineStatus(
                handset=2,
                line=1,
                state="connected",
                account=2,
                registered=True,
                active=True,
            ),
        ),
    ),
    # --- GSC music
    Works(
        model="GSC3516",
        name="get_music",
        call=lambda c: c.get_music(),
        function=Function.GET_MUSIC,
        params={},
        result=(
            MusicFile(name="music1.ogg", path=MUSIC),
            MusicFile(name="music2.ogg", path="/var/user/music/music2.ogg"),
            MusicFile(name="Door bell.ogg", path="/var/user/music/Door bell.ogg"),
        ),
    ),
    Works(
        model="GSC3516",
        name="ctrl_music_play(play)",
        call=lambda c: c.ctrl_music_play(state=1, type_=1, url=MUSIC, loop=True),
        function=Function.CTRL_MUSIC_PLAY,
        params={"state": "1", "type": "1", "url": MUSIC, "loop": "1"},
        effect=lambda sim: sim.music_playing == MUSIC and sim.music_loop,
    ),
    Works(
        model="GSC3516",
        name="ctrl_music_play(stop)",
        call=lambda c: c.ctrl_music_play(state=0, url=MUSIC),
        function=Function.CTRL_MUSIC_PLAY,
        params={"state": "0", "type": "1", "url": MUSIC, "loop": "0"},
        setup=lambda sim: sim.state.play_music(MUSIC, loop=False),
        effect=lambda sim: sim.music_playing is None,
    ),
    # --- make_call: phonenumber (+ 0-based account) on GRP/GSC, hs on DP
    Works(
        model="GRP2616",
        name="make_call",
        call=lambda c: c.make_call("1003"),
        function=Function.MAKE_CALL,
        params={"phonenumber": "1003"},
        effect=lambda sim: (
            (sim.line(1).state, sim.line(1).remote_number) == ("calling", "1003")
        ),
    ),
    Works(
        model="GRP2616",
        name="make_call(account)",
        call=lambda c: c.make_call("1003", account=1),
        function=Function.MAKE_CALL,
        params={"phonenumber": "1003", "account": "1"},
        effect=lambda sim: sim.line(1).call_account == 2,
    ),
    Works(
        model="GSC3516",
        name="make_call",
        call=lambda c: c.make_call("1003"),
        function=Function.MAKE_CALL,
        params={"phonenumber": "1003"},
        effect=line_is("calling"),
    ),
    Works(
        model="DP750",
        name="make_call(hs)",
        call=lambda c: c.make_call("1003", handset=2),
        function=Function.MAKE_CALL,
        params={"hs": "2", "phonenumber": "1003"},
        effect=line_is("calling", handset=2),
    ),
    # --- send_key: raw # and * on desk phones, HASH/STAR on the DP750
    Works(
        model="GXP2170",
        name="send_key",
        call=lambda c: c.send_key("1:0:0:3:SEND"),
        function=Function.SEND_KEY,
        params={"keys": "1:0:0:3:SEND"},
        effect=lambda sim: sim.line(1).remote_number == "1003",
    ),
    Works(
        model="GXP1628",
        name="send_key",
        call=lambda c: c.send_key(["*", "7", "#"]),
        function=Function.SEND_KEY,
        params={"keys": "*:7:#"},
        effect=lambda sim: sim.dial_buffer == "*7#",
    ),
    Works(
        model="GRP2616",
        name="send_key",
        call=lambda c: c.send_key("line2"),
        function=Function.SEND_KEY,
        params={"keys": "LINE2"},
        setup=ring(line=2),
        effect=line_is("connected", line=2),
    ),
    Works(
        model="DP750",
        name="send_key(hs)",
        call=lambda c: c.send_key(["*", "7", "#"], handset=2),
        function=Function.SEND_KEY,
        params={"hs": "2", "keys": "STAR:7:HASH"},
        effect=lambda sim: sim.handsets[1].dial_buffer == "*7#",
    ),
    # --- phone_operation: cmd (+ arg=<line> on GRP)
    *(
        Works(
            model=model,
            name=f"phone_operation({cmd})",
            call=phone_operation(cmd),
            function=Function.PHONE_OPERATION,
            params={"cmd": cmd},
            setup=setup,
            effect=line_is(after),
        )
        for model in ("GXP2170", "GXP1628", "GRP2616", "GSC3516")
        for cmd, setup, after in (
            ("acceptcall", ring(), "connected"),
            ("rejectcall", ring(), "idle"),
            ("endcall", force(1, "connected"), "idle"),
        )
    ),
    *(
        Works(
            model=model,
            name=f"phone_operation({cmd})",
            call=phone_operation(cmd),
            function=Function.PHONE_OPERATION,
            params={"cmd": cmd},
            setup=setup,
            effect=line_is(after),
        )
        for model in ("GXP2170", "GXP1628", "GRP2616")
        for cmd, setup, after in (
            ("holdcall", force(1, "connected"), "onhold"),
            ("cancel", force(1, "calling"), "idle"),
        )
    ),
    Works(
        model="GXP1628",
        name="phone_operation(holdcall toggles)",
        call=lambda c: c.phone_operation("holdcall"),
        function=Function.PHONE_OPERATION,
        params={"cmd": "holdcall"},
        setup=force(1, "onhold"),
        effect=line_is("connected"),
    ),
    Works(
        model="GRP2616",
        name="phone_operation(unhold, arg)",
        call=lambda c: c.phone_operation("unhold", arg=2),
        function=Function.PHONE_OPERATION,
        params={"cmd": "unhold", "arg": "2"},
        setup=both(force(1, "onhold"), force(2, "onhold")),
        effect=lambda sim: (
            (sim.line(1).state, sim.line(2).state) == ("onhold", "connected")
        ),
    ),
    Works(
        model="GSC3516",
        name="phone_operation(mute)",
        call=lambda c: c.phone_operation("mute"),
        function=Function.PHONE_OPERATION,
        params={"cmd": "mute"},
        setup=force(1, "connected"),
        effect=lambda sim: sim.muted,
    ),
    # --- device_operation (DP): line commands with line=N, handset commands without
    *(
        Works(
            model="DP750",
            name=f"device_operation({cmd})",
            call=device_operation(cmd),
            function=Function.DEVICE_OPERATION,
            params={"hs": "2", "line": "3", "cmd": cmd},
            setup=force(3, before, handset=2),
            effect=line_is(after, line=3, handset=2),
        )
        for cmd, before, after in (
            ("endcall", "connected", "idle"),
            ("holdcall", "connected", "onhold"),
            ("unholdcall", "onhold", "connected"),
            ("acceptcall", "ringing", "connected"),
            ("rejectcall", "ringing", "idle"),
            ("cancel", "calling", "idle"),
        )
    ),
    *(
        Works(
            model="DP750",
            name=f"device_operation({cmd})",
            # A line given with a handset command is dropped: the Grandstream
            # CTI guide (DP750/720 edition) gives it none.
            call=device_operation(cmd),
            function=Function.DEVICE_OPERATION,
            params={"hs": "2", "cmd": cmd},
            setup=setup,
            effect=effect,
        )
        for cmd, setup, effect in (
            ("mute", force(1, "connected", handset=2), lambda s: s.handsets[1].muted),
            ("speaker", lambda s: None, lambda s: s.handsets[1].speaker),
            ("setdnd", lambda s: None, lambda s: s.handsets[1].dnd),
            (
                "unsetdnd",
                lambda s: s.state.set_dnd(s.handsets[1], True),
                lambda s: not s.handsets[1].dnd,
            ),
        )
    ),
    # --- sys_operation: every family, whatever body its success carries
    *(
        Works(
            model=model,
            name=f"sys_operation({request})",
            call=sys_operation(request),
            function=Function.SYS_OPERATION,
            params={"request": request},
        )
        for model in MODELS
        for request in ("REBOOT", "RESET")
    ),
]


@pytest.mark.parametrize(
    ("model", "case"),
    [(case.model, case) for case in WORKS],
    ids=[case.id for case in WORKS],
)
async def test_function(
    client: GrandstreamCti, simulator: PhoneSimulator, case: Works
) -> None:
    """Each function sends the guide's path and parameters and parses the answer."""
    case.setup(simulator)

    result = await case.call(client)

    assert sent(simulator) == [cgi(case.function, **case.params)]
    assert result == case.result
    assert case.effect(simulator)


# One call per function, to show a family without it refuses before any request.
UNSUPPORTED_CALLS: dict[Function, Call] = {
    Function.GET_LINE_STATUS: lambda c: c.get_line_status(),
    Function.GET_PHONE_STATUS: lambda c: c.get_phone_status(),
    Function.GET_ACCOUNTS: lambda c: c.get_accounts(),
    Function.GET_ACCOUNT_STATUS: lambda c: c.get_account_status(1),
    Function.GET_HS_STATUS: lambda c: c.get_handset_status(1),
    Function.GET_HS_LINE_STATUS: lambda c: c.get_handset_line_status(1),
    Function.MAKE_CALL: lambda c: c.make_call("1003"),
    Function.SEND_KEY: lambda c: c.send_key("1"),
    Function.PHONE_OPERATION: lambda c: c.phone_operation("endcall"),
    Function.DEVICE_OPERATION: lambda c: c.device_operation(
        "endcall", handset=1, line=1
    ),
    Function.SYS_OPERATION: lambda c: c.sys_operation("REBOOT"),
    Function.GET_MUSIC: lambda c: c.get_music(),
    Function.CTRL_MUSIC_PLAY: lambda c: c.ctrl_music_play(state=1, url=MUSIC),
}
UNSUPPORTED = [
    (model, function)
    for model, family in MODEL_FAMILY.items()
    for function in Function
    if function not in GUIDE_FUNCTIONS[family]
]


@pytest.mark.parametrize(("model", "function"), UNSUPPORTED)
async def test_unsupported_function(
    client: GrandstreamCti, simulator: PhoneSimulator, function: Function
) -> None:
    """A function the family lacks raises GrandstreamUnsupportedError before any request."""
    with pytest.raises(GrandstreamUnsupportedError, match=function):
        await UNSUPPORTED_CALLS[function](client)

    assert simulator.requests == []


def test_tables_cover_every_function_of_every_model() -> None:
    """Every function is either tested to work or to be refused on every model."""
    assert set(MODEL_FAMILY) == set(MODELS)
    assert set(UNSUPPORTED_CALLS) == set(Function)
    works = {(case.model, case.function) for case in WORKS}
    for model, family in MODEL_FAMILY.items():
        for function in Function:
            supported = function in GUIDE_FUNCTIONS[family]
            assert ((model, function) in works) is supported, (model, function)
            assert ((model, function) in UNSUPPORTED) is not supported


@pytest.mark.parametrize(
    ("model", "call", "field"),
    [
        # The DP750 needs the handset; desk phones and speakers have none.
        ("DP750", lambda c: c.make_call("1003"), "handset"),
        ("DP750", lambda c: c.send_key("1"), "handset"),
        ("GRP2616", lambda c: c.make_call("1003", handset=1), "handset"),
        ("GSC3516", lambda c: c.make_call("1003", handset=1), "handset"),
        ("GXP2170", lambda c: c.send_key("1", handset=1), "handset"),
        ("GRP2616", lambda c: c.make_call(""), "number"),
        ("DP750", lambda c: c.make_call("1003", handset=6), "handset"),
        ("DP750", lambda c: c.make_call("1003", handset=0), "handset"),
        ("DP750", lambda c: c.get_handset_status(6), "handset"),
        ("DP750", lambda c: c.get_handset_line_status(True), "handset"),
        ("DP750", lambda c: c.get_account_status(11), "account"),
        ("DP750", lambda c: c.device_operation("endcall", handset=1), "line"),
        ("DP750", lambda c: c.device_operation("endcall", handset=1, line=11), "line"),
        ("DP750", lambda c: c.device_operation("mute", handset=6), "handset"),
        ("GXP2170", lambda c: c.sys_operation("reboot"), "request"),
        ("GXP2170", lambda c: c.send_key("1:FOO:SEND"), "keys"),
    ],
)
async def test_invalid_input(
    client: GrandstreamCti, simulator: PhoneSimulator, call: Call, field: str
) -> None:
    """Parameters the phone cannot take raise GrandstreamInvalidInputError before any request."""
    with pytest.raises(GrandstreamInvalidInputError) as err:
        await call(client)

    assert err.value.field == field
    assert simulator.requests == []


# ----- routed helpers


@pytest.mark.parametrize(
    ("model", "number", "handset", "expected"),
    [
        # GXP dials with digit keys and SEND (the guides have no make_call there).
        ("GXP2170", "1003", None, cgi(Function.SEND_KEY, keys="1:0:0:3:SEND")),
        ("GXP1628", " *7-1 ", None, cgi(Function.SEND_KEY, keys="*:7:1:SEND")),
        (
            "GRP2616",
            "+49 (30) 1234",
            None,
            cgi(Function.MAKE_CALL, phonenumber="+49301234"),
        ),
        ("GSC3516", "10.03", None, cgi(Function.MAKE_CALL, phonenumber="1003")),
        ("DP750", "1003", None, cgi(Function.MAKE_CALL, hs="1", phonenumber="1003")),
        ("DP750", "1003#", 2, cgi(Function.MAKE_CALL, hs="2", phonenumber="1003#")),
        ("GRP2616", "1" * 64, None, cgi(Function.MAKE_CALL, phonenumber="1" * 64)),
    ],
)
async def test_dial(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    number: str,
    handset: int | None,
    expected: tuple[str, dict[str, str]],
) -> None:
    """Dialing takes the family's route with the cleaned number."""
    await client.dial(number, handset=handset)

    assert sent(simulator) == [expected]
    assert simulator.line(1, handset).state == "calling"


@pytest.mark.parametrize(
    ("model", "number", "handset", "reason"),
    [
        ("GXP2170", "+4930123", None, "only digits, * and # can be dialed"),
        ("GRP2616", "1003a", None, "only digits, *, # and + can be dialed"),
        ("GRP2616", "1" * 65, None, "longer than 64 characters"),
        ("GSC3516", " - ", None, "empty"),
        ("GRP2616", "1003", 1, "GRP260x/261x phones have no handsets"),
        ("DP750", "1003", 6, "must be between 1 and 5"),
    ],
)
async def test_dial_refused(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    number: str,
    handset: int | None,
    reason: str,
) -> None:
    """A number or handset the family cannot dial is refused before sending."""
    with pytest.raises(GrandstreamInvalidInputError) as err:
        await client.dial(number, handset=handset)

    assert err.value.reason == reason
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("model", "number", "cleaned"),
    [
        ("GXP2170", " 10 03 ", "1003"),
        ("GXP2170", "(030) 123-45.6/7", "0301234567"),
        ("GXP2170", "*72#", "*72#"),
        ("GRP2616", "+49 30 1234", "+49301234"),
        ("DP750", "+1 (555) 0100", "+15550100"),
        ("GSC3516", "1" * 64, "1" * 64),
    ],
)
def test_validate_number(client: GrandstreamCti, number: str, cleaned: str) -> None:
    """Separators are dropped; what remains is what gets dialed."""
    assert client.validate_number(number) == cleaned


@pytest.mark.parametrize(
    ("model", "operation", "handset", "line", "setup", "expected", "effect"),
    [
        (
            "GXP2170",
            CallOperation.ACCEPT,
            None,
            None,
            ring(),
            cgi(Function.PHONE_OPERATION, cmd="acceptcall"),
            line_is("connected"),
        ),
        (
            "GXP1628",
            CallOperation.HOLD,
            None,
            None,
            force(1, "connected"),
            cgi(Function.PHONE_OPERATION, cmd="holdcall"),
            line_is("onhold"),
        ),
        (
            "GRP2616",
            CallOperation.UNHOLD,
            None,
            2,
            force(2, "onhold"),
            cgi(Function.PHONE_OPERATION, cmd="unhold", arg="2"),
            line_is("connected", line=2),
        ),
        (
            "GRP2616",
            CallOperation.CANCEL,
            None,
            None,
            force(1, "calling"),
            cgi(Function.PHONE_OPERATION, cmd="cancel"),
            line_is("idle"),
        ),
        (
            "DP750",
            CallOperation.REJECT,
            None,
            None,
            ring(),
            cgi(Function.DEVICE_OPERATION, hs="1", line="1", cmd="rejectcall"),
            line_is("idle"),
        ),
        (
            "DP750",
            CallOperation.UNHOLD,
            2,
            4,
            force(4, "onhold", handset=2),
            cgi(Function.DEVICE_OPERATION, hs="2", line="4", cmd="unholdcall"),
            line_is("connected", line=4, handset=2),
        ),
        (
            "DP750",
            CallOperation.SPEAKER,
            2,
            None,
            lambda sim: None,
            cgi(Function.DEVICE_OPERATION, hs="2", cmd="speaker"),
            lambda sim: sim.handsets[1].speaker,
        ),
        (
            "GSC3516",
            CallOperation.END,
            None,
            None,
            force(1, "connected"),
            cgi(Function.PHONE_OPERATION, cmd="endcall"),
            line_is("idle"),
        ),
        (
            "GSC3516",
            CallOperation.MUTE,
            None,
            None,
            force(1, "connected"),
            cgi(Function.PHONE_OPERATION, cmd="mute"),
            lambda sim: sim.muted,
        ),
    ],
)
async def test_call_operation(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    operation: CallOperation,
    handset: int | None,
    line: int | None,
    setup: SimHook,
    expected: tuple[str, dict[str, str]],
    effect: SimHook,
) -> None:
    """Call operations take the family's command and function."""
    setup(simulator)

    await client.call_operation(operation, handset=handset, line=line)

    assert sent(simulator) == [expected]
    assert effect(simulator)


@pytest.mark.parametrize(
    ("model", "operation", "handset", "line", "error"),
    [
        # GXP holdcall toggles: there is no separate unhold to send.
        ("GXP2170", CallOperation.UNHOLD, None, None, GrandstreamUnsupportedError),
        ("GXP2170", CallOperation.MUTE, None, None, GrandstreamUnsupportedError),
        ("GXP1628", CallOperation.SPEAKER, None, None, GrandstreamUnsupportedError),
        ("GRP2616", CallOperation.MUTE, None, None, GrandstreamUnsupportedError),
        ("GSC3516", CallOperation.HOLD, None, None, GrandstreamUnsupportedError),
        ("GSC3516", CallOperation.CANCEL, None, None, GrandstreamUnsupportedError),
        # Only GRP firmware takes the line of a phone operation.
        ("GXP2170", CallOperation.END, None, 2, GrandstreamInvalidInputError),
        ("GSC3516", CallOperation.END, None, 1, GrandstreamInvalidInputError),
        ("GRP2616", CallOperation.END, 1, None, GrandstreamInvalidInputError),
        ("DP750", CallOperation.END, 6, None, GrandstreamInvalidInputError),
        ("DP750", CallOperation.END, 1, 11, GrandstreamInvalidInputError),
    ],
)
async def test_call_operation_refused(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    operation: CallOperation,
    handset: int | None,
    line: int | None,
    error: type[Exception],
) -> None:
    """Operations the family lacks, or arguments it cannot take, send nothing."""
    with pytest.raises(error):
        await client.call_operation(operation, handset=handset, line=line)

    assert simulator.requests == []


@pytest.mark.parametrize(
    ("model", "enabled", "handset", "expected", "dnd"),
    [
        (
            "DP750",
            True,
            None,
            cgi(Function.DEVICE_OPERATION, hs="1", cmd="setdnd"),
            True,
        ),
        (
            "DP750",
            False,
            2,
            cgi(Function.DEVICE_OPERATION, hs="2", cmd="unsetdnd"),
            False,
        ),
    ],
)
async def test_set_dnd_dp(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    enabled: bool,
    handset: int | None,
    expected: tuple[str, dict[str, str]],
    dnd: bool,
) -> None:
    """The DP750 sets and clears DND per handset; it needs no current state."""
    simulator.state.set_dnd(simulator.handsets[1], True)

    assert await client.set_dnd(enabled, handset=handset) is True

    assert sent(simulator) == [expected]
    station = simulator.handsets[(handset or 1) - 1]
    assert station.dnd is dnd


@pytest.mark.parametrize("model", ["GXP2170", "GXP1628", "GRP2616"])
@pytest.mark.parametrize("enabled", [True, False])
async def test_set_dnd_toggle_key(
    client: GrandstreamCti, simulator: PhoneSimulator, enabled: bool
) -> None:
    """Desk phones press the DND key only when the known state differs."""
    simulator.state.set_dnd(simulator.state.station(), not enabled)

    assert await client.set_dnd(enabled, current=enabled) is False
    assert simulator.requests == []

    assert await client.set_dnd(enabled, current=not enabled) is True
    assert sent(simulator) == [cgi(Function.SEND_KEY, keys="DND")]
    assert simulator.dnd is enabled


@pytest.mark.parametrize(
    ("model", "kwargs", "error"),
    [
        # Without the current state, the toggle key could switch DND the wrong way.
        ("GXP2170", {}, GrandstreamUnsupportedError),
        ("GRP2616", {}, GrandstreamUnsupportedError),
        ("GXP2170", {"current": False, "handset": 1}, GrandstreamInvalidInputError),
        ("GSC3516", {"current": False}, GrandstreamUnsupportedError),
    ],
)
async def test_set_dnd_refused(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    kwargs: dict[str, Any],
    error: type[Exception],
) -> None:
    """DND that cannot be switched safely sends nothing."""
    with pytest.raises(error):
        await client.set_dnd(True, **kwargs)

    assert simulator.requests == []


@pytest.mark.parametrize(
    ("model", "keys", "names"),
    [
        ("GXP2170", "1:0:#:*:send", ["1", "0", "#", "*", "SEND"]),
        ("GXP1628", [" line1 ", "mpk24", "Vup"], ["LINE1", "MPK24", "VUP"]),
        ("GRP2616", "DND", ["DND"]),
        # The DP750 wants # and * spelled out.
        ("DP750", "#:*:ok", ["HASH", "STAR", "OK"]),
        (
            "DP750",
            ["hash", "offhook", "left_soft_key"],
            ["HASH", "OFFHOOK", "LEFT_SOFT_KEY"],
        ),
    ],
)
def test_normalize_keys(
    client: GrandstreamCti, keys: str | list[str], names: list[str]
) -> None:
    """Keys are given as a list or a colon string, in any case."""
    assert client.normalize_keys(keys) == names


@pytest.mark.parametrize(
    ("model", "keys", "reason"),
    [
        ("GXP2170", "1:FOO", "'FOO' is not a key of GXP16xx/17xx/21xx phones"),
        ("GXP2170", "OFFHOOK", "'OFFHOOK' is not a key of GXP16xx/17xx/21xx phones"),
        ("GRP2616", "1::2", "'' is not a key of GRP260x/261x phones"),
        # The Sending Keys table of the Grandstream CTI guides has LINE1-8
        # and MPK1-24 only.
        ("DP750", ["LINE9"], "'LINE9' is not a key of DP750/720 phones"),
        ("DP750", "MPK25", "'MPK25' is not a key of DP750/720 phones"),
        ("DP750", [], "empty"),
    ],
)
def test_normalize_keys_refused(
    client: GrandstreamCti, keys: str | list[str], reason: str
) -> None:
    """An unknown key is refused with the key it was."""
    with pytest.raises(GrandstreamInvalidInputError) as err:
        client.normalize_keys(keys)

    assert err.value.field == "keys"
    assert err.value.reason == reason


@pytest.mark.parametrize("model", ["GSC3516"])
def test_normalize_keys_without_send_key(client: GrandstreamCti) -> None:
    """A family without send_key has no keys at all."""
    with pytest.raises(GrandstreamUnsupportedError):
        client.normalize_keys("1")


@pytest.mark.parametrize("model", ["GXP2170", "DP750"])
async def test_send_key_refuses_unknown_key(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """One unknown key in a sequence sends none of them."""
    with pytest.raises(GrandstreamInvalidInputError):
        await client.send_key(
            ["1", "2", "NOPE", "SEND"], handset=1 if simulator.handsets else None
        )

    assert simulator.requests == []


@pytest.mark.parametrize("model", MODELS)
async def test_reboot_and_factory_reset(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """Reboot and reset send their request and return nothing."""
    assert await client.reboot() is None
    assert sent(simulator) == [cgi(Function.SYS_OPERATION, request="REBOOT")]

    # The phone is back after its (short) reboot.
    await wait_until_back(simulator)
    simulator.clear_requests()

    assert await client.factory_reset() is None
    assert sent(simulator) == [cgi(Function.SYS_OPERATION, request="RESET")]


async def wait_until_back(simulator: PhoneSimulator) -> None:
    """Wait until a rebooting simulated phone listens again."""
    async with asyncio.timeout(5):
        while not simulator.events or simulator.events[-1].name != "setup_completed":
            await asyncio.sleep(0.01)


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_play_and_stop_music(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """Music plays once or in a loop, and stops."""
    await client.play_music(MUSIC, loop=True)
    assert (simulator.music_playing, simulator.music_loop) == (MUSIC, True)

    await client.stop_music()
    assert (simulator.music_playing, simulator.music_loop) == (None, False)

    await client.play_music(MUSIC)
    assert (simulator.music_playing, simulator.music_loop) == (MUSIC, False)
    assert sent(simulator) == [
        cgi(Function.CTRL_MUSIC_PLAY, state="1", type="1", url=MUSIC, loop="1"),
        cgi(Function.CTRL_MUSIC_PLAY, state="0", type="1", url="", loop="0"),
        cgi(Function.CTRL_MUSIC_PLAY, state="1", type="1", url=MUSIC, loop="0"),
    ]


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616", "DP750"])
async def test_music_unsupported(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """Only GSC speakers play music."""
    with pytest.raises(GrandstreamUnsupportedError):
        await client.play_music(MUSIC)
    with pytest.raises(GrandstreamUnsupportedError):
        await client.stop_music()

    assert simulator.requests == []


# ----- detection


MODEL_QUERY = ("/cgi-bin/api.values.get", {"request": "phone_model"})


@pytest.mark.parametrize(
    ("model", "simulator_options", "detected", "requests"),
    [
        (
            "GXP2170",
            {},
            DetectedPhone(family=Family.GXP, model="GXP2170"),
            [
                MODEL_QUERY,
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_PHONE_STATUS),
            ],
        ),
        (
            "GXP1628",
            {},
            DetectedPhone(family=Family.GXP, model="GXP1628"),
            [
                MODEL_QUERY,
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_PHONE_STATUS),
            ],
        ),
        (
            "DP750",
            {},
            DetectedPhone(family=Family.DP, model="DP750"),
            [
                MODEL_QUERY,
                cgi(Function.GET_ACCOUNT_STATUS, account="1"),
                cgi(Function.GET_HS_LINE_STATUS, hs="1"),
                cgi(Function.GET_HS_STATUS, hs="1"),
            ],
        ),
        (
            "GSC3516",
            {},
            DetectedPhone(family=Family.GSC, model="GSC3516"),
            [MODEL_QUERY, cgi(Function.GET_PHONE_STATUS)],
        ),
        # GRP2616 firmware answers the model query with a 404: probe functions.
        (
            "GRP2616",
            {},
            DetectedPhone(family=Family.GRP, model=None),
            [
                MODEL_QUERY,
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_ACCOUNTS),
            ],
        ),
        # Line status without accounts: GXP, unless music answers (GSC).
        (
            "GXP2170",
            {"model_query": False},
            DetectedPhone(family=Family.GXP, model=None),
            [
                MODEL_QUERY,
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_ACCOUNTS),
                cgi(Function.GET_MUSIC),
            ],
        ),
        (
            "GSC3516",
            {"model_query": False},
            DetectedPhone(family=Family.GSC, model=None),
            [MODEL_QUERY, cgi(Function.GET_LINE_STATUS), cgi(Function.GET_MUSIC)],
        ),
        (
            "GSC3516",
            {"model_query": False, "gsc_line_status": True},
            DetectedPhone(family=Family.GSC, model=None),
            [
                MODEL_QUERY,
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_ACCOUNTS),
                cgi(Function.GET_MUSIC),
            ],
        ),
        (
            "DP750",
            {"model_query": False},
            DetectedPhone(family=Family.DP, model=None),
            [
                MODEL_QUERY,
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_MUSIC),
                cgi(Function.GET_HS_STATUS, hs="1"),
            ],
        ),
    ],
)
async def test_detect(
    session: aiohttp.ClientSession,
    simulator: PhoneSimulator,
    detected: DetectedPhone,
    requests: list[tuple[str, dict[str, str]]],
) -> None:
    """Detection names the family and proves the passcode and the family."""
    client = cti_client(session, simulator)

    assert await client.detect() == detected

    assert client.family is detected.family
    # The model query is unauthenticated: it never carries the passcode.
    assert sent(simulator) == requests


@pytest.mark.parametrize("model", ["GXP2170", "GRP2616"])
async def test_detect_wrong_passcode(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """A refused passcode ends detection after one authenticated request."""
    client = cti_client(session, simulator, passcode="wrong")

    with pytest.raises(GrandstreamAuthenticationError):
        await client.detect()

    authenticated = [r for r in simulator.requests if "passcode" in r.params]
    assert len(authenticated) == 1


@pytest.mark.parametrize(
    ("model_answer", "model"),
    [
        ((404, "<h1>404 Not Found</h1>"), None),
        (CannedPhone.json({"response": "success", "body": {"phone_model": ""}}), None),
        ((200, "<html><body>Please log in</body></html>"), None),
        # A model of no known family is kept, and the family probed.
        (
            CannedPhone.json({"response": "success", "body": {"phone_model": "HT812"}}),
            "HT812",
        ),
    ],
)
async def test_detect_probes_when_model_unknown(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    model_answer: tuple[int, str],
    model: str | None,
) -> None:
    """A missing, empty, non-JSON or unknown model falls back to probing."""
    lines = CannedPhone.json({"response": "success", "body": []})
    async with CannedPhone(
        {"api.values.get": model_answer, "api-get_line_status": lines}
    ) as phone:
        client = cti_client(session, phone)

        assert await client.detect() == DetectedPhone(family=Family.GXP, model=model)

    assert phone.paths == [
        "/cgi-bin/api.values.get",
        "/cgi-bin/api-get_line_status",
        "/cgi-bin/api-get_accounts",
        "/cgi-bin/api-get_music",
    ]


async def test_detect_nothing_answers(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """A web server that knows no CTI function is not a supported phone."""
    async with CannedPhone() as phone:
        client = cti_client(session, phone)

        with pytest.raises(
            GrandstreamUnsupportedError, match="none of the known CTI functions"
        ):
            await client.detect()

    assert client.family is None
    assert phone.paths == [
        "/cgi-bin/api.values.get",
        "/cgi-bin/api-get_line_status",
        "/cgi-bin/api-get_music",
        "/cgi-bin/api-get_hs_status",
    ]


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (
            "GXP2170",
            [cgi(Function.GET_LINE_STATUS), cgi(Function.GET_PHONE_STATUS)],
        ),
        (
            "GRP2616",
            [
                cgi(Function.GET_ACCOUNTS),
                cgi(Function.GET_LINE_STATUS),
                cgi(Function.GET_PHONE_STATUS),
            ],
        ),
        (
            "GSC3516",
            [cgi(Function.GET_PHONE_STATUS)],
        ),
        (
            "DP750",
            [
                cgi(Function.GET_ACCOUNT_STATUS, account="1"),
                cgi(Function.GET_HS_LINE_STATUS, hs="1"),
                cgi(Function.GET_HS_STATUS, hs="1"),
            ],
        ),
    ],
)
async def test_verify(
    client: GrandstreamCti,
    simulator: PhoneSimulator,
    expected: list[tuple[str, dict[str, str]]],
) -> None:
    """Verifying reads each status function the family polls, once."""
    await client.verify()

    assert sent(simulator) == expected


@pytest.mark.parametrize(
    ("model", "family"),
    [("GSC3516", Family.GXP), ("GXP2170", Family.GRP), ("GSC3516", Family.DP)],
)
async def test_verify_wrong_family(
    session: aiohttp.ClientSession, simulator: PhoneSimulator, family: Family
) -> None:
    """A phone of another family fails verification with GrandstreamUnsupportedError."""
    client = cti_client(session, simulator, family=family)

    with pytest.raises(GrandstreamUnsupportedError):
        await client.verify()


async def test_unknown_family(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """Before detection, family-routed helpers refuse and send nothing."""
    client = cti_client(session, simulator)

    with pytest.raises(GrandstreamUnsupportedError, match="not known"):
        await client.verify()
    with pytest.raises(GrandstreamUnsupportedError, match="not known"):
        await client.dial("1003")
    with pytest.raises(GrandstreamUnsupportedError, match="not known"):
        client.normalize_keys("1")

    assert simulator.requests == []


@pytest.mark.parametrize("model", ["DP750"])
async def test_functions_before_detection(
    session: aiohttp.ClientSession, simulator: PhoneSimulator
) -> None:
    """Plain functions work on a client that does not know the family yet."""
    client = cti_client(session, simulator)

    status = await client.get_account_status(1)
    handset = await client.get_handset_status(2)

    assert status.registered
    assert handset.paired
    assert sent(simulator) == [
        cgi(Function.GET_ACCOUNT_STATUS, account="1"),
        cgi(Function.GET_HS_STATUS, hs="2"),
    ]


async def test_command_rejected_by_simulator(
    client: GrandstreamCti, simulator: PhoneSimulator
) -> None:
    """A command the phone cannot carry out raises GrandstreamCommandRejectedError with its body."""
    with pytest.raises(GrandstreamCommandRejectedError) as err:
        await client.phone_operation("acceptcall")

    assert err.value.function == Function.PHONE_OPERATION
    assert err.value.body is False
