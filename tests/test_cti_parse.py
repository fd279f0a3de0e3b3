"""Unit tests of CTI answer parsing: every variant guides and phones give, as bytes."""

from __future__ import annotations

from typing import Any

import pytest

from custom_components.grandstream_cti.cti import (
    Account,
    AccountStatus,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCommandRejectedError,
    GrandstreamError,
    GrandstreamInvalidResponseError,
    GrandstreamUnsupportedError,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    MusicFile,
    PhoneStatus,
)
from custom_components.grandstream_cti.cti.parse import (
    check_call_code,
    parse_account_status,
    parse_accounts,
    parse_envelope,
    parse_handset_line_status,
    parse_handset_status,
    parse_line_status,
    parse_music,
    parse_phone_model,
    parse_phone_status,
)

from .simulator.render import JsonStyle, render_json

FUNCTION = "api-get_line_status"


def answer(body: Any, **extra: Any) -> dict[str, Any]:
    """Return a success envelope as the client hands it to the parsers."""
    return {"response": "success", "body": body, **extra}


# ----- the envelope


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        # GXP16xx, GXP21xx, GRP and GSC spacing; whitespace around the object.
        (b'{"response":"success", "body": "available", "misc": "0"}', "available"),
        (b'{ "response": "success", "body": "available", "misc": "0" }', "available"),
        (b'{"response":"success","body":"complete"}', "complete"),
        (b'\r\n  {"response" : "success" ,\n "body" : true}\n', True),
        (b'{ "response": "success", "body": [ { "line": 1 } ] }', [{"line": 1}]),
        (b'{"response":"success","body":{"Line1":{"line":1}}}', {"Line1": {"line": 1}}),
        (b'{"response":"success"}', None),
        # A name in Latin-1 instead of UTF-8 must not break the whole answer.
        (b'{"response":"success","body":"Andr\xe9"}', "Andr\ufffd"),
        ('{"response":"success","body":"Zoë"}'.encode(), "Zoë"),
    ],
)
def test_envelope_success(raw: bytes, body: object) -> None:
    """Any JSON spacing and any body of a success is accepted."""
    data = parse_envelope(FUNCTION, 200, raw)

    assert data["response"] == "success"
    assert data.get("body") == body


@pytest.mark.parametrize(
    ("status", "raw", "error"),
    [
        (
            401,
            b"<html><body><h1>Unauthorized</h1></body></html>",
            GrandstreamAuthenticationError,
        ),
        (
            403,
            b"<html><body><h1>Forbidden</h1></body></html>",
            GrandstreamAccessDeniedError,
        ),
        (
            404,
            b"<html><body><h1>404 Not Found</h1></body></html>",
            GrandstreamUnsupportedError,
        ),
        (
            500,
            b"<html><body><h1>500 Internal Server Error</h1></body></html>",
            GrandstreamInvalidResponseError,
        ),
        (302, b"", GrandstreamInvalidResponseError),
        (
            200,
            b"<!DOCTYPE html><html><body>Please log in</body></html>",
            GrandstreamInvalidResponseError,
        ),
        (200, b'{"response":"success","bo', GrandstreamInvalidResponseError),
        (200, b"", GrandstreamInvalidResponseError),
        (200, b'["success"]', GrandstreamInvalidResponseError),
        (200, b'"success"', GrandstreamInvalidResponseError),
        (200, b'{"body":"available"}', GrandstreamInvalidResponseError),
        (200, b'{"response":"ok","body":"available"}', GrandstreamInvalidResponseError),
        # HTTP 200 refusals: the body names them, whatever the response says.
        (
            200,
            b'{"response":"success","body":"unauthorized"}',
            GrandstreamAuthenticationError,
        ),
        (
            200,
            b'{"response":"success","body":"Unauthorized"}',
            GrandstreamAuthenticationError,
        ),
        (
            200,
            b'{"response":"error","body":"unauthorized"}',
            GrandstreamAuthenticationError,
        ),
        (
            200,
            b'{"response":"success","body":"forbidden"}',
            GrandstreamAccessDeniedError,
        ),
        (200, b'{"response":"error","body":"FORBIDDEN"}', GrandstreamAccessDeniedError),
    ],
)
def test_envelope_errors(
    status: int, raw: bytes, error: type[GrandstreamError]
) -> None:
    """HTTP statuses, refusal bodies and broken JSON map to their errors."""
    with pytest.raises(error) as err:
        parse_envelope(FUNCTION, status, raw)

    assert FUNCTION in str(err.value)
    if error is GrandstreamAuthenticationError:
        assert not isinstance(err.value, GrandstreamAccessDeniedError)


@pytest.mark.parametrize(
    ("raw", "body"),
    [
        (b'{"response":"error","body":"failed"}', "failed"),
        (b'{"response":"error","body":"unknown"}', "unknown"),
        (b'{"response":"error","body":false}', False),
        (b'{"response":"error","body":"Invalid Request"}', "Invalid Request"),
        (b'{"response":"error"}', None),
        # Some firmwares say "success" for a request they refused.
        (b'{"response":"success","body":"invalid request"}', "invalid request"),
        (b'{"response":"success","body":"Invalid Request"}', "Invalid Request"),
    ],
)
def test_envelope_rejected(raw: bytes, body: object) -> None:
    """An error envelope, or a success saying "invalid request", is a rejection."""
    with pytest.raises(GrandstreamCommandRejectedError) as err:
        parse_envelope("api-make_call", 200, raw)

    assert err.value.function == "api-make_call"
    assert err.value.body == body
    assert str(err.value) == f"api-make_call rejected by the phone: {body!r}"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (answer(True), None),
        (answer(True, code=0), None),
        (answer(True, code="0"), None),
        (answer(True, code=None), None),
        (answer(True, code=2), 2),
        (answer(True, code="8"), 8),
    ],
)
def test_call_code(data: dict[str, Any], code: int | None) -> None:
    """A make_call success with a non-zero code is a rejection (2: dial plan, 8: busy)."""
    if code is None:
        check_call_code(data)
        return
    with pytest.raises(GrandstreamCommandRejectedError) as err:
        check_call_code(data)

    assert err.value.body == {"code": code}


# ----- the unauthenticated model query


@pytest.mark.parametrize(
    ("status", "raw", "model"),
    [
        (200, b'{"response":"success","body":{"phone_model":"GXP2170"}}', "GXP2170"),
        (
            200,
            b'{ "response": "success", "body": { "phone_model": " DP750 " } }',
            "DP750",
        ),
        (200, b'{"response":"success","body":{"phone_model":""}}', None),
        (200, b'{"response":"success","body":{"phone_model":2170}}', None),
        # Not a model name: too long, or characters no model has.
        (200, b'{"body":{"phone_model":"GXP2170' + b"A" * 300 + b'"}}', None),
        (200, b'{"body":{"phone_model":"GXP2170\\r\\nX-Injected: 1"}}', None),
        (200, b'{"body":{"phone_model":"<img src=x onerror=alert(1)>"}}', None),
        (200, b'{"response":"success","body":{}}', None),
        (200, b'{"response":"success","body":"GXP2170"}', None),
        (200, b'["GXP2170"]', None),
        (200, b"<html><body>Please log in</body></html>", None),
        (404, b"<html><body><h1>404 Not Found</h1></body></html>", None),
        (401, b'{"response":"success","body":{"phone_model":"GXP2170"}}', None),
    ],
)
def test_phone_model(status: int, raw: bytes, model: str | None) -> None:
    """The model is read when the phone says it, else None; never an error."""
    assert parse_phone_model(status, raw) == model


# ----- status answers


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (answer("available", misc="0"), PhoneStatus(status="available", misc="0")),
        (answer("busy", misc="1"), PhoneStatus(status="busy", misc="1")),
        (answer(" ringing\n", misc=0), PhoneStatus(status="ringing", misc="0")),
        (answer("available"), PhoneStatus(status="available", misc="")),
        # A state no document names is kept as it came.
        (answer("flash-hook", misc="0"), PhoneStatus(status="flash-hook", misc="0")),
    ],
)
def test_phone_status(data: dict[str, Any], status: PhoneStatus) -> None:
    """Phone status is a word, with `misc` kept as a string."""
    assert parse_phone_status(data) == status


@pytest.mark.parametrize("body", [None, True, ["available"], {"status": "busy"}])
def test_phone_status_invalid(body: object) -> None:
    """A phone status that is not a string is an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError):
        parse_phone_status(answer(body))


def line(number: int, state: str, **fields: Any) -> dict[str, Any]:
    """Return a line status record."""
    return {"line": number, "state": state, **fields}


RINGING = LineStatus(
    line=1,
    state="ringing",
    account=None,
    remote_name="",
    remote_number="1002",
    active=False,
)


@pytest.mark.parametrize(
    ("record", "status"),
    [
        # `remotenum` in the first-edition guide, `remotenumber` on devices.
        (line(1, "ringing", acct="", remotename="", remotenum="1002"), RINGING),
        (line(1, "ringing", acct="", remotename="", remotenumber="1002"), RINGING),
        (line(1, "ringing", remotenumber="1002", remotenum="9999"), RINGING),
        (
            {"line": "1", "state": "ringing", "remotenumber": 1002, "active": "0"},
            RINGING,
        ),
        # `acct` as "" (guides), 1-based int (GXP21xx) or string; 0 names no
        # account where accounts count from 1.
        (
            line(
                2,
                "connected",
                acct=0,
                remotename="Alice",
                remotenumber="1003",
                active=0,
            ),
            LineStatus(
                line=2,
                state="connected",
                account=None,
                remote_name="Alice",
                remote_number="1003",
                active=False,
            ),
        ),
        (
            line(3, "onhold", acct=2, remotename="Bob", remotenumber="+4930", active=1),
            LineStatus(
                line=3,
                state="onhold",
                account=2,
                remote_name="Bob",
                remote_number="+4930",
                active=True,
            ),
        ),
        (
            line(4, "idle", acct="1", active=True, conf=0),
            LineStatus(
                line=4,
                state="idle",
                account=1,
                remote_name="",
                remote_number="",
                active=True,
            ),
        ),
        # Unknown states and odd values are kept, not dropped.
        (
            line(5, "paging", acct="n/a", remotename=None, active="²"),
            LineStatus(
                line=5,
                state="paging",
                account=None,
                remote_name="",
                remote_number="",
                active=False,
            ),
        ),
    ],
)
def test_line_status_record(record: dict[str, Any], status: LineStatus) -> None:
    """Each line record variant parses to the same model."""
    assert parse_line_status(answer([record])) == (status,)


@pytest.mark.parametrize(
    ("acct", "account"),
    [(0, 1), ("0", 1), (3, 4), ("", None), (-1, None), ("n/a", None)],
)
def test_line_status_zero_based_account(acct: object, account: int | None) -> None:
    """GRP's 0-based `acct` becomes the 1-based account of every family."""
    data = answer([line(1, "idle", acct=acct)])

    (status,) = parse_line_status(data, zero_based_account=True)

    assert status.account == account


def test_line_status_list_and_keyed_body() -> None:
    """Lines come as a list or as a dict keyed Line1..; either way sorted by line."""
    records = [line(2, "idle", acct=1), line(1, "connected", acct=1)]
    listed = parse_line_status(answer(records))
    keyed = parse_line_status(
        answer({"Line2": records[0], "Line1": records[1], "Count": 2})
    )

    assert listed == keyed
    assert [status.line for status in listed] == [1, 2]
    assert listed[0].state == "connected"


def test_line_status_empty() -> None:
    """A phone without lines answers an empty list."""
    assert parse_line_status(answer([])) == ()


@pytest.mark.parametrize(
    "body",
    [
        "complete",
        True,
        None,
        [1, 2],
        [line(1, "idle"), "Line2"],
        [{"state": "idle"}],
        [{"line": "one", "state": "idle"}],
    ],
)
def test_line_status_invalid(body: object) -> None:
    """A body that is no list of numbered lines is an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError):
        parse_line_status(answer(body))


ACCOUNT_RECORD = {
    "id": 1,
    "sip_server": "pbx.example.com",
    "sip_id": "1001",
    "name": "Reception",
    "auto_cfg": "",
    "reg": 1,
}
RECEPTION = Account(
    id=1, name="Reception", sip_id="1001", sip_server="pbx.example.com", registered=True
)


@pytest.mark.parametrize(
    "body",
    [
        [ACCOUNT_RECORD, {"id": "2", "reg": "0"}],
        [{"id": 2, "reg": 0}, ACCOUNT_RECORD],
        {"Account2": {"id": 2, "reg": False}, "Account1": ACCOUNT_RECORD},
    ],
)
def test_accounts(body: object) -> None:
    """Accounts come as a list or keyed Account1..; sorted by id."""
    assert parse_accounts(answer(body)) == (
        RECEPTION,
        Account(id=2, name="", sip_id="", sip_server="", registered=False),
    )


@pytest.mark.parametrize("body", ["complete", [{"name": "no id"}], [{"id": ""}]])
def test_accounts_invalid(body: object) -> None:
    """Accounts without ids are an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError):
        parse_accounts(answer(body))


ACCOUNT_STATUS = AccountStatus(
    account=1, registered=True, active=True, profile=1, handset_mode="HS1"
)


@pytest.mark.parametrize(
    "data",
    [
        # Grandstream CTI guide (DP750/720 edition), Account Status: a
        # top-level Account1 with capitalised fields.
        {
            "response": "success",
            "Account1": {"Registered": 1, "Profile": 1, "Active": 1, "HSMode": "HS1"},
        },
        # Other spellings: lower case key and fields, strings, inside `body`.
        {
            "response": "success",
            "account1": {
                "registered": "1",
                "profile": "1",
                "active": "1",
                "hsmode": "HS1",
            },
        },
        answer(
            {
                "ACCOUNT1": {
                    "REGISTERED": True,
                    "PROFILE": 1,
                    "ACTIVE": 1,
                    "HSMODE": "HS1",
                }
            }
        ),
        # An unrelated top-level key of the same name that is no record is skipped.
        {
            "response": "success",
            "account1": "see body",
            "body": {
                "Account1": {
                    "Registered": 1,
                    "Profile": 1,
                    "Active": 1,
                    "HSMode": "HS1",
                }
            },
        },
    ],
)
def test_account_status(data: dict[str, Any]) -> None:
    """DP account status is found at the top level or in `body`, in any case."""
    assert parse_account_status(data, 1) == ACCOUNT_STATUS


@pytest.mark.parametrize(
    "data",
    [
        {"response": "success"},
        {"response": "success", "Account2": {"Registered": 1}},
        answer("complete"),
    ],
)
def test_account_status_missing(data: dict[str, Any]) -> None:
    """An answer without the asked account is an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError, match="no Account1"):
        parse_account_status(data, 1)


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (
            {
                "response": "success",
                "HS1": {"initialized": 1, "subscribed": 1, "status": "idle"},
            },
            HandsetStatus(handset=1, initialized=True, paired=True, status="idle"),
        ),
        (
            answer({"hs1": {"Initialized": "0", "Subscribed": "0", "Status": ""}}),
            HandsetStatus(handset=1, initialized=False, paired=False, status=""),
        ),
        (
            {
                "response": "success",
                "Hs1": {"initialized": 1, "subscribed": 1, "status": "paging"},
            },
            HandsetStatus(handset=1, initialized=True, paired=True, status="paging"),
        ),
    ],
)
def test_hs_status(data: dict[str, Any], status: HandsetStatus) -> None:
    """DP handset status is found at the top level or in `body`, in any case."""
    assert parse_handset_status(data, 1) == status


def test_hs_status_missing() -> None:
    """An answer for another handset is an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError, match="no HS1"):
        parse_handset_status({"response": "success", "HS2": {"status": "idle"}}, 1)


def test_hs_line_status() -> None:
    """Handset lines are read from Line<n> records, in any case; others are skipped."""
    data = {
        "response": "success",
        "HS2": {
            "Line2": {"Status": "idle", "Account": 0, "Registered": 0, "Active": 0},
            "line1": {
                "status": "connected",
                "account": "2",
                "registered": 1,
                "active": 1,
            },
            "Line10": {"Status": "weird", "Account": 2, "Registered": 1, "Active": 1},
            "LineCount": {"Status": "idle"},
            "Line3": "idle",
            "Status": "busy",
        },
    }

    assert parse_handset_line_status(data, 2) == (
        HandsetLineStatus(
            handset=2,
            line=1,
            state="connected",
            account=2,
            registered=True,
            active=True,
        ),
        # Account 0: the line has none.
        HandsetLineStatus(
            handset=2,
            line=2,
            state="idle",
            account=None,
            registered=False,
            active=False,
        ),
        HandsetLineStatus(
            handset=2, line=10, state="weird", account=2, registered=True, active=True
        ),
    )


def test_hs_line_status_in_body() -> None:
    """Handset lines may also come inside `body`."""
    data = answer({"HS1": {"Line1": {"Status": "ringing", "Account": 1}}})

    assert parse_handset_line_status(data, 1) == (
        HandsetLineStatus(
            handset=1,
            line=1,
            state="ringing",
            account=1,
            registered=False,
            active=False,
        ),
    )


def test_hs_line_status_missing() -> None:
    """An answer without the handset is an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError, match="no HS3"):
        parse_handset_line_status(answer(True), 3)


@pytest.mark.parametrize(
    ("body", "files"),
    [
        (
            [
                {"fileName": "music1.ogg", "path": "/var/user/music/music1.ogg"},
                {"path": "/var/user/music/Door bell.ogg"},
            ],
            (
                MusicFile(name="music1.ogg", path="/var/user/music/music1.ogg"),
                MusicFile(name="Door bell.ogg", path="/var/user/music/Door bell.ogg"),
            ),
        ),
        (
            {"File1": {"fileName": "", "path": "chime.ogg"}},
            (MusicFile(name="chime.ogg", path="chime.ogg"),),
        ),
        ([], ()),
    ],
)
def test_music(body: object, files: tuple[MusicFile, ...]) -> None:
    """Music files keep the phone's order; the name defaults to the file's."""
    assert parse_music(answer(body)) == files


@pytest.mark.parametrize("body", [[{"fileName": "x.ogg"}], [{"path": ""}], "none"])
def test_music_invalid(body: object) -> None:
    """Music files without a path are an invalid response."""
    with pytest.raises(GrandstreamInvalidResponseError):
        parse_music(answer(body))


def test_simulator_json_variants_parse() -> None:
    """The simulator's four JSON spellings all parse to the same answer."""
    payload = {"response": "success", "body": [{"line": 1, "state": "idle"}]}
    styles: tuple[JsonStyle, ...] = ("compact", "spaced", "padded", "gxp16")
    parsed = {
        style: parse_envelope(FUNCTION, 200, render_json(payload, style).encode())
        for style in styles
    }

    assert all(data == payload for data in parsed.values())
