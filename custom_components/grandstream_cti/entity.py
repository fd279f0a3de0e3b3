"""Base entity for Grandstream phones."""

from __future__ import annotations

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


class GrandstreamCtiBaseEntity[CoordinatorT: GrandstreamCtiBaseCoordinator[Any]](
    CoordinatorEntity[CoordinatorT]
):
    """An entity of a Grandstream phone or one of its handsets."""

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CoordinatorT,
        description: EntityDescription,
        *,
        handset: int | None = None,
    ) -> None:
        """Attach the entity to the phone's device, or to a handset's."""
        super().__init__(coordinator)
        entry = coordinator.config_entry
        self.entity_description = description
        self._attr_unique_id = f"{entry.entry_id}_{description.key}"
        if handset is None:
            self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, entry.entry_id)})
        else:
            # Handsets are parts of the DECT base: child devices of its device.
            self._attr_device_info = ChildDeviceInfo(
                identifiers={(DOMAIN, handset_identifier(entry, handset))},
                parent_device_id=entry.runtime_data.device_id,
                translation_key="handset",
                translation_placeholders={"handset": str(handset)},
            )


class GrandstreamCtiEntity(GrandstreamCtiBaseEntity[GrandstreamCtiCoordinator]):
    """An entity that follows the phone's calls."""
