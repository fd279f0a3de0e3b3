"""HTTP control of a running simulated phone: what happens at the phone or the far end.

Off unless PhoneSimulator.control is set (the CLI's --control): a real phone
answers these paths with 404. scripts/phone drives them for the development
instance. Every request answers JSON: {"ok": bool, "phone": {...}} with the
phone's state after the command, or HTTP 400 {"error": "..."} for bad input.

    POST /simulator/ring?number=1002&name=Alice[&line=1][&handset=1]
    POST /simulator/answer[?line=N][&handset=N]    the user answers at the phone
    POST /simulator/hangup[?line=N][&handset=N]    the far end hangs up
    POST /simulator/dnd?on=1|0[&handset=N]
    POST /simulator/push?url=URL                   Action URLs to URL (url= clears)
    GET  /simulator/state
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .action_url import templates_for
from .state import IDLE, RINGING, Line

if TYPE_CHECKING:
    from .server import PhoneSimulator

PREFIX = "/simulator/"
_Command = Callable[["PhoneSimulator", dict[str, str]], bool]


class _BadInput(ValueError):
    """A parameter is missing or wrong; the message says which."""


def _number(params: dict[str, str], name: str) -> int | None:
    """Return an optional positive integer parameter."""
    value = params.get(name, "")
    if not value:
        return None
    if not value.isdigit() or int(value) < 1:
        raise _BadInput(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _line(
    phone: PhoneSimulator, params: dict[str, str], accept: Callable[[Line], bool]
) -> tuple[int, int | None]:
    """Return the line asked for, else the first line `accept` takes, and the handset."""
    handset = _number(params, "handset")
    if (line := _number(params, "line")) is not None:
        return line, handset
    lines = phone.state.station(handset).lines
    return next((item.number for item in lines if accept(item)), 1), handset


def _ring(phone: PhoneSimulator, params: dict[str, str]) -> bool:
    """Let a call come in."""
    if not (number := params.get("number", "")):
        raise _BadInput("number is required")
    line, handset = _line(phone, params, lambda item: item.state == IDLE)
    return phone.incoming_call(
        number, params.get("name", ""), line=line, handset=handset
    )


def _answer(phone: PhoneSimulator, params: dict[str, str]) -> bool:
    """Answer a ringing call at the phone, as its user would."""
    line, handset = _line(phone, params, lambda item: item.state == RINGING)
    station = phone.state.station(handset)
    return phone.state.answer(station, phone.state.line(line, handset))


def _hangup(phone: PhoneSimulator, params: dict[str, str]) -> bool:
    """Let the far end hang up; a ringing call becomes a missed call."""
    line, handset = _line(phone, params, lambda item: item.state != IDLE)
    return phone.remote_hangup(line, handset)


def _dnd(phone: PhoneSimulator, params: dict[str, str]) -> bool:
    """Switch do not disturb at the phone; the phone pushes DND On or Off."""
    if (on := params.get("on")) not in ("0", "1"):
        raise _BadInput("on must be 1 or 0")
    handset = _number(params, "handset")
    phone.state.set_dnd(phone.state.station(handset), on == "1")
    return True


def _push(phone: PhoneSimulator, params: dict[str, str]) -> bool:
    """Set every Action URL to one base URL, as the phone's settings page does."""
    url = params.get("url", "")
    phone.action_urls = templates_for(url) if url else {}
    return True


COMMANDS: dict[str, _Command] = {
    "ring": _ring,
    "answer": _answer,
    "hangup": _hangup,
    "dnd": _dnd,
    "push": _push,
}


def describe(phone: PhoneSimulator) -> dict[str, Any]:
    """Return the phone's state for the command line."""
    base = phone.state.station()
    return {
        "model": phone.model,
        "status": phone.phone_status,
        "dnd": phone.dnd,
        "push": bool(phone.action_urls),
        "lines": [
            {
                "line": line.number,
                "state": line.state,
                "number": line.remote_number,
                "name": line.remote_name,
            }
            for line in base.lines
            if line.state != IDLE
        ],
    }


async def handle(phone: PhoneSimulator, request: web.BaseRequest) -> web.Response:
    """Carry out one control request."""
    name = request.path.removeprefix(PREFIX)
    params = dict(request.rel_url.query)
    if name == "state" and request.method == "GET":
        return web.json_response({"ok": True, "phone": describe(phone)})
    command = COMMANDS.get(name)
    if command is None or request.method != "POST":
        return web.json_response({"error": f"unknown command {name!r}"}, status=404)
    try:
        done = command(phone, params)
    except ValueError as err:
        return web.json_response({"error": str(err)}, status=400)
    return web.json_response({"ok": done, "phone": describe(phone)})
