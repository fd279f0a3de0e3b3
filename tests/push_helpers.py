"""Helpers for tests of pushed events: phones calling the URLs the options show."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp.test_utils import TestClient
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.cti.action_url import FIELDS

from .simulator import PhoneSimulator

# The simulator's event names and the fields of the phone's web interface.
FIELD_OF_EVENT = {
    "setup_completed": "Setup Completed",
    "registered": "Registered",
    "unregistered": "Unregistered",
    "off_hook": "Off Hook",
    "on_hook": "On Hook",
    "incoming_call": "Incoming Call",
    "outgoing_call": "Outgoing Call",
    "missed_call": "Missed Call",
    "established_call": "Established Call",
    "terminated_call": "Terminated Call",
    "rejected_call": "Rejected Call",
    "dnd_on": "DND On",
    "dnd_off": "DND Off",
    "hold": "Hold",
    "unhold": "Unhold",
}


def webhook_path(entry: MockConfigEntry) -> str:
    """Return the path of the entry's webhook."""
    return f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"


async def options_action_urls(
    hass: HomeAssistant, entry: MockConfigEntry
) -> dict[str, str]:
    """Return the URLs the options show, by the phone's field names."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    label = {str(field.event): field.label for field in FIELDS}
    urls = {label[str(key)]: key.default() for key in result["data_schema"].schema}
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    return urls


async def paste_action_urls(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    simulator: PhoneSimulator,
    client: TestClient,
) -> None:
    """Give Home Assistant the test server's address; paste its URLs into the phone."""
    await hass.config.async_update(internal_url=str(client.make_url("")))
    urls = await options_action_urls(hass, entry)
    simulator.action_urls = {
        event: urls[field] for event, field in FIELD_OF_EVENT.items()
    }


async def shown_without_polling(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    entity_id: str,
    act: Callable[[], object],
) -> State:
    """Make something happen at the phone; return the state its push showed.

    Fails unless the entity changed before Home Assistant asked the phone
    anything: the pushed event alone changed it.
    """
    simulator.clear_requests()
    requests_when_shown: list[int] = []

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        requests_when_shown.append(len(simulator.requests))

    unsubscribe = async_track_state_change_event(hass, entity_id, changed)
    try:
        act()
        await simulator.wait_for_action_urls()
    finally:
        unsubscribe()
    assert simulator.action_url_requests[-1].status == 200
    assert requests_when_shown[:1] == [0]
    state = hass.states.get(entity_id)
    assert state is not None
    # The refresh each pushed event asks for.
    await hass.async_block_till_done(wait_background_tasks=True)
    return state
