"""Check quality_scale.yaml: every rule, honest statuses, the tier the README names."""

from __future__ import annotations

import ast
from collections.abc import Callable
import re
import tomllib
from typing import Any

from homeassistant.const import Platform
import yaml

from .project import PACKAGE, ROOT, modules

# script/hassfest/quality_scale.py: the rules of each tier, lowest tier first.
TIERS: dict[str, tuple[str, ...]] = {
    "Bronze": (
        "action-setup",
        "appropriate-polling",
        "brands",
        "common-modules",
        "config-flow",
        "config-flow-test-coverage",
        "dependency-transparency",
        "docs-actions",
        "docs-conditions",
        "docs-high-level-description",
        "docs-installation-instructions",
        "docs-removal-instructions",
        "docs-triggers",
        "entity-event-setup",
        "entity-unique-id",
        "has-entity-name",
        "runtime-data",
        "test-before-configure",
        "test-before-setup",
        "unique-config-entry",
    ),
    "Silver": (
        "action-exceptions",
        "config-entry-unloading",
        "docs-configuration-parameters",
        "docs-installation-parameters",
        "entity-unavailable",
        "integration-owner",
        "log-when-unavailable",
        "parallel-updates",
        "reauthentication-flow",
        "test-coverage",
    ),
    "Gold": (
        "devices",
        "diagnostics",
        "discovery",
        "discovery-update-info",
        "docs-data-update",
        "docs-examples",
        "docs-known-limitations",
        "docs-supported-devices",
        "docs-supported-functions",
        "docs-troubleshooting",
        "docs-use-cases",
        "dynamic-devices",
        "entity-category",
        "entity-device-class",
        "entity-disabled-by-default",
        "entity-translations",
        "exception-translations",
        "icon-translations",
        "reconfiguration-flow",
        "repair-issues",
        "stale-devices",
    ),
    "Platinum": ("async-dependency", "inject-websession", "strict-typing"),
}
STATUSES = {"done", "todo", "exempt"}


def _rules() -> dict[str, dict[str, Any]]:
    """Return quality_scale.yaml's rules as {rule: {status, comment}}."""
    text = (PACKAGE / "quality_scale.yaml").read_text(encoding="utf-8")
    rules = yaml.safe_load(text)["rules"]
    return {
        rule: value if isinstance(value, dict) else {"status": value}
        for rule, value in rules.items()
    }


def _readme() -> str:
    """Return the README."""
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _calls(name: str) -> bool:
    """Return whether any module of the integration calls a function of this name."""
    return any(
        isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == name)
            or (isinstance(node.func, ast.Name) and node.func.id == name)
        )
        for _, module in modules()
        for node in ast.walk(module)
    )


def _code() -> str:
    """Return the source of every module of the integration."""
    return "\n".join(path.read_text(encoding="utf-8") for path, _ in modules())


def _platforms_set_parallel_updates() -> bool:
    """Return whether every entity platform module sets PARALLEL_UPDATES."""
    platforms = {platform.value for platform in Platform}
    return all(
        re.search(
            r"^PARALLEL_UPDATES\b", path.read_text(encoding="utf-8"), re.MULTILINE
        )
        for path, _ in modules()
        if path.parent == PACKAGE and path.stem in platforms
    )


def _strict_typing() -> bool:
    """Return whether mypy runs strict on the package and the client is typed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return (
        config["tool"]["mypy"]["strict"] is True
        and (PACKAGE / "cti" / "py.typed").is_file()
    )


def _coverage_gates() -> tuple[float, bool]:
    """Return the overall coverage floor and whether config_flow.py must be at 100 %."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    test_script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    return (
        float(config["tool"]["coverage"]["report"]["fail_under"]),
        re.search(r"config_flow\.py\S* --fail-under=100", test_script) is not None,
    )


# What a "done" rule needs that a test can see in the files.
EVIDENCE: dict[str, Callable[[], bool]] = {
    "brands": (PACKAGE / "brand" / "icon.png").is_file,
    "config-flow": (PACKAGE / "config_flow.py").is_file,
    "config-flow-test-coverage": lambda: _coverage_gates()[1],
    "diagnostics": (PACKAGE / "diagnostics.py").is_file,
    "docs-actions": lambda: "\n## Actions\n" in _readme(),
    "docs-installation-instructions": lambda: "\n## Installation\n" in _readme(),
    "docs-known-limitations": lambda: "\n## Limitations\n" in _readme(),
    "docs-removal-instructions": lambda: "\n## Removal\n" in _readme(),
    "docs-troubleshooting": lambda: "\n## Troubleshooting\n" in _readme(),
    "docs-use-cases": lambda: "\n## Use cases\n" in _readme(),
    "has-entity-name": lambda: "_attr_has_entity_name = True" in _code(),
    "parallel-updates": _platforms_set_parallel_updates,
    "reauthentication-flow": lambda: "async_step_reauth_confirm" in _code(),
    "reconfiguration-flow": lambda: "async_step_reconfigure" in _code(),
    "repair-issues": lambda: _calls("async_create_issue"),
    "runtime-data": lambda: "entry.runtime_data = " in _code(),
    "strict-typing": _strict_typing,
    "test-coverage": lambda: _coverage_gates()[0] >= 95,
}
# Rules whose evidence is about to appear in this round's work: once it is
# there, the rule must be marked done (and the README's tier follow).
BOTH_WAYS = {"docs-use-cases", "repair-issues"}


def _tier(rules: dict[str, dict[str, Any]]) -> str | None:
    """Return the highest tier whose rules, and those below, are all done or exempt."""
    reached = None
    for tier, names in TIERS.items():
        if any(rules[name]["status"] == "todo" for name in names):
            break
        reached = tier
    return reached


def test_every_rule_listed_once() -> None:
    """quality_scale.yaml lists every rule of every tier, and nothing else."""
    listed = set(_rules())
    known = {rule for names in TIERS.values() for rule in names}
    assert not known - listed, f"rules missing: {sorted(known - listed)}"
    assert not listed - known, f"unknown rules: {sorted(listed - known)}"


def test_statuses() -> None:
    """Each status is done, todo or exempt; exempt and todo say why."""
    for rule, value in _rules().items():
        assert value["status"] in STATUSES, f"{rule}: status {value['status']!r}"
        if value["status"] != "done":
            assert str(value.get("comment", "")).strip(), f"{rule} needs a comment"


def test_done_rules_hold() -> None:
    """What the files can show of a rule marked done is there."""
    rules = _rules()
    unsupported = [
        rule
        for rule, holds in EVIDENCE.items()
        if rules[rule]["status"] == "done" and not holds()
    ]
    assert not unsupported, f"marked done, but not so in the files: {unsupported}"
    to_mark = [
        rule
        for rule in sorted(BOTH_WAYS)
        if rules[rule]["status"] == "todo" and EVIDENCE[rule]()
    ]
    assert not to_mark, f"now done: mark these done in quality_scale.yaml: {to_mark}"


def test_readme_names_the_tier() -> None:
    """The README's Quality scale section names the tier quality_scale.yaml reaches."""
    tier = _tier(_rules())
    match = re.search(r"meets the \*\*(\w+)\*\* tier", _readme())
    assert match, "the README does not say which quality scale tier it meets"
    assert match.group(1) == tier, (
        f"the README says {match.group(1)}, quality_scale.yaml reaches {tier}"
    )
