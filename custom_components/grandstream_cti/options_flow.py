"""Options flow: the Action URLs to paste into a phone; nothing is stored."""

from __future__ import annotations

from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.selector import TextSelector, TextSelectorConfig
import probatio

from .cti.action_url import MAX_URL_LENGTH, build_action_urls
from .helpers import create_client

# Read-only and one line each: the user copies a URL, field by field.
URL_SELECTOR = TextSelector(TextSelectorConfig(read_only=True))


class GrandstreamCtiOptionsFlow(OptionsFlow):
    """Show the URLs that let a phone push its events to Home Assistant."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show one copyable field per Action URL event."""
        if user_input is not None:
            # The URLs live in the phone: say so instead of "saved".
            return self.async_abort(reason="action_url_done")
        entry = self.config_entry
        try:
            # The webhook takes local requests only: no external URL.
            webhook_url = webhook.async_generate_url(
                self.hass,
                entry.data[CONF_WEBHOOK_ID],
                allow_external=False,
                prefer_external=False,
            )
        except NoURLAvailableError:
            return self.async_abort(reason="no_url")
        urls = build_action_urls(webhook_url)
        longest = max(len(url) for url in urls.values())
        schema = probatio.Schema(
            {
                probatio.Optional(str(event), default=url): URL_SELECTOR
                for event, url in urls.items()
            }
        )
        return self.async_show_form(
            step_id="init",
            data_schema=schema,
            description_placeholders={
                "name": entry.title,
                "phone_url": str(create_client(self.hass, entry.data).base_url),
                "length": str(longest),
                "limit": str(MAX_URL_LENGTH),
            },
            errors={"base": "url_too_long"} if longest > MAX_URL_LENGTH else None,
            last_step=True,
        )
