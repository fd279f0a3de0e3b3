"""Check that the development instance has every package Home Assistant loads in it.

scripts/develop runs Home Assistant with --skip-pip, so an integration whose
requirement is missing fails to load, and the frontend's action list with it
(`No module named 'turbojpeg'`). This test resolves, with Home Assistant's own
loader, every integration that config/configuration.yaml, the default
integrations and this integration's entries set up, and checks that each of
their requirements is either installed by the test toolchain
(requirements_test.txt) or pinned in requirements_dev.txt, at the version Home
Assistant 2026.10.4's package_constraints.txt pins.
"""

from __future__ import annotations

import ast
from importlib import metadata
from pathlib import Path
import re
from typing import Any

from homeassistant import bootstrap, loader
from homeassistant.core import HomeAssistant
import homeassistant.helpers.config_validation as cv
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
import pytest
import yaml

from custom_components.grandstream_cti.const import DOMAIN

ROOT = Path(__file__).parent.parent
CONSTRAINTS = Path(bootstrap.__file__).parent / "package_constraints.txt"
# Packages pinned at another version than Home Assistant's, and why: PyPI has
# Home Assistant's versions only as sources that need a C++ compiler.
SUBSTITUTES = {
    "pymicro-vad": "2.1.0 has the same API as 1.0.1, as an abi3 wheel",
    "pyspeex-noise": "2.0.1 has the same API as 1.0.2, as an abi3 wheel",
}


class _AnyTagLoader(yaml.SafeLoader):
    """Read configuration.yaml without resolving !include and friends."""


_AnyTagLoader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)


def _pins(path: Path, *, exact: bool = True) -> dict[str, str]:
    """Return the NAME==VERSION pins of a requirements file, by canonical name.

    With `exact`, every line must be such a pin; else other lines are skipped.
    """
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line := line.split("#", 1)[0].strip():
            requirement = Requirement(line)
            specifiers = list(requirement.specifier)
            if len(specifiers) == 1 and specifiers[0].operator == "==":
                pins[canonicalize_name(requirement.name)] = specifiers[0].version
            else:
                assert not exact, f"{path.name}: pin {line!r} exactly"
    return pins


def _toolchain() -> set[str]:
    """Return the packages requirements_test.txt installs, dependencies included."""
    seen: set[str] = set()
    pending = list(_pins(ROOT / "requirements_test.txt"))
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for line in requires:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonicalize_name(requirement.name))
    return seen


async def _loaded_integrations(hass: HomeAssistant) -> dict[str, loader.Integration]:
    """Return what Home Assistant sets up with the development configuration."""
    config: dict[str, Any] = yaml.load(  # noqa: S506 - a SafeLoader subclass
        (ROOT / "config" / "configuration.yaml").read_text(encoding="utf-8"),
        Loader=_AnyTagLoader,
    )
    # As bootstrap._get_domains does, with the phones' config entries.
    domains = {cv.domain_key(key) for key in config}
    domains |= bootstrap.CORE_INTEGRATIONS | bootstrap.DEFAULT_INTEGRATIONS
    domains.add(DOMAIN)
    found = await loader.async_get_integrations(hass, domains)
    integrations = {
        domain: found_integration
        for domain, found_integration in found.items()
        if isinstance(found_integration, loader.Integration)
    }
    assert integrations.keys() == domains
    dependencies = await loader.resolve_integrations_dependencies(
        hass, integrations.values()
    )
    assert dependencies.keys() == domains, "an integration's dependency is missing"
    # An integration also loads what its modules import at their top, as
    # camera imports stream.
    pending = set().union(
        *dependencies.values(), *map(_imported_integrations, integrations.values())
    )
    while pending:
        domain = pending.pop()
        if domain in integrations:
            continue
        integration = integrations[domain] = await loader.async_get_integration(
            hass, domain
        )
        pending |= set(integration.dependencies) | _imported_integrations(integration)
    return integrations


def _imported_integrations(integration: loader.Integration) -> set[str]:
    """Return the integrations an integration's modules import at their top."""
    imported = set()
    for module in integration.file_path.glob("*.py"):
        for node in ast.parse(module.read_bytes()).body:
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                match = re.match(r"homeassistant\.components\.(\w+)", name)
                # lovelace/cast.py is lovelace's platform for cast, which
                # Home Assistant imports only when it loads cast.
                if match and match[1] != module.stem:
                    imported.add(match[1])
    return imported - {integration.domain}


async def test_dev_requirements_cover_every_loaded_integration(
    hass: HomeAssistant,
) -> None:
    """Every requirement of what the development instance loads is installed."""
    integrations = await _loaded_integrations(hass)
    # What the issue found missing, and what must keep being resolved.
    assert {"camera", "tts", "stream", "assist_pipeline", "frontend"} <= set(
        integrations
    )
    constraints = _pins(CONSTRAINTS, exact=False)
    dev_pins = _pins(ROOT / "requirements_dev.txt")
    toolchain = _toolchain()
    missing = []
    for domain, integration in sorted(integrations.items()):
        for line in integration.requirements:
            requirement = Requirement(line)
            name = canonicalize_name(requirement.name)
            if name in toolchain:
                continue
            pinned = dev_pins.get(name)
            if pinned is None:
                missing.append(f"{line} ({domain})")
            elif name not in SUBSTITUTES:
                assert requirement.specifier.contains(pinned), (domain, line, pinned)
                assert pinned == constraints.get(name, pinned), (line, pinned)
    assert not missing, f"add to requirements_dev.txt: {', '.join(missing)}"


def test_dev_pins_are_home_assistants() -> None:
    """requirements_dev.txt pins what package_constraints.txt pins, or says why not."""
    constraints = _pins(CONSTRAINTS, exact=False)
    for name, version in _pins(ROOT / "requirements_dev.txt").items():
        if name in SUBSTITUTES:
            assert constraints[name] != version
            continue
        if name in constraints:
            assert version == constraints[name], name


@pytest.mark.parametrize(
    "script", ["develop", "setup-chromium", "phone", "screenshot.py", "onboard.py"]
)
def test_dev_scripts_exist(script: str) -> None:
    """The scripts the README's development section names are there."""
    path = ROOT / "scripts" / script
    assert path.is_file()
    if not script.endswith(".py"):
        assert path.stat().st_mode & 0o111, f"scripts/{script} is not executable"
        assert re.match(r"#!/usr/bin/env (bash|python3)\n", path.read_text())
