"""Device triggers for Grandstream phones: ringing, answered, missed, ended."""

from __future__ import annotations

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType
import probatio

from .calls import EVENT_CALL, CallEventType, call_event_types
from .const import DOMAIN
from .coordinator import GrandstreamCtiConfigEntry

# Named like the grandstream_cti_call events they fire on.
TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {probatio.Required(CONF_TYPE): probatio.In([str(t) for t in CallEventType])}
)


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, str]]:
    """Return the triggers of a phone; its DECT handsets have none of their own."""
    device = dr.async_get(hass).async_get(device_id)
    # A phone's device is identified by its entry's id, a handset's is not.
    entry: GrandstreamCtiConfigEntry | None = next(
        (
            hass.config_entries.async_get_entry(identifier)
            for domain, identifier in (device.identifiers if device else ())
            if domain == DOMAIN
        ),
        None,
    )
    if entry is None or entry.state is not ConfigEntryState.LOADED:
        return []
    base = {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id}
    # Only the call events the phone's family can produce.
    profile = entry.runtime_data.coordinator.profile
    return [base | {CONF_TYPE: kind} for kind in call_event_types(profile)]


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Fire on the phone's grandstream_cti_call events of the trigger's type."""
    event_data = {CONF_DEVICE_ID: config[CONF_DEVICE_ID], CONF_TYPE: config[CONF_TYPE]}
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            event_trigger.CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: EVENT_CALL,
            event_trigger.CONF_EVENT_DATA: event_data,
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, event_config, action, trigger_info, platform_type="device"
    )
