"""Tests for the options flow: the Action URLs to paste into a phone."""

from __future__ import annotations

import json
from pathlib import Path
from unittest.mock import patch

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.network import NoURLAvailableError
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.cti.action_url import (
    PhoneEventType,
    build_action_urls,
)

from .push_helpers import FIELD_LABELS, options_action_urls

LABELS = json.loads(
    (
        Path(__file__).parent.parent
        / "custom_components/grandstream_cti/translations/en.json"
    ).read_text(encoding="utf-8")
)["options"]["step"]["init"]["data"]


async def test_options_show_the_urls(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Show a read-only field per URL, for the local address; store nothing."""
    await hass.config.async_update(internal_url="http://192.168.1.10:8123")
    webhook_url = (
        f"http://192.168.1.10:8123/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}"
    )
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    assert result["last_step"] is True
    assert result["errors"] is None
    assert result["description_placeholders"] == {
        "name": "GXP2170",
        "phone_url": f"http://127.0.0.1:{init_integration.data['port']}",
        "length": str(max(map(len, build_action_urls(webhook_url).values()))),
        "limit": "256",
    }
    # One line each, to copy: the fields cannot be edited.
    for key, selector in result["data_schema"].schema.items():
        assert selector.config["read_only"] is True, key
        assert selector.config["multiline"] is False, key
        # Each field is labelled like the phone's field it goes into.
        assert LABELS[str(key)] == FIELD_LABELS[str(key)], key

    # What the user sees and copies, by the phone's field names.
    urls = await options_action_urls(hass, init_integration)

    assert urls == {
        FIELD_LABELS[field]: url
        for field, url in zip(
            PhoneEventType, build_action_urls(webhook_url).values(), strict=True
        )
    }
    # Nothing stored, nothing reloaded.
    assert init_integration.options == {}
    assert init_integration.state is ConfigEntryState.LOADED


async def test_options_done_saves_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Closing the URLs says that nothing was stored, not "saved"."""
    await hass.config.async_update(internal_url="http://192.168.1.10:8123")
    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    result = await hass.config_entries.options.async_configure(result["flow_id"], {})

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "action_url_done"
    assert init_integration.options == {}


async def test_options_without_local_url(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Without a local network address there is nothing the phone could call."""
    await hass.config.async_update(external_url="https://example.nabu.casa")
    with patch(
        "homeassistant.helpers.network._get_internal_url",
        side_effect=NoURLAvailableError,
    ):
        result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_url"


async def test_options_url_too_long(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Warn when the local address makes URLs longer than a phone keeps."""
    host = "homeassistant." + "really-long-name." * 8 + "local"
    await hass.config.async_update(internal_url=f"http://{host}:8123")

    result = await hass.config_entries.options.async_init(init_integration.entry_id)

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "url_too_long"}
    assert result["description_placeholders"]["limit"] == "256"
    assert int(result["description_placeholders"]["length"]) > 256
