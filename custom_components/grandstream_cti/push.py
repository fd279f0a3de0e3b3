"""Receive the events phones push to their Action URLs: each is a reason to read the phone."""

from __future__ import annotations

from http import HTTPStatus

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.components.http import KEY_HASS, HomeAssistantView
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback

from .const import CONF_MAC, DOMAIN, LOGGER
from .coordinator import GrandstreamCtiConfigEntry
from .cti.action_url import MAX_REQUEST_LENGTH, InvalidActionUrl, parse_action_url
from .helpers import device_name


@callback
def async_setup_webhook(hass: HomeAssistant, entry: GrandstreamCtiConfigEntry) -> None:
    """Take the phone's events at its webhook while the entry is loaded."""
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]
    mac = entry.data.get(CONF_MAC)

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> None:
        """Pass a pushed event to the coordinator; answer 200 with no body."""
        values = await _async_read_values(request, webhook_id)
        try:
            event = parse_action_url(values, mac)
        except InvalidActionUrl as err:
            name = device_name(hass, entry)
            LOGGER.debug("Ignoring a request to the webhook of %s: %s", name, err)
            return
        entry.runtime_data.coordinator.async_handle_push(event)

    webhook.async_register(
        hass,
        DOMAIN,
        device_name(hass, entry),
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
    values = target.partition(webhook_id)[2] if target else f"?{request.query_string}"
    if request.method != hdrs.METH_POST:
        return values
    # A body may arrive in several TCP segments: read to its end, and stop
    # one byte beyond what a phone sends, which is enough to refuse it.
    body = b""
    while len(body) <= MAX_REQUEST_LENGTH and (
        chunk := await request.content.read(MAX_REQUEST_LENGTH + 1 - len(body))
    ):
        body += chunk
    return f"{values}&{body.decode(errors='replace')}"


class ActionUrlPathView(HomeAssistantView):
    """Pass our webhooks the events whose values a phone put in the path."""

    # A URL typed as the phone's guides write them, without a "?", arrives as
    # "/api/webhook/ID/event=…", which the webhook view does not route.
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

    get = head = post = _handle


@callback
def async_setup_push(hass: HomeAssistant) -> None:
    """Route Action URLs whose values are in the path."""
    hass.http.register_view(ActionUrlPathView)
