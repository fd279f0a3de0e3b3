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
from .entity import GrandstreamCtiBaseEntity, GrandstreamCtiEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class GrandstreamBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a Grandstream binary sensor."""

    value_fn: Callable[[PhoneData], bool | None]


@dataclass(frozen=True, kw_only=True)
class GrandstreamSetupBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a binary sensor of an account or a DECT handset."""

    value_fn: Callable[[SetupData], bool | None]
    attributes_fn: Callable[[SetupData], dict[str, Any]] | None = None
    handset: int | None = None


PHONE_SENSORS: tuple[GrandstreamBinarySensorDescription, ...] = (
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


def _account_description(account: int) -> GrandstreamSetupBinarySensorDescription:
    """Describe the registration of one SIP account (GRP or DP)."""

    def registered(data: SetupData) -> bool | None:
        for item in data.accounts:
            if item.id == account:
                return item.registered
        return next(
            (s.registered for s in data.account_status if s.account == account), None
        )

    def attributes(data: SetupData) -> dict[str, Any]:
        item = next((item for item in data.accounts if item.id == account), None)
        return {"account_name": item.name or None} if item else {}

    return GrandstreamSetupBinarySensorDescription(
        key=f"account_{account}_registered",
        translation_key="account_registered",
        translation_placeholders={"account": str(account)},
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=registered,
        attributes_fn=attributes,
    )


def _handset_description(handset: int) -> GrandstreamSetupBinarySensorDescription:
    """Describe whether a DECT handset is paired with the base."""
    return GrandstreamSetupBinarySensorDescription(
        key=f"handset_{handset}_subscribed",
        translation_key="handset_subscribed",
        entity_category=EntityCategory.DIAGNOSTIC,
        handset=handset,
        value_fn=lambda data: hs.paired if (hs := data.handset(handset)) else None,
    )


def describe(
    entry: GrandstreamCtiConfigEntry,
) -> list[GrandstreamSetupBinarySensorDescription]:
    """Return the account and handset binary sensors the phone has."""
    data = entry.runtime_data.setup.data
    # Phones list every account slot: only configured ones matter, and an
    # account's entity turns off when it unregisters (it is no layout change).
    descriptions = [
        _account_description(item.id) for item in data.accounts if item.sip_id
    ]
    descriptions.extend(
        _account_description(status.account)
        for status in data.account_status
        if status.configured
    )
    descriptions.extend(
        _handset_description(hs.handset) for hs in data.handsets if hs.paired
    )
    return descriptions


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the phone's binary sensors."""
    coordinator = entry.runtime_data.coordinator
    async_add_entities(
        GrandstreamBinarySensor(coordinator, description)
        for description in PHONE_SENSORS
    )
    setup = entry.runtime_data.setup
    async_add_entities(
        GrandstreamSetupBinarySensor(setup, description, handset=description.handset)
        for description in describe(entry)
    )


class GrandstreamBinarySensor(GrandstreamCtiEntity, BinarySensorEntity):
    """A binary sensor of a Grandstream phone."""

    entity_description: GrandstreamBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state from the last poll or push."""
        return self.entity_description.value_fn(self.coordinator.data)


class GrandstreamSetupBinarySensor(
    GrandstreamCtiBaseEntity[GrandstreamSetupCoordinator], BinarySensorEntity
):
    """A binary sensor of an account or a DECT handset."""

    entity_description: GrandstreamSetupBinarySensorDescription

    @property
    @override
    def is_on(self) -> bool | None:
        """Return the state from the last read."""
        return self.entity_description.value_fn(self.coordinator.data)

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return extra details, such as the account's name."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self.coordinator.data) or None
