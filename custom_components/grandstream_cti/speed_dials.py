"""Speed dials: named numbers, subentries of a phone, dialed by buttons and Assist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
import re
from types import MappingProxyType
from typing import Any, Final

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import ConfigEntry, ConfigSubentry
from homeassistant.const import ATTR_ENTITY_ID, CONF_NAME
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    translation,
)
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
import probatio

from .const import DOMAIN, LOGGER
from .helpers import device_name

SUBENTRY_SPEED_DIAL: Final = "speed_dial"
CONF_NUMBER: Final = "number"
# Where entries of version 1.1 keep speed dials; migration moves them to subentries.
CONF_SPEED_DIALS: Final = "speed_dials"

# Assist hears "call Reception", "dial Reception" or "press Call Reception".
# Home Assistant's built-in sentences press no buttons, so the integration
# brings its own; they are English, like the integration's other texts.
SENTENCES: Final = ("[press [the]] call {name} [button]", "dial {name}")
# Characters hassil gives a meaning to, and punctuation a sentence cannot hold.
_NOT_SPOKEN = re.compile(r"[^\w\s]")


@dataclass(frozen=True, kw_only=True)
class SpeedDial:
    """A named number; `id`, its subentry's, stays the same when it is renamed."""

    id: str
    name: str
    number: str


def get_speed_dials(entry: ConfigEntry[Any]) -> tuple[SpeedDial, ...]:
    """Return the speed dials of a phone."""
    return tuple(
        SpeedDial(
            id=subentry.subentry_id,
            name=subentry.data[CONF_NAME],
            number=subentry.data[CONF_NUMBER],
        )
        for subentry in entry.get_subentries_of_type(SUBENTRY_SPEED_DIAL)
    )


def find_speed_dial(speed_dials: Iterable[SpeedDial], name: str) -> SpeedDial | None:
    """Return the speed dial with a name, ignoring case and outer spaces."""
    wanted = name.strip().casefold()
    return next((sd for sd in speed_dials if sd.name.casefold() == wanted), None)


def speed_dial_unique_id(entry: ConfigEntry[Any], speed_dial_id: str) -> str:
    """Return the unique id of a speed dial's button."""
    return f"{entry.entry_id}_speed_dial_{speed_dial_id}"


@callback
def async_migrate_speed_dials(hass: HomeAssistant, entry: ConfigEntry[Any]) -> None:
    """Move the speed dials of the options into subentries, buttons with them.

    Speed dials stored before ids existed have none, and never had a button.
    """
    registry = er.async_get(hass)
    for item in entry.options.get(CONF_SPEED_DIALS, ()):
        name, number = item.get(CONF_NAME), item.get(CONF_NUMBER)
        if not isinstance(name, str) or not isinstance(number, str):
            LOGGER.warning(
                "%s: dropped a speed dial without a name or number", entry.title
            )
            continue
        subentry = ConfigSubentry(
            data=MappingProxyType({CONF_NAME: name, CONF_NUMBER: number}),
            subentry_type=SUBENTRY_SPEED_DIAL,
            title=name,
            unique_id=None,
        )
        hass.config_entries.async_add_subentry(entry, subentry)
        # The button keeps its entity id, its history and the user's settings.
        if (old_id := item.get("id")) and (
            entity_id := registry.async_get_entity_id(
                BUTTON_DOMAIN, DOMAIN, speed_dial_unique_id(entry, old_id)
            )
        ):
            registry.async_update_entity(
                entity_id,
                new_unique_id=speed_dial_unique_id(entry, subentry.subentry_id),
            )
    hass.config_entries.async_update_entry(
        entry,
        options={k: v for k, v in entry.options.items() if k != CONF_SPEED_DIALS},
    )


def _spoken(name: str) -> str:
    """Return a name as a sentence can hold it."""
    return " ".join(_NOT_SPOKEN.sub(" ", name).split())


def _chosen_phone(
    hass: HomeAssistant, spoken: str, satellite_device_id: str | None
) -> tuple[str, str] | None:
    """Return the entry and speed dial ids that answer a spoken name.

    Several phones may have a speed dial of that name: the phone in the voice
    satellite's area dials, else the first phone set up.
    """
    wanted = spoken.casefold()
    candidates = [
        (entry, speed_dial)
        for entry in hass.config_entries.async_loaded_entries(DOMAIN)
        for speed_dial in get_speed_dials(entry)
        if _spoken(speed_dial.name).casefold() == wanted
    ]
    if not candidates:
        return None
    devices = dr.async_get(hass)
    satellite = devices.async_get(satellite_device_id) if satellite_device_id else None
    if satellite is not None and satellite.area_id:
        for entry, speed_dial in candidates:
            phone = devices.async_get_device_by_identifier(
                (DOMAIN, entry.entry_id), entry.entry_id
            )
            if phone is not None and phone.area_id == satellite.area_id:
                return entry.entry_id, speed_dial.id
    entry, speed_dial = candidates[0]
    return entry.entry_id, speed_dial.id


async def async_register_sentences(
    hass: HomeAssistant, entry: ConfigEntry[Any]
) -> CALLBACK_TYPE | None:
    """Let Assist press the speed dial buttons of a phone; return the remover."""
    triggers: list[dict[str, Any]] = []
    spoken_names: dict[str, str] = {}
    for speed_dial in get_speed_dials(entry):
        if spoken := _spoken(speed_dial.name):
            spoken_names[speed_dial.id] = spoken
            triggers.append(
                {
                    "platform": "conversation",
                    "id": speed_dial.id,
                    "command": [s.format(name=spoken) for s in SENTENCES],
                }
            )
    if not triggers:
        return None
    registry = er.async_get(hass)

    async def press(
        variables: dict[str, Any], context: Context | None = None
    ) -> ScriptRunResult | None:
        """Press the button of the speed dial asked for, if this phone is to dial."""
        trigger = variables["trigger"]
        speed_dial_id = trigger["id"]
        if _chosen_phone(
            hass, spoken_names[speed_dial_id], trigger.get("device_id")
        ) != (entry.entry_id, speed_dial_id):
            # Another phone with a speed dial of this name dials instead.
            return None
        speed_dial = next(sd for sd in get_speed_dials(entry) if sd.id == speed_dial_id)
        unique_id = speed_dial_unique_id(entry, speed_dial_id)
        entity_id = registry.async_get_entity_id(BUTTON_DOMAIN, DOMAIN, unique_id)
        try:
            await hass.services.async_call(
                BUTTON_DOMAIN,
                SERVICE_PRESS,
                {ATTR_ENTITY_ID: entity_id},
                blocking=True,
                context=context,
            )
        except HomeAssistantError as err:
            # What Assist says back: why the phone did not dial.
            return _answer(str(err))
        language = trigger.get("user_input", {}).get("language") or hass.config.language
        strings = await translation.async_get_translations(
            hass, language, "exceptions", [DOMAIN]
        )
        template = strings[f"component.{DOMAIN}.exceptions.speed_dial_calling.message"]
        return _answer(
            template.format(name=speed_dial.name, phone=device_name(hass, entry))
        )

    def log(level: int, message: str, **kwargs: Any) -> None:
        LOGGER.log(level, "%s speed dial sentences: %s", entry.title, message, **kwargs)

    try:
        config = await async_validate_trigger_config(hass, triggers)
    except probatio.Invalid as err:
        # Without a working conversation integration, the buttons still dial.
        LOGGER.warning("Assist cannot dial the speed dials of %s: %s", entry.title, err)
        return None
    return await async_initialize_triggers(
        hass,
        config,
        press,
        DOMAIN,
        f"{entry.title} speed dials",
        log,
    )


def _answer(text: str) -> ScriptRunResult:
    """Return what Assist says back."""
    return ScriptRunResult(
        conversation_response=text, service_response=None, variables={}
    )
