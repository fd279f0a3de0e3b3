"""Actions for Grandstream phones: calls, keys, do-not-disturb, music, reboot."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from typing import Final

from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
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
from homeassistant.helpers.dispatcher import async_dispatcher_send
import probatio

from .const import DOMAIN
from .coordinator import (
    GrandstreamCtiConfigEntry,
    GrandstreamCtiCoordinator,
    GrandstreamCtiRuntimeData,
)
from .cti import (
    CallOperation,
    DndRoute,
    Family,
    Function,
    GrandstreamCti,
    HandsetLineStatus,
    LineStatus,
)
from .entity import handset_identifier
from .helpers import device_name, mute_toggled_signal, translate_cti_errors
from .music import GscMusic, refuse_in_night_mode
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

# One action presses at most this many keys: dialing the longest number the
# families take (64 digits) and SEND fits; a runaway template does not.
KEYS_MAX: Final = 65
# No key name is longer (RIGHT_SOFT_KEY): a longer one is cut in the refusal.
_KEY_NAME_MAX = 16
# Values quoted back in a refusal are cut to this many characters.
_SHOWN_MAX = 40

# The line states an operation acts on when no line is given, most likely
# first: a phone acts on its active call before a held one.
_CONNECTED = frozenset({"connected"})
_ON_HOLD = frozenset({"onhold"})
_RINGING = frozenset({"ringing"})
_OPERATION_LINE_STATES: Mapping[CallOperation, tuple[frozenset[str], ...]] = {
    CallOperation.ACCEPT: (_RINGING,),
    CallOperation.REJECT: (_RINGING,),
    CallOperation.END: (frozenset({"connected", "calling", "dialing"}), _ON_HOLD),
    CallOperation.HOLD: (_CONNECTED,),
    CallOperation.UNHOLD: (_ON_HOLD,),
    CallOperation.CANCEL: (frozenset({"ringing", "calling", "dialing"}),),
}

# Every value passes the schema: the handlers check it and refuse in words a
# user can act on, where a schema would answer "expected int for dictionary value".
_ANY = probatio.Schema({}, extra=probatio.ALLOW_EXTRA)

type _Send = Callable[[], Awaitable[object]]
type _Prepare = Callable[[_Target], Awaitable[_Send]]


def _shown(value: object) -> str:
    """Return a value as a refusal quotes it: short, whatever was typed."""
    text = str(value)
    return text if len(text) <= _SHOWN_MAX else f"{text[:_SHOWN_MAX]}…"


def _refusal(translation_key: str, /, **placeholders: str) -> ServiceValidationError:
    """Return a translated refusal of the action's input."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=translation_key,
        translation_placeholders=placeholders,
    )


class _Input:
    """The fields of an action call, each read with a translated refusal."""

    def __init__(self, call: ServiceCall, *fields: str) -> None:
        """Refuse fields the action does not have."""
        self.data = call.data
        known = (ATTR_DEVICE_ID, *fields)
        for field in self.data:
            if field not in known:
                raise _refusal(
                    "field_unknown", field=_shown(field), fields=", ".join(known)
                )

    def devices(self, *, single: bool = False) -> list[str]:
        """Return the picked device ids."""
        value = self.data.get(ATTR_DEVICE_ID)
        ids = [value] if isinstance(value, str) else value
        if (
            not isinstance(ids, list)
            or not ids
            or not all(isinstance(item, str) and item for item in ids)
        ):
            raise _refusal("field_devices_missing")
        if single and len(ids) > 1:
            raise _refusal("field_one_device")
        return ids

    def text(self, field: str) -> str:
        """Return a required text field."""
        value = self.data.get(field)
        if isinstance(value, int | float) and not isinstance(value, bool):
            # A number typed in YAML without quotes: `number: 100`.
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise _refusal("field_missing", field=field)
        return value

    def whole_number(self, field: str) -> int | None:
        """Return an optional whole number."""
        value = self.data.get(field)
        if value is None:
            return None
        if isinstance(value, str) and value.strip().isdecimal():
            return int(value)
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise _refusal("field_not_whole_number", field=field, value=_shown(value))

    def boolean(self, field: str) -> bool:
        """Return an optional on/off field; off when left out."""
        value = self.data.get(field, False)
        try:
            return bool(cv.boolean(value))
        except probatio.Invalid:
            raise _refusal(
                "field_not_boolean", field=field, value=_shown(value)
            ) from None

    def choice[E: StrEnum](self, field: str, choices: type[E]) -> E:
        """Return a required field that names one of the choices."""
        value = self.text(field)
        try:
            return choices(value.strip().lower())
        except ValueError:
            raise _refusal(
                "field_not_a_choice",
                field=field,
                value=_shown(value),
                choices=", ".join(choices),
            ) from None


@dataclass(frozen=True, kw_only=True)
class _Target:
    """A phone an action is for, and the handset when a handset was picked."""

    entry: GrandstreamCtiConfigEntry
    # Taken when the action starts: an entry unloaded meanwhile keeps no
    # runtime data, while the command in flight still needs its client.
    runtime: GrandstreamCtiRuntimeData
    name: str
    handset: int | None = None

    @property
    def client(self) -> GrandstreamCti:
        """Return the phone's CTI client."""
        return self.runtime.coordinator.client

    @property
    def coordinator(self) -> GrandstreamCtiCoordinator:
        """Return the phone's coordinator."""
        return self.runtime.coordinator

    @property
    def placeholders(self) -> dict[str, str]:
        """Return what every message about this phone names."""
        return {"name": self.name, "family": self.client.profile.title}


@callback
def _async_targets(
    call: ServiceCall, device_ids: list[str], *, handsets: bool = True
) -> list[_Target]:
    """Return the phones of the picked devices; refuse devices of others."""
    hass = call.hass
    targets: dict[tuple[str, int | None], _Target] = {}
    for device_id in device_ids:
        device, entry = service.async_get_device_and_config_entry(
            hass, DOMAIN, device_id
        )
        runtime: GrandstreamCtiRuntimeData = entry.runtime_data
        name = device_name(hass, entry)
        if any(entry.async_get_active_flows(hass, {SOURCE_REAUTH})):
            # The phone refused the passcode: sending it again may lock the
            # phone's admin account. Nothing goes out until the user enters
            # the current one.
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="invalid_auth",
                translation_placeholders={"name": name},
            )
        handset = None
        if handsets:
            handset = next(
                (
                    number
                    for number in range(1, runtime.coordinator.profile.handsets + 1)
                    if (DOMAIN, handset_identifier(entry, number)) in device.identifiers
                ),
                None,
            )
        targets.setdefault(
            (entry.entry_id, handset),
            _Target(entry=entry, runtime=runtime, name=name, handset=handset),
        )
    return list(targets.values())


def _invalid(
    target: _Target, field: str, code: str, value: object, **details: str
) -> ServiceValidationError:
    """Return the refusal of a field, worded as the client's own refusals."""
    return _refusal(
        f"input_{code}",
        **target.placeholders,
        field=field,
        value=_shown(value),
        **details,
    )


def _handset(target: _Target, requested: int | None) -> int | None:
    """Return the handset to use: DECT bases default to handset 1."""
    handset = target.handset
    if requested is not None:
        if handset is not None and requested != handset:
            raise _refusal(
                "handset_conflict",
                **target.placeholders,
                device_handset=str(handset),
                handset=str(requested),
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
    status = target.runtime.setup.data.handset(handset)
    if status is None or not status.paired:
        raise _refusal(
            "handset_not_paired", **target.placeholders, handset=str(handset)
        )
    return handset


def _takes_line(target: _Target) -> bool:
    """Return whether the phone can be told which line to act on."""
    profile = target.client.profile
    # Only GRP firmware takes the line (`arg`) with a phone operation.
    return (
        profile.operation_function is Function.DEVICE_OPERATION
        or profile.family is Family.GRP
    )


def _check_line(target: _Target, line: int) -> None:
    """Refuse a line the phone does not have, or cannot be told."""
    profile = target.client.profile
    if profile.operation_function is Function.DEVICE_OPERATION:
        limit = profile.handset_lines
    elif profile.family is Family.GRP:
        limit = len(target.coordinator.data.lines)
    else:
        raise _invalid(target, ATTR_LINE, "no_line_choice", line)
    if not 1 <= line <= limit:
        raise _invalid(target, ATTR_LINE, "out_of_range", line, min="1", max=str(limit))


def _candidates(
    tiers: tuple[frozenset[str], ...],
    lines: Iterable[LineStatus | HandsetLineStatus],
) -> list[int]:
    """Return the lines in the first tier of states that any line is in."""
    lines = tuple(lines)
    for states in tiers:
        if found := [line.line for line in lines if line.state in states]:
            return found
    return []


async def _async_pick_line(
    target: _Target, operation: CallOperation, handset: int | None
) -> int | None:
    """Return the one line an operation without a line acts on.

    Decided on the lines the entities show, as the user saw them; two
    candidates are refused rather than guessed, and nothing is sent.
    """
    tiers = _OPERATION_LINE_STATES.get(operation)
    profile = target.client.profile
    client = target.client
    data = target.coordinator.data
    shown: Iterable[LineStatus | HandsetLineStatus]
    read: Callable[[], Awaitable[Iterable[LineStatus | HandsetLineStatus]]]
    if handset is not None and profile.supports(Function.GET_HS_LINE_STATUS):
        shown = (line for line in data.handset_lines if line.handset == handset)
        read = partial(client.get_handset_line_status, handset)
    elif profile.supports(Function.GET_LINE_STATUS):
        shown, read = data.lines, client.get_line_status
    else:
        # GSC speakers without line status have only their phone status.
        return None
    if tiers is None:
        # Mute and speaker act on the handset, not on a line.
        return None
    if operation is CallOperation.HOLD and CallOperation.UNHOLD not in (
        profile.operations
    ):
        # GXP firmware toggles hold: holding a held call takes it back.
        tiers = (_CONNECTED, _ON_HOLD)
    if not (found := _candidates(tiers, shown)):
        # A call may have come in since the last poll: read the phone now.
        found = _candidates(tiers, await read())
    if not found:
        raise _refusal("no_call", **target.placeholders, operation=operation.value)
    if len(found) > 1:
        raise _refusal(
            "line_ambiguous" if _takes_line(target) else "line_ambiguous_no_choice",
            **target.placeholders,
            operation=operation.value,
            lines=", ".join(map(str, found)),
        )
    return found[0] if _takes_line(target) else None


def _music(target: _Target) -> GscMusic:
    """Return the music of a GSC speaker; refuse other phones."""
    if (music := target.runtime.music) is None:
        raise _refusal("music_unsupported", **target.placeholders)
    return music


async def _async_prepare(
    call: ServiceCall,
    targets: Iterable[_Target],
    prepare: _Prepare,
) -> list[tuple[_Target, _Send]]:
    """Check an action for every phone before anything is sent to any of them."""
    commands = []
    for target in targets:
        async with translate_cti_errors(call.hass, target.entry):
            commands.append((target, await prepare(target)))
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
        entry = target.entry
        if refresh and entry.state is ConfigEntryState.LOADED:
            # The next poll is up to a few seconds away: read the phone now,
            # with the coordinator of the entry as it is (it may have reloaded).
            await entry.runtime_data.coordinator.async_refresh()
        return None

    results = await asyncio.gather(
        *(send(target, command) for target, command in commands)
    )
    failed = [
        (target.name, err)
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
            "errors": " ".join(f"{err}." for _, err in failed),
        },
    )


def _number(target: _Target, number: str) -> str:
    """Return the number to dial: a speed dial's, or the number as typed."""
    speed_dials = get_speed_dials(target.entry)
    # A speed dial's name wins over a number spelled the same.
    if speed_dial := find_speed_dial(speed_dials, number):
        return speed_dial.number
    if any(character.isalpha() for character in number):
        # Letters are no number: the user meant a speed dial.
        raise _refusal(
            "unknown_speed_dial",
            **target.placeholders,
            value=_shown(number.strip()),
            speed_dials=", ".join(sd.name for sd in speed_dials) or "-",
        )
    return number


async def _async_dial(call: ServiceCall) -> None:
    """Call a number, or a speed dial by its name."""
    fields = _Input(call, ATTR_NUMBER, ATTR_HANDSET)
    devices = fields.devices()
    number = fields.text(ATTR_NUMBER)
    requested = fields.whole_number(ATTR_HANDSET)

    async def prepare(target: _Target) -> _Send:
        handset = _handset(target, requested)
        cleaned = target.client.validate_number(_number(target, number))
        return partial(target.client.dial, cleaned, handset=handset)

    commands = await _async_prepare(call, _async_targets(call, devices), prepare)
    await _async_send(call.hass, commands, refresh=True)


def _keys(value: object) -> list[str]:
    """Return the key names of the keys field, a list or a colon-separated text."""
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise _refusal("keys_missing")
    # Each item may itself be a colon-separated sequence, as the guides write it.
    keys = [key.strip() for item in items for key in item.split(":")]
    if not any(keys):
        raise _refusal("keys_missing")
    if len(keys) > KEYS_MAX:
        raise _refusal("keys_too_many", count=str(len(keys)), max=str(KEYS_MAX))
    return keys


async def _async_send_keys(call: ServiceCall) -> None:
    """Press keys on the phones."""
    fields = _Input(call, ATTR_KEYS, ATTR_HANDSET)
    devices = fields.devices()
    keys = _keys(call.data.get(ATTR_KEYS))
    requested = fields.whole_number(ATTR_HANDSET)

    async def prepare(target: _Target) -> _Send:
        if not target.client.profile.supports(Function.SEND_KEY):
            raise _refusal("keys_unsupported", **target.placeholders)
        handset = _handset(target, requested)
        if long := next((key for key in keys if len(key) > _KEY_NAME_MAX), None):
            raise _invalid(
                target, ATTR_KEYS, "unknown_key", long, key=_shown(long[:_KEY_NAME_MAX])
            )
        names = target.client.normalize_keys(keys)
        return partial(target.client.send_key, names, handset=handset)

    commands = await _async_prepare(call, _async_targets(call, devices), prepare)
    await _async_send(call.hass, commands, refresh=True)


async def _async_call_operation(call: ServiceCall) -> None:
    """Accept, reject, end, hold, resume, cancel, mute or switch the speaker."""
    fields = _Input(call, ATTR_OPERATION, ATTR_LINE, ATTR_HANDSET)
    devices = fields.devices()
    operation = fields.choice(ATTR_OPERATION, CallOperation)
    requested = fields.whole_number(ATTR_HANDSET)
    line = fields.whole_number(ATTR_LINE)

    async def prepare(target: _Target) -> _Send:
        if operation not in target.client.profile.operations:
            raise _refusal(
                "operation_unsupported",
                **target.placeholders,
                operation=operation.value,
            )
        handset = _handset(target, requested)
        chosen = line
        if chosen is not None:
            _check_line(target, chosen)
        else:
            chosen = await _async_pick_line(target, operation, handset)
        return partial(
            _async_operate, call.hass, target, operation, handset=handset, line=chosen
        )

    commands = await _async_prepare(call, _async_targets(call, devices), prepare)
    await _async_send(call.hass, commands, refresh=True)


async def _async_operate(
    hass: HomeAssistant,
    target: _Target,
    operation: CallOperation,
    *,
    handset: int | None,
    line: int | None,
) -> None:
    """Send a call operation; tell the call mute switch of a mute toggle."""
    await target.client.call_operation(operation, handset=handset, line=line)
    if operation is CallOperation.MUTE:
        async_dispatcher_send(hass, mute_toggled_signal(target.entry), handset)


async def _async_set_dnd(call: ServiceCall) -> None:
    """Switch do-not-disturb on or off."""
    fields = _Input(call, ATTR_ENABLED, ATTR_HANDSET)
    devices = fields.devices()
    if ATTR_ENABLED not in call.data:
        raise _refusal("field_missing", field=ATTR_ENABLED)
    enabled = fields.boolean(ATTR_ENABLED)
    requested = fields.whole_number(ATTR_HANDSET)

    async def prepare(target: _Target) -> _Send:
        route = target.client.profile.dnd
        if route is DndRoute.NONE:
            raise _refusal("dnd_unsupported", **target.placeholders)
        handset = _handset(target, requested)
        coordinator = target.coordinator
        # Only pushed DND events tell the state; no status function has it.
        current = coordinator.data.dnd
        if route is DndRoute.TOGGLE_KEY and current is None:
            raise _refusal("dnd_state_unknown", **target.placeholders)

        async def send() -> None:
            if route is DndRoute.TOGGLE_KEY:
                # Under the phone's DND lock, and unknown until its DND event.
                await coordinator.async_set_dnd(enabled)
            else:
                await target.client.set_dnd(enabled, handset=handset)

        return send

    commands = await _async_prepare(call, _async_targets(call, devices), prepare)
    await _async_send(call.hass, commands, refresh=True)


async def _async_reboot(call: ServiceCall) -> None:
    """Reboot the phones."""
    devices = _Input(call).devices()

    async def prepare(target: _Target) -> _Send:
        return target.client.reboot

    targets = _async_targets(call, devices, handsets=False)
    # No refresh: the phone is going off the network.
    await _async_send(
        call.hass, await _async_prepare(call, targets, prepare), refresh=False
    )


async def _async_factory_reset(call: ServiceCall) -> None:
    """Erase every setting of the phones."""
    fields = _Input(call, ATTR_CONFIRM)
    devices = fields.devices()
    confirmed = fields.boolean(ATTR_CONFIRM)
    targets = _async_targets(call, devices, handsets=False)
    if not confirmed:
        raise _refusal(
            "confirm_required", names=", ".join(target.name for target in targets)
        )

    async def prepare(target: _Target) -> _Send:
        return target.client.factory_reset

    await _async_send(
        call.hass, await _async_prepare(call, targets, prepare), refresh=False
    )


async def _async_list_music(call: ServiceCall) -> ServiceResponse:
    """Return the music files of a GSC speaker, read afresh."""
    devices = _Input(call).devices(single=True)
    [target] = _async_targets(call, devices, handsets=False)
    music = _music(target)
    async with translate_cti_errors(call.hass, target.entry):
        files = await music.async_refresh()
    return {"files": [{"name": file.name, "path": file.path} for file in files]}


async def _async_play_music(call: ServiceCall) -> None:
    """Play a music file the speakers listed."""
    fields = _Input(call, ATTR_FILE, ATTR_LOOP)
    devices = fields.devices()
    wanted = fields.text(ATTR_FILE)
    loop = fields.boolean(ATTR_LOOP)

    async def prepare(target: _Target) -> _Send:
        music = _music(target)
        refuse_in_night_mode(music, target.placeholders)
        if (file := music.find(wanted)) is None:
            raise _refusal(
                "unknown_music_file",
                **target.placeholders,
                file=_shown(wanted),
                files=", ".join(file.name for file in music.files) or "-",
            )
        return partial(music.async_play, file, loop=loop)

    targets = _async_targets(call, devices, handsets=False)
    commands = await _async_prepare(call, targets, prepare)
    await _async_send(call.hass, commands, refresh=False)


async def _async_stop_music(call: ServiceCall) -> None:
    """Stop the music of the speakers."""
    devices = _Input(call).devices()

    async def prepare(target: _Target) -> _Send:
        return _music(target).async_stop

    targets = _async_targets(call, devices, handsets=False)
    commands = await _async_prepare(call, targets, prepare)
    await _async_send(call.hass, commands, refresh=False)


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    for name, handler in (
        (SERVICE_DIAL, _async_dial),
        (SERVICE_SEND_KEYS, _async_send_keys),
        (SERVICE_CALL_OPERATION, _async_call_operation),
        (SERVICE_SET_DND, _async_set_dnd),
        (SERVICE_PLAY_MUSIC, _async_play_music),
        (SERVICE_STOP_MUSIC, _async_stop_music),
    ):
        hass.services.async_register(DOMAIN, name, handler, schema=_ANY)
    hass.services.async_register(
        DOMAIN,
        SERVICE_LIST_MUSIC,
        _async_list_music,
        schema=_ANY,
        supports_response=SupportsResponse.ONLY,
    )
    service.async_register_admin_service(
        hass, DOMAIN, SERVICE_REBOOT, _async_reboot, schema=_ANY
    )
    service.async_register_admin_service(
        hass, DOMAIN, SERVICE_FACTORY_RESET, _async_factory_reset, schema=_ANY
    )
