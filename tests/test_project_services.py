"""Check that actions are declared, described and given icons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .project import (
    Use,
    list_problems,
    lookup,
    read_icons,
    read_services,
    read_translations,
    scan_code,
    strings,
)


def _service_entries(name: str, spec: dict[str, Any]) -> Iterator[Use]:
    """Yield the en.json entries a services.yaml service needs."""
    where = f"services.yaml: {name}"
    yield Use(("services", name, "name"), where)
    yield Use(("services", name, "description"), where)
    for field, field_spec in (spec.get("fields") or {}).items():
        if isinstance(field_spec, dict) and "fields" in field_spec:  # a section
            yield Use(("services", name, "sections", field, "name"), where)
            fields = list(field_spec["fields"] or {})
        else:
            fields = [field]
        for sub in fields:
            yield Use(("services", name, "fields", sub, "name"), where)
            yield Use(("services", name, "fields", sub, "description"), where)


def test_services_are_described() -> None:
    """Every services.yaml action and field is named and described in en.json."""
    translations = read_translations()
    problems = list_problems(
        (
            use
            for name, spec in read_services().items()
            for use in _service_entries(name, spec or {})
        ),
        translations,
    )
    assert not problems, f"translations/en.json:\n{problems}"


def test_services_target_no_device_filter() -> None:
    """Device-targeted actions use a device_id field: target device filters fail from 2026.11."""
    for name, spec in read_services().items():
        assert "device" not in (lookup(spec, "target") or {}), name


def test_registered_services_are_declared() -> None:
    """Every action registered in code is in services.yaml and icons.json."""
    services = read_services()
    icons = read_icons()
    for service in sorted(scan_code().services):
        assert service in services, f"{service} is missing from services.yaml"
        assert lookup(icons, "services", service), (
            f"{service} has no icon in icons.json"
        )


def test_icons() -> None:
    """Icons are mdi icons, every action has one, and no icon is stale."""
    icons = read_icons()
    translations = read_translations()

    for icon in strings(icons):
        assert icon.startswith("mdi:"), f"{icon!r} is not an mdi icon"
    for name in read_services():
        assert isinstance(lookup(icons, "services", name, "service"), str), (
            f"action {name} has no icons.json services.{name}.service"
        )
    for name in icons.get("services", {}):
        assert name in read_services(), f"stale icon: services.{name}"
    for platform, keys in icons.get("entity", {}).items():
        for key in keys:
            assert lookup(translations, "entity", platform, key) is not None, (
                f"stale icon: entity.{platform}.{key} is not in en.json"
            )
