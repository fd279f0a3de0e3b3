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

from .coordinator import GrandstreamCtiConfigEntry, PhoneData
from .entity import GrandstreamCtiEntity

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class GrandstreamBinarySensorDescription(BinarySensorEntityDescription):
    """Describe a Grandstream binary sensor."""

    value_fn: Callable[[PhoneData], bool | None]
    attributes_fn: Callable[[PhoneData], dict[str, Any]] | None = None
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


def _account_description(account: int) -> GrandstreamBinarySensorDescription:
    """Describe the registration of one SIP account (GRP or DP)."""

    def registered(data: PhoneData) -> bool | None:
        for item in data.accounts:
            if item.id == account:
                return item.registered
        return next(
            (s.registered for s in data.account_status if s.account == account), None
        )

    def attributes(data: PhoneData) -> dict[str, Any]:
        item = next((item for item in data.accounts if item.id == account), None)
        return {"account_name": item.name or None} if item else {}

    return GrandstreamBinarySensorDescription(
        key=f"account_{account}_registered",
        translation_key="account_registered",
        translation_placeholders={"account": str(account)},
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=registered,
        attributes_fn=attributes,
    )


def _handset_description(handset: int) -> GrandstreamBinarySensorDescription:
    """Describe whether a DECT handset is paired with the base."""
    return GrandstreamBinarySensorDescription(
        key=f"handset_{handset}_subscribed",
        translation_key="handset_subscribed",
        entity_category=EntityCategory.DIAGNOSTIC,
        handset=handset,
        value_fn=lambda data: hs.paired if (hs := data.handset(handset)) else None,
    )


def describe(
    entry: GrandstreamCtiConfigEntry,
) -> list[GrandstreamBinarySensorDescription]:
    """Return the binary sensors the phone has, from its first poll."""
    data = entry.runtime_data.coordinator.data
    descriptions = list(PHONE_SENSORS)
    # Phones report every account slot: only configured ones matter.
    descriptions.extend(
        _account_description(item.id) for item in data.accounts if item.sip_id
    )
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
        GrandstreamBinarySensor(coordinator, description, handset=description.handset)
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

    @property
    @override
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return extra details, such as the account's name."""
        if (attributes_fn := self.entity_description.attributes_fn) is None:
            return None
        return attributes_fn(self.coordinator.data) or None
