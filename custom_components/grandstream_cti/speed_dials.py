"""Speed dials: named numbers kept in a phone's options, dialed by buttons and Assist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
import re
from typing import Any, Final

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import ATTR_ENTITY_ID
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.script import ScriptRunResult
from homeassistant.helpers.trigger import (
    async_initialize_triggers,
    async_validate_trigger_config,
)
from homeassistant.util import slugify
import probatio

from .const import DOMAIN, LOGGER

CONF_SPEED_DIALS: Final = "speed_dials"
CONF_NUMBER: Final = "number"

# Assist hears "call Reception", "dial Reception" or "press Call Reception".
# Home Assistant's built-in sentences press no buttons, so the integration
# brings its own; they are English, like the integration's other texts.
SENTENCES: Final = ("[press [the]] call {name} [button]", "dial {name}")
# Characters hassil gives a meaning to, and punctuation a sentence cannot hold.
_NOT_SPOKEN = re.compile(r"[^\w\s]")


@dataclass(frozen=True, kw_only=True)
class SpeedDial:
    """A named number; `id` stays the same when it is renamed."""

    id: str
    name: str
    number: str

    def as_dict(self) -> dict[str, str]:
        """Return the speed dial as stored in the options."""
        return asdict(self)


def get_speed_dials(entry: ConfigEntry[Any]) -> tuple[SpeedDial, ...]:
    """Return the speed dials of a phone."""
    return tuple(SpeedDial(**item) for item in entry.options.get(CONF_SPEED_DIALS, ()))


def find_speed_dial(speed_dials: Iterable[SpeedDial], name: str) -> SpeedDial | None:
    """Return the speed dial with a name, ignoring case and outer spaces."""
    wanted = name.strip().casefold()
    return next((sd for sd in speed_dials if sd.name.casefold() == wanted), None)


def new_speed_dial_id(name: str, taken: Iterable[str]) -> str:
    """Return a stable id for a new speed dial, unique on its phone."""
    base = slugify(name) or "speed_dial"
    used = set(taken)
    candidate, suffix = base, 1
    while candidate in used:
        suffix += 1
        candidate = f"{base}_{suffix}"
    return candidate


def speed_dial_unique_id(entry: ConfigEntry[Any], speed_dial_id: str) -> str:
    """Return the unique id of a speed dial's button."""
    return f"{entry.entry_id}_speed_dial_{speed_dial_id}"


async def async_register_sentences(
    hass: HomeAssistant, entry: ConfigEntry[Any]
) -> CALLBACK_TYPE | None:
    """Let Assist press the speed dial buttons of a phone; return the remover."""
    triggers: list[dict[str, Any]] = []
    for speed_dial in get_speed_dials(entry):
        spoken = " ".join(_NOT_SPOKEN.sub(" ", speed_dial.name).split())
        if spoken:
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
        """Press the button of the speed dial that was asked for."""
        unique_id = speed_dial_unique_id(entry, variables["trigger"]["id"])
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
            return ScriptRunResult(
                conversation_response=str(err), service_response=None, variables={}
            )
        return None

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
