"""Actions for Grandstream phones: calls, keys, do-not-disturb, music, reboot."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import config_validation as cv, service
import probatio

from .const import DOMAIN
from .coordinator import GrandstreamCtiConfigEntry, GrandstreamCtiCoordinator
from .cti import CallOperation, DndRoute, Family, Function, GrandstreamCti
from .entity import handset_identifier
from .helpers import INPUT_ERRORS, translate_cti_errors
from .music import GscMusic
from .speed_dials import find_speed_dial, get_speed_dials

SERVICE_DIAL: Final = "dial"
SERVICE_SEND_KEYS: Final = "send_keys"
SERVICE_CALL_OPERATION: Final = "call_operation"
SERVICE_SET_DND: Final = "set_dnd"
SERVICE_REBOOT: Final = "reboot"
SERVICE_FACTORY_RESET: Final = "factory_reset"
SERVICE_LIST_MUSIC: Final = "list_music"
SERVICE_PLAY_MUSIC: Final = "play_music"
SERVICE_STOP_MUSIC: Final = "stop_music"

ATTR_NUMBER: Final = "number"
ATTR_HANDSET: Final = "handset"
ATTR_KEYS: Final = "keys"
ATTR_OPERATION: Final = "operation"
ATTR_LINE: Final = "line"
ATTR_ENABLED: Final = "enabled"
ATTR_CONFIRM: Final = "confirm"
ATTR_FILE: Final = "file"
ATTR_LOOP: Final = "loop"

# Ranges are checked per phone, where the refusal can say what the phone has.
_DEVICES = {
    probatio.Required(ATTR_DEVICE_ID): probatio.All(
        cv.ensure_list, probatio.Length(min=1), [cv.string]
    )
}
_HANDSET = {probatio.Optional(ATTR_HANDSET): probatio.Coerce(int)}

DEVICES_SCHEMA = probatio.Schema(_DEVICES)
DIAL_SCHEMA = probatio.Schema(
    {**_DEVICES, probatio.Required(ATTR_NUMBER): cv.string, **_HANDSET}
)
SEND_KEYS_SCHEMA = probatio.Schema(
    {
        **_DEVICES,
        probatio.Required(ATTR_KEYS): probatio.All(cv.ensure_list, [cv.string]),
        **_HANDSET,
    }
)
CALL_OPERATION_SCHEMA = probatio.Schema(
    {
        **_DEVICES,
        probatio.Required(ATTR_OPERATION): probatio.Coerce(CallOperation),
        probatio.Optional(ATTR_LINE): probatio.Coerce(int),
        **_HANDSET,
    }
)
SET_DND_SCHEMA = probatio.Schema(
    {**_DEVICES, probatio.Required(ATTR_ENABLED): cv.boolean, **_HANDSET}
)
FACTORY_RESET_SCHEMA = probatio.Schema(
    {**_DEVICES, probatio.Optional(ATTR_CONFIRM, default=False): cv.boolean}
)
# One speaker: the response is its list of files.
LIST_MUSIC_SCHEMA = probatio.Schema(
    {
        probatio.Required(ATTR_DEVICE_ID): probatio.All(
            cv.ensure_list, probatio.Length(min=1, max=1), [cv.string]
        )
    }
)
PLAY_MUSIC_SCHEMA = probatio.Schema(
    {
        **_DEVICES,
        probatio.Required(ATTR_FILE): cv.string,
        probatio.Optional(ATTR_LOOP, default=False): cv.boolean,
    }
)

type _Send = Callable[[], Awaitable[object]]


@dataclass(frozen=True, kw_only=True)
class _Target:
    """A phone an action is for, and the handset when a handset was picked."""

    entry: GrandstreamCtiConfigEntry
    handset: int | None = None

    @property
    def client(self) -> GrandstreamCti:
        """Return the phone's CTI client."""
        return self.entry.runtime_data.client

    @property
    def coordinator(self) -> GrandstreamCtiCoordinator:
        """Return the phone's coordinator."""
        return self.entry.runtime_data.coordinator

    @property
    def placeholders(self) -> dict[str, str]:
        """Return what every message about this phone names."""
        return {"name": self.entry.title, "family": self.client.profile.title}


@callback
def _async_targets(call: ServiceCall, *, handsets: bool = True) -> list[_Target]:
    """Return the phones of the picked devices; refuse devices of others."""
    targets: dict[tuple[str, int | None], _Target] = {}
    for device_id in call.data[ATTR_DEVICE_ID]:
        device, entry = service.async_get_device_and_config_entry(
            call.hass, DOMAIN, device_id
        )
        handset = None
        if handsets:
            handset = next(
                (
                    number
                    for number in range(
                        1, entry.runtime_data.client.profile.handsets + 1
                    )
                    if (DOMAIN, handset_identifier(entry, number)) in device.identifiers
                ),
                None,
            )
        targets.setdefault(
            (entry.entry_id, handset), _Target(entry=entry, handset=handset)
        )
    return list(targets.values())


def _invalid(
    target: _Target, field: str, code: str, value: object, **details: str
) -> ServiceValidationError:
    """Return the refusal of a field, worded as the client's own refusals."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=INPUT_ERRORS[code],
        translation_placeholders={
            **target.placeholders,
            "field": field,
            "value": str(value),
            **details,
        },
    )


def _handset(target: _Target, requested: int | None) -> int | None:
    """Return the handset to use: DECT bases default to handset 1."""
    handset = target.handset
    if requested is not None:
        if handset is not None and requested != handset:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="handset_conflict",
                translation_placeholders={
                    **target.placeholders,
                    "device_handset": str(handset),
                    "handset": str(requested),
                },
            )
        handset = requested
    profile = target.client.profile
    if not profile.handsets:
        if handset is not None:
            raise _invalid(target, ATTR_HANDSET, "no_handsets", handset)
        return None
    if handset is None:
        handset = 1
    if not 1 <= handset <= profile.handsets:
        raise _invalid(
            target,
            ATTR_HANDSET,
            "out_of_range",
            handset,
            min="1",
            max=str(profile.handsets),
        )
    status = target.coordinator.data.handset(handset)
    if status is None or not status.paired:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="handset_not_paired",
            translation_placeholders={**target.placeholders, "handset": str(handset)},
        )
    return handset


def _check_line(target: _Target, line: int | None) -> None:
    """Refuse a line the phone does not have, or cannot be told."""
    if line is None:
        return
    profile = target.client.profile
    if profile.operation_function is Function.DEVICE_OPERATION:
        limit = profile.handset_lines
    elif profile.family is Family.GRP:
        # Only GRP firmware takes the line (`arg`) with a phone operation.
        limit = len(target.coordinator.data.lines)
    else:
        raise _invalid(target, ATTR_LINE, "no_line_choice", line)
    if not 1 <= line <= limit:
        raise _invalid(target, ATTR_LINE, "out_of_range", line, min="1", max=str(limit))


def _music(target: _Target) -> GscMusic:
    """Return the music of a GSC speaker; refuse other phones."""
    if (music := target.entry.runtime_data.music) is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="music_unsupported",
            translation_placeholders=target.placeholders,
        )
    return music


async def _async_prepare(
    call: ServiceCall,
    prepare: Callable[[_Target], _Send],
    *,
    handsets: bool = True,
) -> list[tuple[_Target, _Send]]:
    """Check an action for every phone before anything is sent to any of them."""
    commands = []
    for target in _async_targets(call, handsets=handsets):
        async with translate_cti_errors(call.hass, target.entry):
            commands.append((target, prepare(target)))
    return commands


async def _async_send(
    hass: HomeAssistant, commands: list[tuple[_Target, _Send]], *, refresh: bool
) -> None:
    """Send to every phone at once; with refresh, show the new call state at once."""

    async def send(target: _Target, command: _Send) -> HomeAssistantError | None:
        try:
            async with translate_cti_errors(hass, target.entry):
                await command()
        except HomeAssistantError as err:
            # Kept, so that one phone failing does not hide how the others did.
            return err
        if refresh:
            # The next poll is up to a few seconds away: read the phone now.
            await target.coordinator.async_refresh()
        return None

    results = await asyncio.gather(
        *(send(target, command) for target, command in commands)
    )
    failed = [
        (target.entry.title, err)
        for (target, _), err in zip(commands, results, strict=True)
        if err is not None
    ]
    if not failed:
        return
    if len(commands) == 1:
        raise failed[0][1]
    raise HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="phones_failed",
        translation_placeholders={
            "names": ", ".join(name for name, _ in failed),
            "errors": " ".join(str(err) for _, err in failed),
        },
    )


async def _async_dial(call: ServiceCall) -> None:
    """Call a number, or a speed dial by its name."""
    number: str = call.data[ATTR_NUMBER]
    requested: int | None = call.data.get(ATTR_HANDSET)

    def prepare(target: _Target) -> _Send:
        handset = _handset(target, requested)
        # A speed dial's name wins over a number spelled the same.
        speed_dial = find_speed_dial(get_speed_dials(target.entry), number)
        cleaned = target.client.validate_number(
            speed_dial.number if speed_dial else number
        )
        return partial(target.client.dial, cleaned, handset=handset)

    await _async_send(call.hass, await _async_prepare(call, prepare), refresh=True)


async def _async_send_keys(call: ServiceCall) -> None:
    """Press keys on the phones."""
    # Each item may itself be a colon-separated sequence, as the guides write it.
    keys = [key for item in call.data[ATTR_KEYS] for key in item.split(":")]
    requested: int | None = call.data.get(ATTR_HANDSET)

    def prepare(target: _Target) -> _Send:
        if not target.client.profile.supports(Function.SEND_KEY):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="keys_unsupported",
                translation_placeholders=target.placeholders,
            )
        handset = _handset(target, requested)
        names = target.client.normalize_keys(keys)
        return partial(target.client.send_key, names, hs=handset)

    await _async_send(call.hass, await _async_prepare(call, prepare), refresh=True)


async def _async_call_operation(call: ServiceCall) -> None:
    """Accept, reject, end, hold, resume, cancel, mute or switch the speaker."""
    operation: CallOperation = call.data[ATTR_OPERATION]
    requested: int | None = call.data.get(ATTR_HANDSET)
    line: int | None = call.data.get(ATTR_LINE)

    def prepare(target: _Target) -> _Send:
        if operation not in target.client.profile.operations:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="operation_unsupported",
                translation_placeholders={
                    **target.placeholders,
                    "operation": operation.value,
                },
            )
        handset = _handset(target, requested)
        _check_line(target, line)
        return partial(
            target.client.call_operation, operation, handset=handset, line=line
        )

    await _async_send(call.hass, await _async_prepare(call, prepare), refresh=True)


async def _async_set_dnd(call: ServiceCall) -> None:
    """Switch do-not-disturb on or off."""
    enabled: bool = call.data[ATTR_ENABLED]
    requested: int | None = call.data.get(ATTR_HANDSET)

    def prepare(target: _Target) -> _Send:
        route = target.client.profile.dnd
        if route is DndRoute.NONE:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="dnd_unsupported",
                translation_placeholders=target.placeholders,
            )
        handset = _handset(target, requested)
        coordinator = target.coordinator
        # Only pushed DND events tell the state; no status function has it.
        current = coordinator.data.dnd
        if route is DndRoute.TOGGLE_KEY and current is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="dnd_state_unknown",
                translation_placeholders=target.placeholders,
            )

        async def send() -> None:
            await target.client.set_dnd(enabled, handset=handset, current=current)
            if route is DndRoute.TOGGLE_KEY:
                # The key toggled from a known state: the new one is known too,
                # and the next request must toggle from it.
                coordinator.async_set_updated_data(
                    replace(coordinator.data, dnd=enabled)
                )

        return send

    await _async_send(call.hass, await _async_prepare(call, prepare), refresh=True)


async def _async_reboot(call: ServiceCall) -> None:
    """Reboot the phones."""
    commands = await _async_prepare(
        call, lambda target: target.client.reboot, handsets=False
    )
    # No refresh: the phone is going off the network.
    await _async_send(call.hass, commands, refresh=False)


async def _async_factory_reset(call: ServiceCall) -> None:
    """Erase every setting of the phones."""
    commands = await _async_prepare(
        call, lambda target: target.client.factory_reset, handsets=False
    )
    if not call.data[ATTR_CONFIRM]:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="confirm_required",
            translation_placeholders={
                "names": ", ".join(target.entry.title for target, _ in commands)
            },
        )
    await _async_send(call.hass, commands, refresh=False)


async def _async_list_music(call: ServiceCall) -> ServiceResponse:
    """Return the music files of a GSC speaker, read afresh."""
    [target] = _async_targets(call, handsets=False)
    music = _music(target)
    async with translate_cti_errors(call.hass, target.entry):
        files = await music.async_refresh()
    return {"files": [{"name": file.name, "path": file.path} for file in files]}


async def _async_play_music(call: ServiceCall) -> None:
    """Play a music file the speakers listed."""
    wanted: str = call.data[ATTR_FILE]
    loop: bool = call.data[ATTR_LOOP]

    def prepare(target: _Target) -> _Send:
        music = _music(target)
        if (file := music.find(wanted)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_music_file",
                translation_placeholders={
                    **target.placeholders,
                    "file": wanted,
                    "files": ", ".join(file.name for file in music.files) or "-",
                },
            )
        return partial(music.async_play, file, loop=loop)

    commands = await _async_prepare(call, prepare, handsets=False)
    await _async_send(call.hass, commands, refresh=False)


async def _async_stop_music(call: ServiceCall) -> None:
    """Stop the music of the speakers."""
    commands = await _async_prepare(
        call, lambda target: _music(target).async_stop, handsets=False
    )
    await _async_send(call.hass, commands, refresh=False)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, handler, schema in (
        (SERVICE_DIAL, _async_dial, DIAL_SCHEMA),
        (SERVICE_SEND_KEYS, _async_send_keys, SEND_KEYS_SCHEMA),
        (SERVICE_CALL_OPERATION, _async_call_operation, CALL_OPERATION_SCHEMA),
        (SERVICE_SET_DND, _async_set_dnd, SET_DND_SCHEMA),
        (SERVICE_PLAY_MUSIC, _async_play_music, PLAY_MUSIC_SCHEMA),
        (SERVICE_STOP_MUSIC, _async_stop_music, DEVICES_SCHEMA),
    ):
        hass.services.async_register(DOMAIN, name, handler, schema=schema)
    hass.services.async_register(
        DOMAIN,
        SERVICE_LIST_MUSIC,
        _async_list_music,
        schema=LIST_MUSIC_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    service.async_register_admin_service(
        hass, DOMAIN, SERVICE_REBOOT, _async_reboot, schema=DEVICES_SCHEMA
    )
    service.async_register_admin_service(
        hass,
        DOMAIN,
        SERVICE_FACTORY_RESET,
        _async_factory_reset,
        schema=FACTORY_RESET_SCHEMA,
    )
