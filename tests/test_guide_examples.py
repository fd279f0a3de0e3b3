"""The vendor guides' example answers, as printed: through the client, and from the simulator.

Each answer below is copied from the guide it names, spacing and line breaks
kept. Three are repaired, and say how: typographic quotes that word processors
put into two guides, a table cell that split the GSC phone status example, and
a page break inside the DP handset line status example. The guides print no
answer for api-get_accounts (the GRP2616 CTI guide stops after the request)
nor for api-ctrl_music_play: what the client expects of those rests on field
reports (README, "What rests on the guides and what on field reports").
"""

from __future__ import annotations

import json
import re
from typing import Any

import aiohttp
import pytest

from custom_components.grandstream_cti.cti import (
    AccountStatus,
    Family,
    Function,
    GrandstreamCommandRejectedError,
    GrandstreamCti,
    GrandstreamInvalidInputError,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    MusicFile,
    PhoneStatus,
)

from .conftest import PASSCODE
from .cti_helpers import CannedPhone, cti_client
from .simulator import PhoneSimulator

pytestmark = pytest.mark.usefixtures("socket_enabled")

# Grandstream CTI Guide (first edition, GXP16xx/21xx), Line Status Function.
GXP_LINE_STATUS = (
    '{"response":"success", "body": [{"line": 1, "state": "idle", "acct": "", '
    '"remotename": "", "remotenum": "", "active": 0}, {"line": 2, "state": "idle", '
    '"acct": "", "remotename": "", "remotenum": "", "active": 0}, {"line": 3, '
    '"state": "idle", "acct": "", "remotename": "", "remotenum": "", "active": 0}]}'
)
# GRP260x CTI Guide, Response format: `remotenumber`, and a line break inside.
GRP_LINE_STATUS = (
    '{"response":"success", "body": [{"line": 1, "state": "idle", "acct": "", '
    '"remotename": "", "remotenumber": "", "active": 0}, {"line": 2, "state":\n'
    '"idle", "acct": "", "remotename": "", "remotenumber": "", "active": 0}, '
    '{"line": 3, "state": "idle", "acct": "", "remotename": "",\n'
    '"remotenumber": "", "active": 0}]}'
)
# GSC3505/3510/3506/3516 CTI Guide, Response format (its request example too).
GSC_LINE_STATUS = (
    '{"response": "success", "body": [{"line": 1, "state": "idle", "acct": "", '
    '"remotename": "", "remotenum": "", "active": 0}, {"line": 2, "state": "idle", '
    '"acct": "", "remotename": "", "remotenum": "", "active": 0}, {"line": 3, '
    '"state": "idle", "acct": "", "remotename": "", "remotenum": "", "active": 0}]}'
)
# Grandstream CTI Guide (both editions), Phone Status Function.
PHONE_AVAILABLE = '{"response":"success", "body": "available", "misc": "0"}'
PHONE_BUSY = '{"response":"success", "body": "busy", "misc": "0"}'
# GSC CTI Guide, Phone Status Function; the table cell printed it as
# `{"response": "success", "misc": "1"} "body": "available"`: rejoined.
GSC_PHONE_AVAILABLE = '{"response": "success", "body": "available", "misc": "1"}'
# Grandstream CTI Guide (DP750/720 edition), Account Status.
ACCOUNT_REGISTERED = (
    '{ "response": "success", "Account1": { "Registered": 1, "Profile": 1, '
    '"Active": 1, "HSMode": "HS1" } }'
)
ACCOUNT_NOT_REGISTERED = (
    '{ "response": "success", "Account1": { "Registered": 0, "Profile": 1, '
    '"Active": 0, "HSMode": "HS1" } }'
)
# Grandstream CTI Guide (DP750/720 edition), Handset Status.
HANDSET_PAIRED = (
    '{ "response": "success", "HS1": { "initialized": 1, "subscribed": 1, '
    '"status": "idle" } }'
)
HANDSET_NOT_PAIRED = (
    '{ "response": "success", "HS1": { "initialized": 0, "subscribed": 0, '
    '"status": "" } }'
)
# Grandstream CTI Guide (DP750/720 edition), Handset Line Status. A page
# break after Line7's "Registered": 0 repeats its end; joined there.
HANDSET_LINE_STATUS = (
    '{ "response": "success", "HS1": { "Line1": { "Status": "idle", "Account": 1, '
    '"Registered": 1, "Active": 1 }, "Line2": { "Status": "idle", "Account": 0, '
    '"Registered": 0, "Active": 0 }, "Line3": { "Status": "idle", "Account": 0, '
    '"Registered": 0, "Active": 0 }, "Line4": { "Status": "idle", "Account": 0, '
    '"Registered": 0, "Active": 0 }, "Line5": { "Status": "idle", "Account": 0, '
    '"Registered": 0, "Active": 0 }, "Line6": { "Status": "idle", "Account": 0, '
    '"Registered": 0, "Active": 0 }, "Line7": { "Status": "idle", "Account": 0, '
    '"Registered": 0, \n'
    '"Active": 0 }, "Line8": { "Status": "idle", "Account": 0,\n'
    '"Registered": 0, "Active": 0 }, "Line9": { "Status": "idle",\n'
    '"Account": 0, "Registered": 0, "Active": 0 }, "Line10": {\n'
    '"Status": "idle", "Account": 0, "Registered": 0, "Active": 0 }\n'
    "} }"
)
# Make Call: DP750/720 edition and GSC guide alike.
MAKE_CALL = '{ "response": "success", "body": true }'
# Sending Keys Functions (both editions).
KEYS_DONE = '{"response": "success", "body": "complete"}'
KEYS_REFUSED = '{"response": "error", "body": "unknown"}'
# Phone Operations and Device Operations Functions.
OPERATION_DONE = '{"response": "success", "body": true}'
OPERATION_REFUSED = '{"response": "error", "body": false}'
# GRP2616 CTI Guide, Phone Operations, with its typographic quotes.
GRP2616_OPERATION_DONE = "{“response”: “success”, “body”: true}"
GRP2616_OPERATION_REFUSED = "{“response”: “error”, “body”: false}"
# System Operations Functions: first edition, then the DP750/720 edition.
REBOOTED = '{"response": "success", "body": "savereboot"}'
REBOOTED_DP = '{"response":"success", "body": "directreboot"}'
RESET = '{"response":"success", "body": "reset"}'
SYSTEM_REFUSED = '{"response":"error", "body": "unknown"}'
# GSC CTI Guide, Get Local Music List, with its typographic quotes.
MUSIC = (
    "{“response”:“success”, “body”:[{“fileName”: “music1.ogg”, “path”: "
    "“/var/user/music/music1.ogg”}, {“fileName”: “music2.ogg”, “path”: "
    "“/var/user/music/music2.ogg”}]}"
)
# Response format, every guide: the generic answers.
COMPLETE = '{"response": "success", "body": "complete"}'
FAILED = '{"response": "error", "body": "failed"}'

# The functions whose answer some guide prints, and the tests that feed it.
COVERED = {
    Function.GET_LINE_STATUS,
    Function.GET_PHONE_STATUS,
    Function.GET_ACCOUNT_STATUS,
    Function.GET_HS_STATUS,
    Function.GET_HS_LINE_STATUS,
    Function.MAKE_CALL,
    Function.SEND_KEY,
    Function.PHONE_OPERATION,
    Function.DEVICE_OPERATION,
    Function.SYS_OPERATION,
    Function.GET_MUSIC,
}
# No guide prints their answer.
UNPRINTED = {Function.GET_ACCOUNTS, Function.CTRL_MUSIC_PLAY}


def ascii_quotes(text: str) -> str:
    """Undo a word processor's typographic quotes; nothing else changes."""
    return text.replace("“", '"').replace("”", '"')


def one_spaced(text: str) -> str:
    """Return text with every run of white space as one space."""
    return re.sub(r"\s+", " ", text)


async def answered(
    session: aiohttp.ClientSession,
    family: Family,
    function: Function,
    text: str,
    call: Any,
) -> Any:
    """Return what the client makes of a phone answering `text` to `function`."""
    async with CannedPhone({function: (200, text)}) as phone:
        client = cti_client(session, phone, family=family)
        return await call(client)


def test_every_function_is_covered_or_unprinted() -> None:
    """A new function gets a guide example here, or is named as having none."""
    assert set(Function) == COVERED | UNPRINTED
    assert not COVERED & UNPRINTED


# ----- the client reads the guides' answers


IDLE_LINES = tuple(
    LineStatus(
        line=n,
        state="idle",
        account=None,
        remote_name="",
        remote_number="",
        active=False,
    )
    for n in (1, 2, 3)
)


@pytest.mark.parametrize(
    ("family", "text"),
    [
        (Family.GXP, GXP_LINE_STATUS),
        (Family.GRP, GRP_LINE_STATUS),
        (Family.GSC, GSC_LINE_STATUS),
    ],
)
async def test_line_status(
    session: aiohttp.ClientSession, family: Family, text: str
) -> None:
    """Three idle lines; an empty `acct` is no account on every family."""
    async with CannedPhone({Function.GET_LINE_STATUS: (200, text)}) as phone:
        client = cti_client(session, phone, family=family)
        if family is Family.GSC:
            assert await client.probe_unlisted_functions() == {Function.GET_LINE_STATUS}
        lines = await client.get_line_status()

    assert lines == IDLE_LINES


@pytest.mark.parametrize(
    ("family", "text", "status"),
    [
        (Family.GXP, PHONE_AVAILABLE, PhoneStatus(status="available", misc="0")),
        (Family.GXP, PHONE_BUSY, PhoneStatus(status="busy", misc="0")),
        (Family.GSC, GSC_PHONE_AVAILABLE, PhoneStatus(status="available", misc="1")),
    ],
)
async def test_phone_status(
    session: aiohttp.ClientSession, family: Family, text: str, status: PhoneStatus
) -> None:
    """The phone status word and `misc`."""
    result = await answered(
        session,
        family,
        Function.GET_PHONE_STATUS,
        text,
        GrandstreamCti.get_phone_status,
    )

    assert result == status


@pytest.mark.parametrize(
    ("text", "registered"),
    [(ACCOUNT_REGISTERED, True), (ACCOUNT_NOT_REGISTERED, False)],
)
async def test_account_status(
    session: aiohttp.ClientSession, text: str, registered: bool
) -> None:
    """Registered or not, the account exists: it keeps its handset (HSMode)."""
    status = await answered(
        session,
        Family.DP,
        Function.GET_ACCOUNT_STATUS,
        text,
        lambda client: client.get_account_status(1),
    )

    assert status == AccountStatus(
        account=1,
        registered=registered,
        active=registered,
        profile=1,
        handset_mode="HS1",
    )
    assert status.configured


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            HANDSET_PAIRED,
            HandsetStatus(handset=1, initialized=True, paired=True, status="idle"),
        ),
        (
            HANDSET_NOT_PAIRED,
            HandsetStatus(handset=1, initialized=False, paired=False, status=""),
        ),
    ],
)
async def test_handset_status(
    session: aiohttp.ClientSession, text: str, status: HandsetStatus
) -> None:
    """The guide's `subscribed` is whether the handset is paired."""
    result = await answered(
        session,
        Family.DP,
        Function.GET_HS_STATUS,
        text,
        lambda client: client.get_handset_status(1),
    )

    assert result == status


async def test_handset_line_status(session: aiohttp.ClientSession) -> None:
    """Ten lines; Account 0 is no account."""
    lines = await answered(
        session,
        Family.DP,
        Function.GET_HS_LINE_STATUS,
        HANDSET_LINE_STATUS,
        lambda client: client.get_handset_line_status(1),
    )

    assert lines == (
        HandsetLineStatus(
            handset=1, line=1, state="idle", account=1, registered=True, active=True
        ),
        *(
            HandsetLineStatus(
                handset=1,
                line=n,
                state="idle",
                account=None,
                registered=False,
                active=False,
            )
            for n in range(2, 11)
        ),
    )


@pytest.mark.parametrize("family", [Family.DP, Family.GSC, Family.GRP])
async def test_make_call(session: aiohttp.ClientSession, family: Family) -> None:
    """The call is taken."""
    hs = 1 if family is Family.DP else None
    result = await answered(
        session,
        family,
        Function.MAKE_CALL,
        MAKE_CALL,
        lambda client: client.make_call("3501", handset=hs),
    )

    assert result is None


@pytest.mark.parametrize(
    ("family", "hs"), [(Family.GXP, None), (Family.GRP, None), (Family.DP, 1)]
)
async def test_send_key(
    session: aiohttp.ClientSession, family: Family, hs: int | None
) -> None:
    """Keys are taken, or refused with the guide's body."""
    result = await answered(
        session,
        family,
        Function.SEND_KEY,
        KEYS_DONE,
        lambda client: client.send_key("1:0:0:0", handset=hs),
    )
    assert result is None

    with pytest.raises(GrandstreamCommandRejectedError) as err:
        await answered(
            session,
            family,
            Function.SEND_KEY,
            KEYS_REFUSED,
            lambda client: client.send_key("VM", handset=hs),
        )
    assert err.value.body == "unknown"


@pytest.mark.parametrize(
    ("family", "done", "refused"),
    [
        (Family.GXP, OPERATION_DONE, OPERATION_REFUSED),
        (Family.GSC, OPERATION_DONE, OPERATION_REFUSED),
        (
            Family.GRP,
            ascii_quotes(GRP2616_OPERATION_DONE),
            ascii_quotes(GRP2616_OPERATION_REFUSED),
        ),
    ],
)
async def test_phone_operation(
    session: aiohttp.ClientSession, family: Family, done: str, refused: str
) -> None:
    """`true` is done; an error with `false` is refused."""
    assert (
        await answered(
            session,
            family,
            Function.PHONE_OPERATION,
            done,
            lambda client: client.phone_operation("endcall"),
        )
        is None
    )

    with pytest.raises(GrandstreamCommandRejectedError) as err:
        await answered(
            session,
            family,
            Function.PHONE_OPERATION,
            refused,
            lambda client: client.phone_operation("acceptcall"),
        )
    assert err.value.body is False


async def test_device_operation(session: aiohttp.ClientSession) -> None:
    """`true` is done; an error with `false` is refused."""
    assert (
        await answered(
            session,
            Family.DP,
            Function.DEVICE_OPERATION,
            OPERATION_DONE,
            lambda client: client.device_operation("endcall", handset=1, line=1),
        )
        is None
    )

    with pytest.raises(GrandstreamCommandRejectedError) as err:
        await answered(
            session,
            Family.DP,
            Function.DEVICE_OPERATION,
            OPERATION_REFUSED,
            lambda client: client.device_operation("mute", handset=1),
        )
    assert err.value.body is False


@pytest.mark.parametrize(
    ("family", "text", "request_"),
    [
        (Family.GXP, REBOOTED, "REBOOT"),
        (Family.DP, REBOOTED_DP, "REBOOT"),
        (Family.GSC, RESET, "RESET"),
    ],
)
async def test_sys_operation(
    session: aiohttp.ClientSession,
    family: Family,
    text: str,
    request_: str,
) -> None:
    """Each success the guides print is accepted; `unknown` is a refusal."""
    assert (
        await answered(
            session,
            family,
            Function.SYS_OPERATION,
            text,
            lambda client: client.sys_operation(request_),
        )
        is None
    )

    with pytest.raises(GrandstreamCommandRejectedError) as err:
        await answered(
            session,
            family,
            Function.SYS_OPERATION,
            SYSTEM_REFUSED,
            lambda client: client.sys_operation(request_),
        )
    assert err.value.body == "unknown"


async def test_music(session: aiohttp.ClientSession) -> None:
    """The music list, once the guide's quotes are plain again."""
    files = await answered(
        session,
        Family.GSC,
        Function.GET_MUSIC,
        ascii_quotes(MUSIC),
        GrandstreamCti.get_music,
    )

    assert files == (
        MusicFile(name="music1.ogg", path="/var/user/music/music1.ogg"),
        MusicFile(name="music2.ogg", path="/var/user/music/music2.ogg"),
    )


async def test_generic_answers(session: aiohttp.ClientSession) -> None:
    """The Response format section's positive and negative answers."""
    reboot = GrandstreamCti.reboot
    answer = await answered(
        session,
        Family.GXP,
        Function.SYS_OPERATION,
        COMPLETE,
        lambda client: client.request(Function.SYS_OPERATION, request="REBOOT"),
    )
    assert answer == {"response": "success", "body": "complete"}
    assert (
        await answered(session, Family.GXP, Function.SYS_OPERATION, COMPLETE, reboot)
        is None
    )

    with pytest.raises(GrandstreamCommandRejectedError) as err:
        await answered(session, Family.GXP, Function.SYS_OPERATION, FAILED, reboot)
    assert err.value.body == "failed"


# ----- the keys of the Sending Keys table


def table_keys(*, handset: bool) -> list[str]:
    """Return the Sending Keys table's keys, ranges spelled out."""
    keys = [
        "SPEAKER",
        "XFER",
        "VUP",
        "VDOWN",
        "MUTE",
        "HOLD",
        *"0123456789",
        *(("STAR", "HASH") if handset else ("*", "#")),
        *(f"LINE{n}" for n in range(1, 9)),
        "CONF",
        "VM",
        "HEADSET",
        "DND",
        "SEND",
        *(f"SOFT{n}" for n in range(1, 5)),
        *(f"MPK{n}" for n in range(1, 25)),
    ]
    if handset:
        # Shown only with hs=NUMBER in the DP750/720 edition.
        keys += [
            "LEFT_SOFT_KEY",
            "RIGHT_SOFT_KEY",
            "ONHOOK",
            "OFFHOOK",
            "OK",
            "LOCK",
            "UNLOCK",
            "UP",
            "DOWN",
            "LEFT",
            "RIGHT",
        ]
    return keys


@pytest.mark.parametrize(
    ("model", "handset"), [("DP750", True), ("GXP2170", False), ("GRP2616", False)]
)
async def test_every_table_key_is_sent(
    session: aiohttp.ClientSession, model: str, handset: bool
) -> None:
    """Every key the guide lists for the family is sent, and taken."""
    keys = table_keys(handset=handset)
    async with PhoneSimulator(model, passcode=PASSCODE, answer_delay=None) as sim:
        client = cti_client(session, sim, family=Family(sim.family.lower()))
        for key in keys:
            await client.send_key([key], handset=1 if handset else None)

    assert [r.params["keys"] for r in sim.requests] == keys


@pytest.mark.parametrize(
    ("family", "key"),
    [
        (Family.DP, "LINE9"),
        (Family.DP, "SOFT5"),
        (Family.DP, "MPK25"),
        (Family.DP, "MENU"),
        (Family.GXP, "OFFHOOK"),
        (Family.GXP, "HASH"),
        (Family.GRP, "LEFT_SOFT_KEY"),
    ],
)
async def test_keys_the_table_lacks_are_refused(
    session: aiohttp.ClientSession, family: Family, key: str
) -> None:
    """A key no table lists for the family is refused before sending."""
    client = GrandstreamCti("127.0.0.1", PASSCODE, session=session, family=family)

    with pytest.raises(GrandstreamInvalidInputError) as err:
        client.normalize_keys([key])

    assert err.value.code == "unknown_key"


# ----- the simulator answers as the guides print


async def get(
    session: aiohttp.ClientSession, sim: PhoneSimulator, function: str, **params: str
) -> str:
    """Return the simulator's answer text to one CTI request."""
    query = {"passcode": PASSCODE, **params}
    async with session.get(f"{sim.url}/cgi-bin/{function}", params=query) as resp:
        assert resp.status == 200
        return await resp.text()


def same_json(text: str, example: str) -> bool:
    """Return whether two answers hold the same JSON."""
    result: bool = json.loads(text) == json.loads(example)
    return result


async def test_simulated_gxp16xx_line_and_phone_status(
    session: aiohttp.ClientSession,
) -> None:
    """GXP1628 answers byte for byte as the first edition prints."""
    async with PhoneSimulator("GXP1628", passcode=PASSCODE, answer_delay=None) as sim:
        assert await get(session, sim, "api-get_line_status") == GXP_LINE_STATUS
        assert await get(session, sim, "api-get_phone_status") == PHONE_AVAILABLE
        await get(session, sim, "api-send_key", keys="1:0:0:0:SEND")
        assert await get(session, sim, "api-get_phone_status") == PHONE_BUSY


async def test_simulated_grp_line_status(session: aiohttp.ClientSession) -> None:
    """GRP2616 lines carry the GRP260x guide's fields, number as `remotenumber`."""
    async with PhoneSimulator("GRP2616", passcode=PASSCODE) as sim:
        lines = json.loads(await get(session, sim, "api-get_line_status"))["body"]

    example = json.loads(GRP_LINE_STATUS)["body"][0]
    assert all(line.keys() == example.keys() for line in lines)


async def test_simulated_gsc_answers(session: aiohttp.ClientSession) -> None:
    """GSC3516: phone status, line status (when it answers it), music, calls."""
    async with PhoneSimulator(
        "GSC3516", passcode=PASSCODE, gsc_line_status=True, answer_delay=None
    ) as sim:
        assert await get(session, sim, "api-get_phone_status") == GSC_PHONE_AVAILABLE
        lines = json.loads(await get(session, sim, "api-get_line_status"))["body"]
        example = json.loads(GSC_LINE_STATUS)["body"]
        assert lines == example[: len(lines)]
        music = json.loads(await get(session, sim, "api-get_music"))["body"]
        assert music[:2] == json.loads(ascii_quotes(MUSIC))["body"]
        assert same_json(
            await get(session, sim, "api-make_call", phonenumber="35463"), MAKE_CALL
        )
        assert await get(session, sim, "api-phone_operation", cmd="endcall") == (
            OPERATION_DONE
        )
        assert await get(session, sim, "api-phone_operation", cmd="endcall") == (
            OPERATION_REFUSED
        )


async def test_simulated_dp_status(session: aiohttp.ClientSession) -> None:
    """DP750 answers byte for byte as the DP750/720 edition prints."""
    async with PhoneSimulator("DP750", passcode=PASSCODE) as sim:
        assert (
            await get(session, sim, "api-get_account_status", account="1")
            == ACCOUNT_REGISTERED
        )
        # Unregistered, the account keeps its Profile and HSMode; Active follows.
        sim.set_registered(1, False)
        assert (
            await get(session, sim, "api-get_account_status", account="1")
            == ACCOUNT_NOT_REGISTERED
        )
        sim.set_registered(1, True)

        assert await get(session, sim, "api-get_hs_status", hs="1") == HANDSET_PAIRED
        assert one_spaced(
            await get(session, sim, "api-get_hs_line_status", hs="1")
        ) == one_spaced(HANDSET_LINE_STATUS)
        sim.pair_handset(1, paired=False)
        assert (
            await get(session, sim, "api-get_hs_status", hs="1") == HANDSET_NOT_PAIRED
        )


async def test_simulated_dp_commands(session: aiohttp.ClientSession) -> None:
    """DP750 make_call, device operations and keys answer as printed."""
    async with PhoneSimulator("DP750", passcode=PASSCODE, answer_delay=0) as sim:
        assert (
            await get(session, sim, "api-make_call", hs="1", phonenumber="3501")
            == MAKE_CALL
        )
        assert same_json(
            await get(
                session, sim, "api-device_operation", hs="1", line="1", cmd="endcall"
            ),
            OPERATION_DONE,
        )
        assert same_json(
            await get(
                session, sim, "api-device_operation", hs="1", line="1", cmd="endcall"
            ),
            OPERATION_REFUSED,
        )
        assert same_json(
            await get(session, sim, "api-send_key", hs="1", keys="1:0:0:0:HASH"),
            KEYS_DONE,
        )
        assert same_json(
            await get(session, sim, "api-send_key", hs="1", keys="1:0:0:0:#"),
            KEYS_REFUSED,
        )


async def test_simulated_gxp_commands(session: aiohttp.ClientSession) -> None:
    """GXP2170 keys and phone operations answer as printed."""
    async with PhoneSimulator("GXP2170", passcode=PASSCODE) as sim:
        assert same_json(
            await get(session, sim, "api-send_key", keys="1:0:0:0"), KEYS_DONE
        )
        assert same_json(
            await get(session, sim, "api-send_key", keys="HASH"), KEYS_REFUSED
        )
        # Line 1 is dialing 1000 now.
        assert sim.incoming_call("1002", line=2)
        assert same_json(
            await get(session, sim, "api-phone_operation", cmd="acceptcall"),
            OPERATION_DONE,
        )
        assert same_json(
            await get(session, sim, "api-phone_operation", cmd="acceptcall"),
            OPERATION_REFUSED,
        )


@pytest.mark.parametrize(
    ("model", "request_", "example"),
    [
        ("GXP2170", "REBOOT", REBOOTED),
        ("DP750", "REBOOT", REBOOTED_DP),
        ("GSC3516", "RESET", RESET),
        ("GRP2616", "SHUTDOWN", SYSTEM_REFUSED),
    ],
)
async def test_simulated_sys_operation(
    session: aiohttp.ClientSession, model: str, request_: str, example: str
) -> None:
    """System operations answer as printed, for each family's reboot word."""
    async with PhoneSimulator(model, passcode=PASSCODE, reboot_seconds=0.01) as sim:
        text = await get(session, sim, "api-sys_operation", request=request_)

    assert same_json(text, example)
