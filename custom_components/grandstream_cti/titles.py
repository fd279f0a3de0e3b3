"""Entry titles: what the phone is and where, to tell phones of one model apart."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST

from .const import CONF_FAMILY, CONF_MODEL
from .cti import PROFILES, Family


def phone_name(model: str | None, family: Family) -> str:
    """Return what a phone is: its model, or its family when it does not say."""
    return model or f"Grandstream {PROFILES[family].title}"


def default_device_name(model: str | None, family: Family) -> str:
    """Return a phone device's name: its model, else its family ("GRP").

    Entity ids are made from it: the family's name keeps them as short as a
    model's (`sensor.grp_line_1`); the device's model field tells the rest.
    """
    return model or family.name


def entry_title(model: str | None, family: Family, host: str) -> str:
    """Return an entry's title, such as "GXP2170 (192.168.1.20)"."""
    return f"{phone_name(model, family)} ({host})"


def default_title(data: Mapping[str, Any]) -> str:
    """Return the title an entry with this data has until the user renames it."""
    return entry_title(data.get(CONF_MODEL), Family(data[CONF_FAMILY]), data[CONF_HOST])


def retitled(entry: ConfigEntry, data: Mapping[str, Any]) -> str:
    """Return an entry's title for new data: the automatic title follows it."""
    return (
        default_title(data) if entry.title == default_title(entry.data) else entry.title
    )
