"""Receive the events phones push to their Action URLs."""

from __future__ import annotations

from dataclasses import replace
from http import HTTPStatus
from typing import Any, Final

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.components.http import KEY_HASS, HomeAssistantView
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback

from .calls import Call, CallEventType
from .const import CONF_MAC, DOMAIN, LOGGER
from .coordinator import GrandstreamCtiConfigEntry, PhoneData
from .cti import HandsetLineStatus, LineStatus, PhoneStatus
from .cti.action_url import (
    MAX_REQUEST_LENGTH,
    InvalidActionUrl,
    PhoneEvent,
    PhoneEventType,
    normalize_mac,
    parse_action_url,
)

# The call events pushed events are.
CALLS: Final = {
    PhoneEventType.INCOMING: CallEventType.INCOMING,
    PhoneEventType.OUTGOING: CallEventType.OUTGOING,
    PhoneEventType.ESTABLISHED: CallEventType.ANSWERED,
    PhoneEventType.MISSED: CallEventType.MISSED,
    PhoneEventType.TERMINATED: CallEventType.ENDED,
    PhoneEventType.REJECTED: CallEventType.ENDED,
}
# How an event moves a line: the states it takes a line from, the first
# preferred, and the state it leaves the line in.
LINE_CHANGES: Final[dict[PhoneEventType, tuple[tuple[str, ...], str]]] = {
    PhoneEventType.INCOMING: (("idle",), "ringing"),
    PhoneEventType.OUTGOING: (("dialing", "idle"), "calling"),
    PhoneEventType.ESTABLISHED: (("ringing", "calling"), "connected"),
    PhoneEventType.MISSED: (("ringing",), "idle"),
    PhoneEventType.REJECTED: (("ringing",), "idle"),
    PhoneEventType.TERMINATED: (("connected", "onhold", "calling", "dialing"), "idle"),
    PhoneEventType.HOLD: (("connected",), "onhold"),
    PhoneEventType.UNHOLD: (("onhold",), "connected"),
}
# Events after which what the slow poll reads (accounts, handsets) is stale.
REREAD_ALL: Final = frozenset(
    {
        PhoneEventType.SETUP_COMPLETED,
        PhoneEventType.REGISTERED,
        PhoneEventType.UNREGISTERED,
    }
)


@callback
def async_ensure_webhook_id(hass: HomeAssistant, entry: ConfigEntry[Any]) -> str:
    """Return the entry's webhook id; entries from before push get one now."""
    if CONF_WEBHOOK_ID not in entry.data:
        hass.config_entries.async_update_entry(
            entry,
            data={**entry.data, CONF_WEBHOOK_ID: webhook.async_generate_id()},
        )
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]
    return webhook_id


@callback
def async_setup_webhook(hass: HomeAssistant, entry: GrandstreamCtiConfigEntry) -> None:
    """Take the phone's events at its webhook while the entry is loaded."""
    webhook_id = async_ensure_webhook_id(hass, entry)

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response | None:
        """Apply a pushed event; answer 200 with no body, whatever came."""
        try:
            event = parse_action_url(await _async_read_values(request, webhook_id))
        except InvalidActionUrl as err:
            LOGGER.debug(
                "Ignoring a request to the webhook of %s: %s", entry.title, err
            )
            return None
        mac = entry.data.get(CONF_MAC)
        if mac and event.mac != normalize_mac(mac):
            LOGGER.debug(
                "Ignoring an event for %s from MAC %s, not this phone's",
                entry.title,
                event.mac,
            )
            return None
        async_handle_event(hass, entry, event)
        return None

    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        handle,
        local_only=True,
        allowed_methods=(hdrs.METH_GET, hdrs.METH_POST),
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def _async_read_values(request: web.Request, webhook_id: str) -> str:
    """Return what follows the webhook id in the request, and its body."""
    # The raw target keeps a "+" and what follows a "#"; the websocket API
    # hands webhooks a stand-in request that has a query string only.
    target: str | None = getattr(request, "raw_path", None)
    if target is None:
        values = f"?{request.query_string}"
    else:
        values = target.partition(webhook_id)[2]
    if request.method == hdrs.METH_POST:
        # One byte more than allowed is enough to refuse it.
        body = await request.content.read(MAX_REQUEST_LENGTH + 1)
        values = f"{values}&{body.decode(errors='replace')}"
    return values


@callback
def async_handle_event(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry, event: PhoneEvent
) -> None:
    """Show a pushed event at once, report its call, then read the phone."""
    coordinator = entry.runtime_data.coordinator
    data, line = apply_event(coordinator.data, event)
    coordinator.async_set_pushed_data(data, reread_all=event.type in REREAD_ALL)
    if (call_type := CALLS.get(event.type)) is not None:
        coordinator.calls.async_report(
            Call(
                type=call_type,
                number=event.remote or (line.remote_number if line else None) or None,
                name=event.remote_name or (line.remote_name if line else None) or None,
            ),
            "push",
        )
    # Polled and pushed state then agree on what no event tells (accounts,
    # the line the phone really used, the status word).
    entry.async_create_background_task(
        hass, coordinator.async_request_refresh(), f"{entry.title} pushed refresh"
    )


def apply_event(
    data: PhoneData, event: PhoneEvent
) -> tuple[PhoneData, LineStatus | None]:
    """Return the data as the event leaves it, and the line it moved as it was."""
    if event.type in (PhoneEventType.DND_ON, PhoneEventType.DND_OFF):
        return replace(data, dnd=event.type is PhoneEventType.DND_ON), None
    if (change := LINE_CHANGES.get(event.type)) is None:
        return data, None
    if data.lines:
        lines, line = _move_line(data.lines, event, *change)
        data = replace(data, lines=lines)
    else:
        line = data.pushed_call
        data = replace(
            data,
            pushed_call=_move_pushed(line, event, change[1]),
            handset_lines=_move_handset_line(data.handset_lines, *change),
        )
    return replace(data, status=_status(data)), line


def _move_line(
    lines: tuple[LineStatus, ...], event: PhoneEvent, sources: tuple[str, ...], to: str
) -> tuple[tuple[LineStatus, ...], LineStatus | None]:
    """Move the line the event is about; return the lines and the line as it was."""
    number = event.remote
    if number and any(
        line.state == to and line.remote_number == number for line in lines
    ):
        # A poll already saw this.
        return lines, None
    candidates = [line for line in lines if line.state in sources]
    # The line with the event's far end, else the first in the preferred state.
    line = next(
        (line for line in candidates if number and line.remote_number == number),
        None,
    ) or next(
        (line for state in sources for line in candidates if line.state == state),
        None,
    )
    if line is None:
        return lines, None
    if to == "idle":
        moved = replace(line, state=to, remote_number="", remote_name="")
    else:
        moved = replace(
            line,
            state=to,
            remote_number=number or line.remote_number,
            remote_name=event.remote_name or line.remote_name,
        )
    return tuple(moved if item is line else item for item in lines), line


def _move_pushed(
    call: LineStatus | None, event: PhoneEvent, to: str
) -> LineStatus | None:
    """Return the pushed call of a phone without line status, as the event leaves it."""
    if to == "idle":
        return None
    if call is None:
        call = LineStatus(
            line=0,
            state=to,
            account=None,
            remote_name="",
            remote_number="",
            active=True,
        )
    return replace(
        call,
        state=to,
        remote_number=event.remote or call.remote_number,
        remote_name=event.remote_name or call.remote_name,
    )


def _move_handset_line(
    lines: tuple[HandsetLineStatus, ...], sources: tuple[str, ...], to: str
) -> tuple[HandsetLineStatus, ...]:
    """Move the DECT handset line a call is on; a new call's is not known."""
    if "idle" in sources:
        # Which handsets ring or dial the event does not say: the pushed call
        # shows it until the refresh reads the handsets.
        return lines
    line = next(
        (line for state in sources for line in lines if line.state == state), None
    )
    if line is None:
        return lines
    return tuple(replace(line, state=to) if item is line else item for item in lines)


def _status(data: PhoneData) -> PhoneStatus | None:
    """Return the phone status word that the lines now mean."""
    if data.status is None:
        return None
    calls = replace(data, status=None)
    word = "ringing" if calls.ringing else "busy" if calls.in_call else "available"
    return replace(data.status, status=word)


class ActionUrlPathView(HomeAssistantView):
    """Pass our webhooks the events whose values a phone put in the path.

    A URL typed as the phone's guides write them, without a "?", arrives as
    "/api/webhook/ID/event=…", which the webhook view does not route.
    """

    url = "/api/webhook/{webhook_id}/{values:.*}"
    name = "api:grandstream_cti:action_url"
    requires_auth = False

    async def _handle(
        self, request: web.Request, webhook_id: str, values: str
    ) -> web.Response:
        """Hand the request to the webhook if it is one of ours."""
        hass = request.app[KEY_HASS]
        if any(
            entry.data.get(CONF_WEBHOOK_ID) == webhook_id
            for entry in hass.config_entries.async_entries(DOMAIN)
        ):
            return await webhook.async_handle_webhook(hass, webhook_id, request)
        # As the webhook view does: never tell whether a webhook exists.
        return web.Response(status=HTTPStatus.OK)

    get = _handle
    head = _handle
    post = _handle


@callback
def async_setup_push(hass: HomeAssistant) -> None:
    """Route Action URLs whose values are in the path."""
    hass.http.register_view(ActionUrlPathView)
