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
import asyncio
from collections.abc import AsyncIterator, Iterator
from importlib import metadata
from pathlib import Path
import re
import sys
from typing import Any

import aiohttp
from homeassistant import bootstrap, loader
from homeassistant.const import CONF_WEBHOOK_ID, __version__ as HA_VERSION
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import homeassistant.helpers.config_validation as cv
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
import yaml

from custom_components.grandstream_cti.const import DOMAIN

from .conftest import PASSCODE, entry_data
from .simulator import PhoneSimulator

ROOT = Path(__file__).parent.parent
CONSTRAINTS = Path(bootstrap.__file__).parent / "package_constraints.txt"
# Packages pinned at another version than Home Assistant's, and why: PyPI has
# Home Assistant's versions only as sources that need a C++ compiler.
# scripts/develop runs the Home Assistant the harness pins, from .venv; the
# second test environment (.venv-newest) has another one, with other manifests.
PINNED_HA = next(
    Requirement(line).specifier
    for line in metadata.requires("pytest-homeassistant-custom-component") or []
    if line.startswith("homeassistant==")
)
on_the_pinned_home_assistant = pytest.mark.skipif(
    HA_VERSION not in PINNED_HA,
    reason=f"the development instance runs Home Assistant {PINNED_HA}, not {HA_VERSION}",
)
# The phones of config/dashboard.yaml.
DASHBOARD_PHONES = ("GXP2170", "GXP1628", "DP750")
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


@on_the_pinned_home_assistant
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


@on_the_pinned_home_assistant
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
    "script",
    [
        "develop",
        "setup-chromium",
        "phone",
        "screenshots",
        "screenshot.py",
        "onboard.py",
    ],
)
def test_dev_scripts_exist(script: str) -> None:
    """The scripts the README's development section names are there."""
    path = ROOT / "scripts" / script
    assert path.is_file()
    if not script.endswith(".py"):
        assert path.stat().st_mode & 0o111, f"scripts/{script} is not executable"
        assert re.match(r"#!/usr/bin/env (bash|python3)\n", path.read_text())


@pytest.fixture
async def phones(
    hass: HomeAssistant, socket_enabled: None
) -> AsyncIterator[dict[str, PhoneSimulator]]:
    """Run the dashboard's three phones, each set up as scripts/develop adds it."""
    simulators = {
        model: PhoneSimulator(model, passcode=PASSCODE, answer_delay=None)
        for model in DASHBOARD_PHONES
    }
    for simulator in simulators.values():
        simulator.control = True
        await simulator.start()
    try:
        for model, simulator in simulators.items():
            entry = MockConfigEntry(
                domain=DOMAIN, title=model, data=entry_data(simulator)
            )
            entry.add_to_hass(hass)
            assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        yield simulators
    finally:
        for simulator in simulators.values():
            await simulator.stop()


def _dashboard_yaml() -> str:
    """Return the dashboard of config/dashboard.yaml, without its comments."""
    text = (ROOT / "config" / "dashboard.yaml").read_text(encoding="utf-8")
    return "".join(line for line in text.splitlines(True) if not line.startswith("#"))


def _cards(node: Any) -> Iterator[dict[str, Any]]:
    """Yield every card and badge of a dashboard configuration, nested ones too."""
    if isinstance(node, dict):
        if "type" in node or "entity" in node:
            yield node
        for value in node.values():
            yield from _cards(value)
    elif isinstance(node, list):
        for value in node:
            yield from _cards(value)


async def test_dashboard_entities_and_buttons(
    hass: HomeAssistant, phones: dict[str, PhoneSimulator]
) -> None:
    """Every entity of the dashboard exists, and its call buttons work on each phone."""
    devices = dr.async_get(hass)
    ids = {
        device.name: device.id
        for device in devices.devices
        if any(domain == DOMAIN for domain, _ in device.identifiers)
    }
    text = _dashboard_yaml()
    for model in set(re.findall(r"DEVICE_ID_OF_(\w+)", text)):
        text = text.replace(f"DEVICE_ID_OF_{model}", ids[model])
    cards = list(_cards(yaml.safe_load(text)))

    entities = {card["entity"] for card in cards if "entity" in card}
    assert len(entities) == 15
    assert {entity for entity in entities if hass.states.get(entity) is None} == set()

    buttons = {
        (action["data"]["device_id"], action["data"]["operation"]): action
        for card in cards
        if (action := card.get("tap_action"))
    }
    assert len(buttons) == 9
    for model, simulator in phones.items():
        handset = 1 if simulator.family == "DP" else None
        simulator.incoming_call("1002", "Alice", handset=handset)
        line = simulator.line(1, handset)
        for operation, state in (
            ("accept", "connected"),
            ("hold", "onhold"),
            ("end", "idle"),
        ):
            action = buttons[ids[model], operation]
            domain, service = action["perform_action"].split(".")
            await hass.services.async_call(
                domain, service, action["data"], blocking=True
            )
            assert line.state == state, (model, operation)


def test_readme_shows_the_dashboard() -> None:
    """The README's dashboard is the one scripts/develop adds."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```yaml\n{_dashboard_yaml()}```" in readme


async def test_phone_cli_rings_answers_hangs_up_and_pushes(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """scripts/phone makes a call ring, pushed to the webhook, answered, ended."""
    client = await hass_client_no_auth()
    simulator.control = True
    webhook = str(
        client.make_url(f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}")
    )
    address = f"{simulator.host}:{simulator.port}"

    assert await _phone_cli(address, "push", webhook) == 0
    assert await _phone_cli(address, "ring", "1002", "Alice") == 0
    await simulator.wait_for_action_urls()
    await hass.async_block_till_done()
    # Pushed: Home Assistant has not polled since.
    assert hass.states.get("binary_sensor.gxp2170_ringing").state == "on"
    assert simulator.action_url_requests[-1].status == 200

    assert await _phone_cli(address, "answer") == 0
    assert simulator.line(1).state == "connected"
    assert await _phone_cli(address, "hangup") == 0
    assert simulator.line(1).state == "idle"
    # Nothing left to hang up: the CLI says so.
    assert await _phone_cli(address, "hangup") == 1
    assert await _phone_cli(address, "dnd", "on") == 0
    assert simulator.dnd is True
    assert await _phone_cli(address, "push", "off") == 0
    assert simulator.action_urls == {}
    await simulator.wait_for_action_urls()
    await hass.async_block_till_done(wait_background_tasks=True)


async def _phone_cli(*args: str) -> int:
    """Run scripts/phone and return its exit status."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        str(ROOT / "scripts" / "phone"),
        *args,
        stdout=asyncio.subprocess.DEVNULL,
    )
    return await process.wait()


async def test_control_bad_input_and_off_by_default(simulator: PhoneSimulator) -> None:
    """A real phone has no control paths; bad input is refused and changes nothing."""
    async with aiohttp.ClientSession() as session:
        url = f"{simulator.url}/simulator"
        async with session.post(f"{url}/ring", params={"number": "1"}) as response:
            assert response.status == 404
        simulator.control = True
        for command, params, status in (
            ("ring", {}, 400),
            ("ring", {"number": "1", "line": "x"}, 400),
            ("ring", {"number": "1", "handset": "1"}, 400),
            ("dnd", {"on": "yes"}, 400),
            ("reboot", {}, 404),
        ):
            async with session.post(f"{url}/{command}", params=params) as response:
                assert response.status == status, command
                assert "error" in await response.json()
        async with session.get(f"{url}/state") as response:
            state = await response.json()
    assert state == {
        "ok": True,
        "phone": {
            "model": "GXP2170",
            "status": "available",
            "dnd": False,
            "push": False,
            "lines": [],
        },
    }
    # Only the request the phone answered as a phone: control requests are not CTI.
    assert [request.path for request in simulator.requests] == ["/simulator/ring"]
