"""The CTI functions: one handler per function, and which family has which."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from .families import Family
from .models import ModelProfile
from .state import (
    CALLING,
    CONNECTED,
    DIALING,
    IDLE,
    ONHOLD,
    RINGING,
    Line,
    PhoneState,
    Station,
    summarize,
)

type Params = Mapping[str, str]

# The unauthenticated web-UI query that names the model (a field report; no
# guide has it).
MODEL_QUERY = "api.values.get"

# Grandstream's GRP Click2Dial code reads this body as "not accepted".
INVALID_REQUEST = "Invalid Request"

# make_call success code meaning "all lines busy" (GRP Click2Dial code).
ALL_LINES_BUSY = 8

# DP handset status words; only "idle" and "" are in the Grandstream CTI
# guide (DP750/720 edition), Handset Status; the rest are a guess.
_HANDSET_STATUS = {"available": "idle", "ringing": "ringing", "busy": "busy"}


@dataclass(frozen=True, slots=True)
class Reply:
    """A JSON answer, and what the phone does once it has sent it."""

    payload: dict[str, object]
    then: Literal["reboot", "reset"] | None = None


def success(body: object, then: Literal["reboot", "reset"] | None = None) -> Reply:
    """Return a success envelope."""
    return Reply({"response": "success", "body": body}, then)


def error(body: object) -> Reply:
    """Return an error envelope."""
    return Reply({"response": "error", "body": body})


type Handler = Callable[[PhoneState, Params], Reply]


def _number(value: str | None) -> int | None:
    """Parse a decimal parameter strictly (no sign, no spaces)."""
    if value is None or not value.isascii() or not value.isdigit():
        return None
    return int(value)


def _handset(state: PhoneState, params: Params) -> Station | None:
    """Return the paired DP handset named by hs=N, if there is one."""
    number = _number(params.get("hs"))
    if number is None or not 1 <= number <= len(state.stations):
        return None
    station = state.stations[number - 1]
    return station if station.paired else None


def _keys(state: PhoneState, value: str | None) -> list[str] | None:
    """Split keys=A:B:C, or return None if any key is unknown to the family."""
    if not value:
        return None
    keys = value.split(":")
    if any(key not in state.family.keys for key in keys):
        return None
    return keys


# ----- status


def _acct(profile: ModelProfile, line: Line) -> object:
    """Return line status "acct" in the model's style."""
    match profile.acct_style:
        case "empty":
            return ""
        case "one_based":
            return line.shown_account
        case "zero_based":
            return max(line.shown_account - 1, 0)


def get_line_status(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_line_status."""
    profile = state.profile
    in_call = (CONNECTED, CALLING, DIALING)
    return success(
        [
            {
                "line": line.number,
                "state": line.state,
                "acct": _acct(profile, line),
                "remotename": line.remote_name,
                profile.number_field: line.remote_number,
                "active": int(profile.active_during_call and line.state in in_call),
            }
            for line in state.station().lines
        ]
    )


def get_phone_status(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_phone_status."""
    return Reply(
        {
            "response": "success",
            "body": state.phone_status,
            "misc": state.profile.misc,
        }
    )


def get_accounts(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_accounts (GRP), optionally only registered accounts."""
    only_registered = params.get("registered") == "true"
    return success(
        [
            {
                "id": account.id,
                "sip_server": account.sip_server,
                "sip_id": account.sip_id,
                "name": account.name,
                "auto_cfg": "",
                "reg": int(account.registered),
            }
            for account in state.accounts
            if account.registered or not only_registered
        ]
    )


def get_account_status(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_account_status (DP)."""
    number = _number(params.get("account"))
    if number is None or not 1 <= number <= len(state.accounts):
        return error("failed")
    account = state.accounts[number - 1]
    # As the two examples of the Grandstream CTI guide (DP750/720 edition),
    # Account Status: "Active" follows "Registered", and the account keeps
    # its Profile and HSMode either way. A slot never set up answers
    # HSMode "" (a guess: the guide shows no such answer).
    return Reply(
        {
            "response": "success",
            f"Account{number}": {
                "Registered": int(account.registered),
                "Profile": 1,
                "Active": int(account.registered),
                "HSMode": account.handset_mode if account.configured else "",
            },
        }
    )


def get_hs_status(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_hs_status (DP)."""
    number = _number(params.get("hs"))
    if number is None or not 1 <= number <= len(state.stations):
        return error("failed")
    station = state.stations[number - 1]
    entry: dict[str, object] = (
        {
            "initialized": 1,
            "subscribed": 1,
            "status": _HANDSET_STATUS[summarize(station.lines)],
        }
        if station.paired
        else {"initialized": 0, "subscribed": 0, "status": ""}
    )
    return Reply({"response": "success", f"HS{number}": entry})


def get_hs_line_status(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_hs_line_status (DP)."""
    number = _number(params.get("hs"))
    if number is None or not 1 <= number <= len(state.stations):
        return error("failed")
    lines: dict[str, object] = {}
    for line in state.stations[number - 1].lines:
        account = state.accounts[line.shown_account - 1] if line.shown_account else None
        lines[f"Line{line.number}"] = {
            "Status": line.state,
            "Account": line.shown_account,
            "Registered": int(account is not None and account.registered),
            # Grandstream CTI guide (DP750/720 edition), Handset Line Status:
            # Active 1 with Registered 1, else 0.
            "Active": int(account is not None and account.registered),
        }
    return Reply({"response": "success", f"HS{number}": lines})


def get_music(state: PhoneState, params: Params) -> Reply:
    """Answer api-get_music (GSC)."""
    return success(
        [
            {"fileName": path.rsplit("/", 1)[-1], "path": path}
            for path in state.music_paths
        ]
    )


def get_values(state: PhoneState, params: Params) -> Reply:
    """Answer api.values.get: the model for phone_model, "" for any other key."""
    keys = [key for key in params.get("request", "").split(":") if key]
    return success(
        {key: state.profile.model if key == "phone_model" else "" for key in keys}
    )


# ----- commands


def send_key(state: PhoneState, params: Params) -> Reply:
    """Answer api-send_key; an unknown key anywhere rejects the whole sequence."""
    keys = _keys(state, params.get("keys"))
    station = _handset(state, params) if state.is_dp else state.station()
    if keys is None or station is None:
        return error("unknown")
    state.press_keys(station, keys)
    return success("complete")


def _line_operation(
    state: PhoneState, station: Station, cmd: str, target: Line | None
) -> bool:
    """Carry out a call operation on the target line, or on the line it fits."""
    find = state.find
    match cmd:
        case "acceptcall":
            line = target or find(station, RINGING)
            return line is not None and state.answer(station, line)
        case "rejectcall":
            line = target or find(station, RINGING)
            return line is not None and state.reject(station, line)
        case "endcall":
            line = target or state.active_line(station)
            return line is not None and state.end(station, line)
        case "holdcall":
            line = target or find(station, CONNECTED)
            if line is not None and line.state == CONNECTED:
                return state.hold(station, line)
            if not state.family.hold_toggles:
                return False
            # GXP: holdcall on a held call takes it back.
            line = target or find(station, ONHOLD)
            return line is not None and state.resume(station, line)
        case "unhold" | "unholdcall":
            line = target or find(station, ONHOLD)
            return line is not None and state.resume(station, line)
        case "cancel":
            line = target or find(station, RINGING, CALLING, DIALING)
            if line is None:
                return False
            if line.state == RINGING:
                return state.reject(station, line)
            return line.state in (CALLING, DIALING) and state.end(station, line)
    return False


def phone_operation(state: PhoneState, params: Params) -> Reply:
    """Answer api-phone_operation (GXP, GRP with optional arg=<line>, GSC)."""
    cmd = params.get("cmd", "")
    if cmd not in state.family.operations:
        return error(False)
    station = state.station()
    if cmd == "mute":
        # GSC: "the first trigger is mute, then the second trigger is unmute".
        station.muted = not station.muted
        return success(True)
    target = None
    if state.profile.family == "GRP" and "arg" in params:
        number = _number(params["arg"])
        if number is None or not 1 <= number <= len(station.lines):
            return error(False)
        target = station.lines[number - 1]
    done = _line_operation(state, station, cmd, target)
    return success(True) if done else error(False)


def device_operation(state: PhoneState, params: Params) -> Reply:
    """Answer api-device_operation (DP): handset commands, or line commands with line=N."""
    station = _handset(state, params)
    cmd = params.get("cmd", "")
    if station is None or cmd not in state.family.operations:
        return error(False)
    match cmd:
        case "mute":
            station.muted = not station.muted
            return success(True)
        case "speaker":
            station.speaker = not station.speaker
            return success(True)
        case "setdnd" | "unsetdnd":
            state.set_dnd(station, cmd == "setdnd")
            return success(True)
    number = _number(params.get("line"))
    if number is None or not 1 <= number <= len(station.lines):
        return error(False)
    done = _line_operation(state, station, cmd, station.lines[number - 1])
    return success(True) if done else error(False)


def _account_for_call(state: PhoneState, raw: str | None) -> int | None:
    """Return the registered account make_call uses (account=N is 0-based)."""
    if raw is None:
        return state.registered_account(state.station())
    index = _number(raw)
    if index is None or index >= len(state.accounts):
        return None
    account = state.accounts[index]
    return account.id if account.registered else None


def make_call(state: PhoneState, params: Params) -> Reply:
    """Answer api-make_call: hs + phonenumber on DP, phonenumber (+ account) elsewhere."""
    number = params.get("phonenumber", "")
    if state.is_dp:
        station = _handset(state, params)
        account = None if station is None else state.registered_account(station)
    else:
        station = state.station()
        account = _account_for_call(state, params.get("account"))
    # Refused like a GRP refuses: empty number, no registered account, keypad locked.
    if not number or station is None or account is None or station.locked:
        return error(INVALID_REQUEST)
    line = state.find(station, DIALING, IDLE)
    if line is None:
        # Taken but not placed: every line is in use.
        return Reply({"response": "success", "body": True, "code": ALL_LINES_BUSY})
    state.place_call(station, line, number, account)
    return success(True)


def sys_operation(state: PhoneState, params: Params) -> Reply:
    """Answer api-sys_operation; the reboot itself happens after the answer."""
    match params.get("request"):
        case "REBOOT":
            return success(state.family.reboot_body, then="reboot")
        case "RESET":
            return success("reset", then="reset")
    return error("unknown")


def ctrl_music_play(state: PhoneState, params: Params) -> Reply:
    """Answer api-ctrl_music_play (GSC): state=1 plays a listed url, state=0 stops."""
    play = params.get("state")
    loop = params.get("loop", "0")
    if (
        play not in ("0", "1")
        or params.get("type", "1") != "1"
        or loop not in ("0", "1")
    ):
        return error("failed")
    if play == "0":
        state.stop_music()
        return success(True)
    url = params.get("url", "")
    if url not in state.music_paths:
        return error("failed")
    state.play_music(url, loop=loop == "1")
    return success(True)


_DESK: dict[str, Handler] = {
    "api-get_line_status": get_line_status,
    "api-get_phone_status": get_phone_status,
    "api-send_key": send_key,
    "api-phone_operation": phone_operation,
    "api-sys_operation": sys_operation,
}

# The functions each family's guide lists; the simulator answers any other name
# as its unknown_function_answer says.
HANDLERS: dict[Family, dict[str, Handler]] = {
    # GXP dials with send_key digits + SEND; it has no api-make_call.
    "GXP": _DESK,
    "GRP": {**_DESK, "api-get_accounts": get_accounts, "api-make_call": make_call},
    "DP": {
        "api-get_account_status": get_account_status,
        "api-get_hs_status": get_hs_status,
        "api-get_hs_line_status": get_hs_line_status,
        "api-make_call": make_call,
        "api-send_key": send_key,
        "api-device_operation": device_operation,
        "api-sys_operation": sys_operation,
    },
    "GSC": {
        "api-get_phone_status": get_phone_status,
        "api-make_call": make_call,
        "api-phone_operation": phone_operation,
        "api-sys_operation": sys_operation,
        "api-get_music": get_music,
        "api-ctrl_music_play": ctrl_music_play,
    },
}
