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
    "rejected",
    "sip_id",
    "sip_server",
    "name",
    "number",
}


def _redactable(value: Any) -> Any:
    """Return tuples as lists, so that redaction reaches inside them."""
    if isinstance(value, dict):
        return {key: _redactable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_redactable(item) for item in value]
    return value


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: GrandstreamCtiConfigEntry
) -> dict[str, Any]:
    """Return the entry's settings, the phone's last read and its pushes, redacted."""
    coordinator = entry.runtime_data.coordinator
    push = coordinator.push
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": _redactable(dict(entry.options)),
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
            "data": _redactable(asdict(coordinator.data)),
            "setup": _redactable(asdict(entry.runtime_data.setup.data)),
            "push": {
                "count": push.count,
                "last_event": push.last_event,
                "last_at": push.last_at.isoformat() if push.last_at else None,
                "confirmed": push.confirmed,
                "scan_interval": coordinator.update_interval.total_seconds()
                if coordinator.update_interval
                else None,
            },
        },
        TO_REDACT,
    )
