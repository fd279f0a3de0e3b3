"""Helpers for tests of pushed events: phones calling the URLs the options show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

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
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.grandstream_cti.coordinator import PUSH_COOLDOWN
from custom_components.grandstream_cti.cti.action_url import PhoneEventType

from .simulator import PhoneSimulator

# Each event's field in the phone's web interface (Settings -> Outbound
# Notification -> Action URL), named as the Grandstream guides name them.
FIELD_LABELS: dict[str, str] = {
    PhoneEventType.SETUP_COMPLETED: "Setup Completed",
    PhoneEventType.REGISTERED: "Registered",
    PhoneEventType.UNREGISTERED: "Unregistered",
    PhoneEventType.OFF_HOOK: "Off Hook",
    PhoneEventType.ON_HOOK: "On Hook",
    PhoneEventType.INCOMING: "Incoming Call",
    PhoneEventType.OUTGOING: "Outgoing Call",
    PhoneEventType.MISSED: "Missed Call",
    PhoneEventType.ESTABLISHED: "Established Call",
    PhoneEventType.TERMINATED: "Terminated Call",
    PhoneEventType.REJECTED: "Rejected Call",
    PhoneEventType.DND_ON: "DND On",
    PhoneEventType.DND_OFF: "DND Off",
    PhoneEventType.FORWARD_ON: "Forward On",
    PhoneEventType.FORWARD_OFF: "Forward Off",
    PhoneEventType.BLIND_TRANSFER: "Blind Transfer",
    PhoneEventType.ATTENDED_TRANSFER: "Attended Transfer",
    PhoneEventType.HOLD: "Hold",
    PhoneEventType.UNHOLD: "Unhold",
}
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
    urls = {
        FIELD_LABELS[str(key)]: key.default() for key in result["data_schema"].schema
    }
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


async def settle(hass: HomeAssistant) -> None:
    """Wait for the reads pushed events asked for, a coalesced one included."""
    await hass.async_block_till_done(wait_background_tasks=True)
    # The end of the cooldown, which no poll falls into.
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=PUSH_COOLDOWN))
    await hass.async_block_till_done(wait_background_tasks=True)


async def shown_by_push(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    entity_id: str,
    act: Callable[[], object],
) -> State:
    """Make something happen at the phone; return the state its push showed.

    Time stands still (freezer): no poll is due, so the entity changed only
    because the pushed event made Home Assistant read the phone at once.
    """
    changes: list[State | None] = []

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        changes.append(event.data["new_state"])

    unsubscribe = async_track_state_change_event(hass, entity_id, changed)
    try:
        act()
        await simulator.wait_for_action_urls()
        await settle(hass)
    finally:
        unsubscribe()
    assert simulator.action_url_requests[-1].status == 200
    assert changes, f"{entity_id} did not change"
    state = hass.states.get(entity_id)
    assert state is not None
    return state
