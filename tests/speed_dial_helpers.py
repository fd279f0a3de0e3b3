"""Speed dials as tests store, edit and press them."""

from __future__ import annotations

from typing import Any

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import SOURCE_USER, ConfigSubentryDataWithId
from homeassistant.const import ATTR_ENTITY_ID, ATTR_FRIENDLY_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResult
from pytest_homeassistant_custom_component.common import MockConfigEntry

from .common import assert_form
from .conftest import PASSCODE

RECEPTION_ID = "01JSPEEDDIALRECEPTION0000"
OFFICE_ID = "01JSPEEDDIALOFFICE000000"
BUTTON = "button.gxp2170_call_reception"


def speed_dial(subentry_id: str, name: str, number: str) -> ConfigSubentryDataWithId:
    """Return a speed dial subentry as stored."""
    return ConfigSubentryDataWithId(
        subentry_id=subentry_id,
        subentry_type="speed_dial",
        title=name,
        unique_id=None,
        data={"name": name, "number": number},
    )


RECEPTION = speed_dial(RECEPTION_ID, "Reception", "100")
OFFICE = speed_dial(OFFICE_ID, "Office", "101")


def keys(keys: str) -> tuple[str, dict[str, str]]:
    """Return a send_key request."""
    return ("/cgi-bin/api-send_key", {"passcode": PASSCODE, "keys": keys})


async def start_add(hass: HomeAssistant, entry: MockConfigEntry) -> FlowResult:
    """Open the form that adds a speed dial."""
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "speed_dial"), context={"source": SOURCE_USER}
    )
    assert_form(result, "user", {})
    return result


async def submit(
    hass: HomeAssistant, result: FlowResult, user_input: dict[str, Any]
) -> FlowResult:
    """Submit a subentry form, and let the phone reload."""
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], user_input
    )
    await hass.async_block_till_done()
    return result


def suggested(result: FlowResult) -> dict[str, Any]:
    """Return the suggested values of a form."""
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


def stored(entry: MockConfigEntry) -> list[dict[str, Any]]:
    """Return the speed dials of an entry as title and data."""
    return [
        {"title": subentry.title, **subentry.data}
        for subentry in entry.subentries.values()
    ]


async def press(hass: HomeAssistant, entity_id: str) -> None:
    """Press a button."""
    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )


def friendly_name(hass: HomeAssistant, entity_id: str) -> str:
    """Return the friendly name of an entity."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return str(state.attributes[ATTR_FRIENDLY_NAME])
