"""Diagnostics for Grandstream phones."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import CONF_HOST
from homeassistant.core import HomeAssistant

from .const import CONF_MAC, CONF_PASSCODE
from .coordinator import GrandstreamCtiConfigEntry

# Caller names and numbers, and speed dials' names and numbers, are personal
# data; the MAC identifies the phone, and the title holds its address.
TO_REDACT = {
    "title",
    CONF_PASSCODE,
    CONF_MAC,
    CONF_HOST,
    "unique_id",
    "webhook_id",
    "remote_name",
    "remote_number",
    "sip_id",
    "sip_server",
    "name",
    "number",
}


def _plain(value: Any) -> Any:
    """Return tuples as lists, so that redaction reaches inside them."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> dict[str, Any]:
    """Return the entry's settings and the phone's last poll, redacted."""
    coordinator = entry.runtime_data.coordinator
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": _plain(dict(entry.options)),
                "subentries": [
                    {
                        "subentry_type": subentry.subentry_type,
                        "title": subentry.title,
                        "data": dict(subentry.data),
                    }
                    for subentry in entry.subentries.values()
                ],
            },
            "family": coordinator.profile.family.value,
            "last_update_success": coordinator.last_update_success,
            "data": _plain(asdict(coordinator.data)),
        },
        TO_REDACT,
    )
