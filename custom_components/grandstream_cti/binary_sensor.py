"""Binary sensors for Grandstream phones: ringing, in call, registration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, override

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import (
    GrandstreamCtiConfigEntry,
    GrandstreamSetupCoordinator,
    PhoneData,
    SetupData,
)
from .entity import (
    GrandstreamCtiBaseEntity,
    GrandstreamCtiEntity,
    GrandstreamHandsetBaseEntity,
    phone_layout,
)

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class GrandstreamBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a binary sensor of a phone."""

    value_fn: Callable[[PhoneData], bool | None]


@dataclass(frozen=True, kw_only=True)
class GrandstreamSetupBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a binary sensor of a SIP account or a DECT handset, by its number."""

    value_fn: Callable[[SetupData, int], bool | None]
    attributes_fn: Callable[[SetupData, int], dict[str, Any]] = lambda _, __: {}


def _registered(data: SetupData, account: int) -> bool | None:
    """Return whether a SIP account is registered (GRP, DP)."""
    for item in data.accounts:
        if item.id == account:
            return item.registered
    return next(
        (s.registered for s in data.account_status if s.account == account), None
    )


def _account_name(data: SetupData, account: int) -> dict[str, Any]:
    """Return the name the phone gives a SIP account (GRP) as an attribute."""
    item = next((item for item in data.accounts if item.id == account), None)
    return {"account_name": item.name or None} if item else {}


BINARY_SENSORS: tuple[GrandstreamBinarySensorDescription, ...] = (
    GrandstreamBinarySensorDescription(
        key="ringing",
        translation_key="ringing",
        value_fn=lambda data: data.ringing,
    ),
    GrandstreamBinarySensorDescription(
        key="in_call",
        translation_key="in_call",
        value_fn=lambda data: data.in_call,
    ),
)
ACCOUNT_BINARY_SENSORS: tuple[GrandstreamSetupBinarySensorDescription, ...] = (
    GrandstreamSetupBinarySensorDescription(
        key="registered",
        translation_key="account_registered",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=_registered,
        # The name the user gave the account on the phone tells which one
        # this is; it is a label, not a state of its own.
        attributes_fn=_account_name,
    ),
)
HANDSET_BINARY_SENSORS: tuple[GrandstreamSetupBinarySensorDescription, ...] = (
    GrandstreamSetupBinarySensorDescription(
        # The key keeps the unique ids of existing entities.
        key="subscribed",
        translation_key="handset_paired",
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda data, handset: (
            status.paired if (status := data.handset(handset)) else None
        ),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the binary sensors of the phone, its accounts and its DECT handsets."""
    coordinator = entry.runtime_data.coordinator
    setup = entry.runtime_data.setup
    layout = phone_layout(entry)
    entities: list[BinarySensorEntity] = [
        GrandstreamBinarySensor(coordinator, description)
        for description in BINARY_SENSORS
    ]
    entities.extend(
        GrandstreamAccountBinarySensor(setup, account, description)
        for account in layout.accounts
        for description in ACCOUNT_BINARY_SENSORS
    )
    entities.extend(
        GrandstreamHandsetBinarySensor(setup, handset, description)
        for handset in layout.handsets
        for description in HANDSET_BINARY_SENSORS
    )
    async_add_entities(entities)


class GrandstreamBinarySensor(GrandstreamCtiEntity, BinarySensorEntity):
    """A binary sensor of a Grandstream phone."""

    entity_description: GrandstreamBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state from the last poll or push."""
        return self.entity_description.value_fn(self.coordinator.data)


class GrandstreamAccountBinarySensor(
    GrandstreamCtiBaseEntity[GrandstreamSetupCoordinator], BinarySensorEntity
):
    """A binary sensor of a SIP account, on the phone's device."""

    entity_description: GrandstreamSetupBinarySensorDescription

    def __init__(
        self,
        coordinator: GrandstreamSetupCoordinator,
        account: int,
        description: GrandstreamSetupBinarySensorDescription,
    ) -> None:
        """Attach the sensor to the phone and the account."""
        super().__init__(coordinator, description)
        self.account = account
        entry_id = coordinator.config_entry.entry_id
        self._attr_unique_id = f"{entry_id}_account_{account}_{description.key}"
        self._attr_translation_placeholders = {"account": str(account)}

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state from the last read."""
        return self.entity_description.value_fn(self.coordinator.data, self.account)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return the account's name."""
        return (
            self.entity_description.attributes_fn(self.coordinator.data, self.account)
            or None
        )


class GrandstreamHandsetBinarySensor(
    GrandstreamHandsetBaseEntity[GrandstreamSetupCoordinator], BinarySensorEntity
):
    """A binary sensor of a DECT handset."""

    entity_description: GrandstreamSetupBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state from the last read."""
        return self.entity_description.value_fn(self.coordinator.data, self.handset)
