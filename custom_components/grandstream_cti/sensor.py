"""Sensors for Grandstream phones: phone, line, caller and handset state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, override

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import LOGGER
from .coordinator import GrandstreamCtiConfigEntry, GrandstreamCtiCoordinator, PhoneData
from .cti import (
    FamilyProfile,
    Function,
    HandsetLineStatus,
    LineState,
    LineStatus,
    PhoneState,
)
from .entity import GrandstreamCtiEntity, GrandstreamHandsetEntity, phone_layout

PARALLEL_UPDATES = 0

# Lines beyond these are rarely used; their sensors start disabled.
ENABLED_LINES = 2


class HandsetState(StrEnum):
    """What a DECT handset is doing, told from its lines' states."""

    IDLE = "idle"
    RINGING = "ringing"
    BUSY = "busy"


@dataclass(frozen=True, kw_only=True)
class GrandstreamSensorDescription(SensorEntityDescription):
    """Describe a sensor of a phone."""

    # Raises ValueError for a state the sensor's enum does not know.
    value_fn: Callable[[PhoneData], str | None]
    attributes_fn: Callable[[PhoneData], dict[str, Any]] | None = None
    supported_fn: Callable[[FamilyProfile], bool] = lambda _: True


@dataclass(frozen=True, kw_only=True)
class GrandstreamHandsetSensorDescription(SensorEntityDescription):
    """Describe a sensor of a DECT handset."""

    value_fn: Callable[[PhoneData, int], str | None]


@dataclass(frozen=True, kw_only=True)
class GrandstreamLineSensorDescription(SensorEntityDescription):
    """Describe the sensor of a line, of a desk phone or of a DECT handset."""

    # Raises ValueError for a state the sensor's enum does not know.
    value_fn: Callable[[LineStatus | HandsetLineStatus], str]
    attributes_fn: Callable[[LineStatus | None], dict[str, Any]] | None = None


def _options(states: type[StrEnum]) -> list[str]:
    """Return an enum sensor's options: every state it can show."""
    return [state.value for state in states]


def _remote(line: LineStatus | None) -> dict[str, Any]:
    """Return the far end of a call as state attributes."""
    return {
        "remote_name": (line.remote_name or None) if line else None,
        "remote_number": (line.remote_number or None) if line else None,
    }


SENSORS: tuple[GrandstreamSensorDescription, ...] = (
    GrandstreamSensorDescription(
        key="phone_status",
        translation_key="phone_status",
        device_class=SensorDeviceClass.ENUM,
        options=_options(PhoneState),
        value_fn=lambda data: (
            PhoneState(state) if (state := data.phone_state) else None
        ),
    ),
    GrandstreamSensorDescription(
        key="caller",
        translation_key="caller",
        value_fn=lambda data: caller.remote_number if (caller := data.caller) else None,
        # The caller's name goes with the number the state shows: as a sensor
        # of its own it could show one caller's name with another's number.
        attributes_fn=lambda data: _remote(data.caller),
        # Only the lines tell who calls.
        supported_fn=lambda profile: profile.supports(Function.GET_LINE_STATUS),
    ),
)
HANDSET_SENSORS: tuple[GrandstreamHandsetSensorDescription, ...] = (
    GrandstreamHandsetSensorDescription(
        key="status",
        translation_key="handset_status",
        device_class=SensorDeviceClass.ENUM,
        options=_options(HandsetState),
        value_fn=lambda data, handset: (
            HandsetState(state) if (state := data.handset_state(handset)) else None
        ),
    ),
)
LINE = GrandstreamLineSensorDescription(
    key="line",
    translation_key="line",
    device_class=SensorDeviceClass.ENUM,
    options=_options(LineState),
    value_fn=lambda line: LineState(line.state),
    # Who is on the line, and through which account, describe its state:
    # as sensors of their own they would be three more per line.
    attributes_fn=lambda line: {
        **_remote(line),
        "account": line.account if line else None,
    },
)
# Handsets report no far end: their lines have a state only.
HANDSET_LINE = replace(LINE, attributes_fn=None)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the sensors of the phone, its lines and its DECT handsets."""
    coordinator = entry.runtime_data.coordinator
    layout = phone_layout(entry)
    entities: list[SensorEntity] = [
        GrandstreamSensor(coordinator, description)
        for description in SENSORS
        if description.supported_fn(coordinator.profile)
    ]
    entities.extend(
        GrandstreamLineSensor(coordinator, line, LINE) for line in layout.lines
    )
    entities.extend(
        GrandstreamHandsetSensor(coordinator, handset, description)
        for handset in layout.handsets
        for description in HANDSET_SENSORS
    )
    entities.extend(
        GrandstreamHandsetLineSensor(coordinator, handset, line, HANDSET_LINE)
        for handset, line in layout.handset_lines
    )
    async_add_entities(entities)


class GrandstreamKnownStateSensor(SensorEntity):
    """Show the state of the last poll or push; unknown where no option names it."""

    _unknown_logged = False

    def _read(self) -> str | None:
        """Return the state as the description reads it from the last data."""
        raise NotImplementedError

    @property
    @override
    def native_value(self) -> str | None:
        """Return the state, or None for a state no option names."""
        try:
            return self._read()
        except ValueError as err:
            # New firmware may add states: they read as unknown, not as
            # errors, and the log tells which word came, once.
            if not self._unknown_logged:
                self._unknown_logged = True
                LOGGER.debug("%s shows unknown: %.100s", self.entity_id, err)
            return None


class GrandstreamSensor(GrandstreamCtiEntity, GrandstreamKnownStateSensor):
    """A sensor of a Grandstream phone."""

    entity_description: GrandstreamSensorDescription

    @override
    def _read(self) -> str | None:
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return what the description adds to the state."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self.coordinator.data)


class GrandstreamHandsetSensor(GrandstreamHandsetEntity, GrandstreamKnownStateSensor):
    """A sensor of a DECT handset."""

    entity_description: GrandstreamHandsetSensorDescription

    @override
    def _read(self) -> str | None:
        return self.entity_description.value_fn(self.coordinator.data, self.handset)


class GrandstreamLineSensorBase(GrandstreamKnownStateSensor):
    """The state of one line, of a desk phone or of a DECT handset."""

    entity_description: GrandstreamLineSensorDescription
    line: int

    def _attach_line(self, line: int) -> None:
        """Give the sensor its line: in its unique id and its name."""
        self.line = line
        self._attr_unique_id = f"{self.unique_id}_{line}"
        self._attr_translation_placeholders = {"line": str(line)}
        self._attr_entity_registry_enabled_default = line <= ENABLED_LINES

    @property
    def _line(self) -> LineStatus | HandsetLineStatus | None:
        """Return the line as last read."""
        raise NotImplementedError

    @override
    def _read(self) -> str | None:
        line = self._line
        return self.entity_description.value_fn(line) if line else None


class GrandstreamLineSensor(GrandstreamCtiEntity, GrandstreamLineSensorBase):
    """The state of one line of a desk phone."""

    def __init__(
        self,
        coordinator: GrandstreamCtiCoordinator,
        line: int,
        description: GrandstreamLineSensorDescription,
    ) -> None:
        """Attach the sensor to the phone and its line."""
        super().__init__(coordinator, description)
        self._attach_line(line)

    @property
    @override
    def _line(self) -> LineStatus | None:
        """Return the line as last read."""
        return self.coordinator.data.line(self.line)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return who is on the line."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self._line)


class GrandstreamHandsetLineSensor(GrandstreamHandsetEntity, GrandstreamLineSensorBase):
    """The state of one line of a DECT handset."""

    def __init__(
        self,
        coordinator: GrandstreamCtiCoordinator,
        handset: int,
        line: int,
        description: GrandstreamLineSensorDescription,
    ) -> None:
        """Attach the sensor to the handset and its line."""
        super().__init__(coordinator, handset, description)
        self._attach_line(line)

    @property
    @override
    def _line(self) -> HandsetLineStatus | None:
        """Return the line as last read."""
        return self.coordinator.data.handset_line(self.handset, self.line)
