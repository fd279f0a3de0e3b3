"""Sensors for Grandstream phones: phone, line, caller and handset state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import GrandstreamCtiConfigEntry, PhoneData
from .cti import LINE_STATES, PHONE_STATES, Function, LineStatus
from .entity import GrandstreamCtiEntity

PARALLEL_UPDATES = 0

# Lines beyond these are rarely used; their sensors start disabled.
ENABLED_LINES = 2
# What a DECT handset is doing, told from its lines.
HANDSET_STATES = ("idle", "ringing", "busy")


@dataclass(frozen=True, kw_only=True)
class GrandstreamSensorDescription(SensorEntityDescription):
    """Describe a Grandstream sensor."""

    value_fn: Callable[[PhoneData], str | None]
    attributes_fn: Callable[[PhoneData], dict[str, Any]] | None = None
    handset: int | None = None


def _remote(line: LineStatus | None) -> dict[str, Any]:
    """Return the far end of a call as state attributes."""
    return {
        "remote_name": (line.remote_name or None) if line else None,
        "remote_number": (line.remote_number or None) if line else None,
    }


def _line_description(number: int) -> GrandstreamSensorDescription:
    """Describe the sensor of one line of a desk phone."""

    def attributes(data: PhoneData) -> dict[str, Any]:
        line = data.line(number)
        return {**_remote(line), "account": line.account if line else None}

    return GrandstreamSensorDescription(
        key=f"line_{number}",
        translation_key="line",
        translation_placeholders={"line": str(number)},
        device_class=SensorDeviceClass.ENUM,
        options=list(LINE_STATES),
        entity_registry_enabled_default=number <= ENABLED_LINES,
        value_fn=lambda data: line.state if (line := data.line(number)) else None,
        attributes_fn=attributes,
    )


def _handset_status_description(handset: int) -> GrandstreamSensorDescription:
    """Describe the status sensor of a DECT handset."""
    return GrandstreamSensorDescription(
        key=f"handset_{handset}_status",
        translation_key="handset_status",
        handset=handset,
        device_class=SensorDeviceClass.ENUM,
        options=list(HANDSET_STATES),
        value_fn=lambda data: data.handset_state(handset),
    )


def _handset_line_description(
    handset: int, number: int
) -> GrandstreamSensorDescription:
    """Describe the sensor of one line of a DECT handset."""
    return GrandstreamSensorDescription(
        key=f"handset_{handset}_line_{number}",
        translation_key="line",
        translation_placeholders={"line": str(number)},
        handset=handset,
        device_class=SensorDeviceClass.ENUM,
        options=list(LINE_STATES),
        entity_registry_enabled_default=number <= ENABLED_LINES,
        value_fn=lambda data: (
            line.state if (line := data.handset_line(handset, number)) else None
        ),
    )


PHONE_STATUS = GrandstreamSensorDescription(
    key="phone_status",
    translation_key="phone_status",
    device_class=SensorDeviceClass.ENUM,
    options=list(PHONE_STATES),
    value_fn=lambda data: data.phone_state or None,
)
CALLER = GrandstreamSensorDescription(
    key="caller",
    translation_key="caller",
    value_fn=lambda data: caller.remote_number if (caller := data.caller) else None,
    attributes_fn=lambda data: _remote(data.caller),
)


def describe(entry: GrandstreamCtiConfigEntry) -> list[GrandstreamSensorDescription]:
    """Return the sensors the phone has, from its family and its first poll."""
    coordinator = entry.runtime_data.coordinator
    profile = coordinator.profile
    data = coordinator.data
    descriptions = [PHONE_STATUS]
    if profile.supports(Function.GET_LINE_STATUS):
        descriptions.append(CALLER)
        descriptions.extend(_line_description(line.line) for line in data.lines)
    descriptions.extend(
        _handset_status_description(hs.handset) for hs in data.handsets if hs.paired
    )
    descriptions.extend(
        _handset_line_description(line.handset, line.line)
        for line in data.handset_lines
    )
    return descriptions


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the phone's sensors."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        GrandstreamSensor(coordinator, description, handset=description.handset)
        for description in describe(entry)
    )


class GrandstreamSensor(GrandstreamCtiEntity, SensorEntity):
    """A sensor of a Grandstream phone."""

    entity_description: GrandstreamSensorDescription

    @property
    @override
    def native_value(self) -> str | None:
        """Return the state from the last poll or push."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def options(self) -> list[str] | None:
        """Return the known states, plus a state new firmware just reported."""
        options = self.entity_description.options
        value = self.native_value
        if options is not None and value is not None and value not in options:
            # Unknown states are shown as they come rather than dropped.
            return [*options, value]
        return options

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the far end of the call and the line's account."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self.coordinator.data)
