"""Base entities for Grandstream phones and their DECT handsets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from homeassistant.helpers.device_registry import ChildDeviceInfo, DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import (
    GrandstreamCtiBaseCoordinator,
    GrandstreamCtiConfigEntry,
    GrandstreamCtiCoordinator,
)


def handset_identifier(entry: GrandstreamCtiConfigEntry, handset: int) -> str:
    """Return the device identifier of a DECT handset."""
    return f"{entry.entry_id}_hs{handset}"


@dataclass(frozen=True, kw_only=True)
class PhoneLayout:
    """The lines, accounts and DECT handsets a phone has: what entities are made for."""

    lines: tuple[int, ...]
    # (handset, line) pairs.
    handset_lines: tuple[tuple[int, int], ...]
    accounts: tuple[int, ...]
    handsets: tuple[int, ...]


def phone_layout(entry: GrandstreamCtiConfigEntry) -> PhoneLayout:
    """Return what the last reads found: lines, configured accounts, paired handsets."""
    data = entry.runtime_data.coordinator.data
    setup = entry.runtime_data.setup.data
    # Phones list every account slot: only configured ones matter, and an
    # account's entity turns off when it unregisters (it is no layout change).
    return PhoneLayout(
        lines=tuple(line.line for line in data.lines),
        handset_lines=tuple((line.handset, line.line) for line in data.handset_lines),
        accounts=(
            *(account.id for account in setup.accounts if account.sip_id),
            *(status.account for status in setup.account_status if status.configured),
        ),
        handsets=tuple(handset.handset for handset in setup.handsets if handset.paired),
    )


class GrandstreamCtiBaseEntity[CoordinatorT: GrandstreamCtiBaseCoordinator[Any]](
    CoordinatorEntity[CoordinatorT]
):
    """An entity of a Grandstream phone, on the phone's device."""

    _attr_has_entity_name = True
    # The DECT handset the entity belongs to; None for the phone's own.
    handset: int | None = None

    def __init__(
        self, coordinator: CoordinatorT, description: EntityDescription
    ) -> None:
        """Attach the entity to the phone's device."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})


class GrandstreamHandsetBaseEntity[CoordinatorT: GrandstreamCtiBaseCoordinator[Any]](
    GrandstreamCtiBaseEntity[CoordinatorT]
):
    """An entity of a DECT handset, on the handset's device."""

    handset: int

    def __init__(
        self, coordinator: CoordinatorT, handset: int, description: EntityDescription
    ) -> None:
        """Attach the entity to the handset's device."""
        super().__init__(coordinator, description)
        entry = coordinator.config_entry
        self.handset = handset
        self._attr_unique_id = f"{entry.entry_id}_handset_{handset}_{description.key}"
        # Handsets are parts of the DECT base: child devices of its device.
        self._attr_device_info = ChildDeviceInfo(
            identifiers={(DOMAIN, handset_identifier(entry, handset))},
            parent_device_id=entry.runtime_data.device_id,
            translation_key="handset",
            translation_placeholders={"handset": str(handset)},
        )


class GrandstreamCtiEntity(GrandstreamCtiBaseEntity[GrandstreamCtiCoordinator]):
    """An entity that follows the phone's calls."""


class GrandstreamHandsetEntity(GrandstreamHandsetBaseEntity[GrandstreamCtiCoordinator]):
    """An entity that follows a DECT handset's calls."""
