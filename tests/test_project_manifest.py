"""Check manifest.json the way hassfest does for a custom integration."""

from __future__ import annotations

import ast
import importlib.util
import re
from urllib.parse import urlparse

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.const import Platform
from homeassistant.requirements import DISCOVERY_INTEGRATIONS

from .project import PACKAGE, load_json, modules

# script/hassfest/manifest.py: CUSTOM_INTEGRATION_MANIFEST_SCHEMA
MANIFEST_KEYS = {
    "after_dependencies",
    "bluetooth",
    "codeowners",
    "config_flow",
    "dependencies",
    "dhcp",
    "disabled",
    "documentation",
    "domain",
    "homekit",
    "import_executor",
    "integration_type",
    "iot_class",
    "issue_tracker",
    "loggers",
    "mqtt",
    "name",
    "quality_scale",
    "requirements",
    "single_config_entry",
    "ssdp",
    "usb",
    "version",
    "zeroconf",
}
# hassfest requires these; HACS requires issue_tracker and version as well.
MANIFEST_REQUIRED = {
    "codeowners",
    "documentation",
    "domain",
    "iot_class",
    "issue_tracker",
    "name",
    "version",
}
IOT_CLASSES = {
    "assumed_state",
    "calculated",
    "cloud_polling",
    "cloud_push",
    "local_polling",
    "local_push",
}
INTEGRATION_TYPES = {
    "device",
    "entity",
    "hardware",
    "helper",
    "hub",
    "service",
    "system",
}
DHCP_KEYS = {"hostname", "macaddress", "registered_devices"}

# script/hassfest/dependencies.py: integrations any integration may import
# without naming them in the manifest (entity platforms and internal ones).
ALLOWED_USED_COMPONENTS = {
    *(platform.value for platform in Platform),
    "alert",
    "automation",
    "conversation",
    "default_config",
    "device_automation",
    "frontend",
    "group",
    "homeassistant",
    "input_boolean",
    "input_button",
    "input_datetime",
    "input_number",
    "input_select",
    "input_text",
    "media_source",
    "onboarding",
    "panel_custom",
    "persistent_notification",
    "person",
    "script",
    "shopping_list",
    "sun",
    "system_health",
    "system_log",
    "timer",
    "webhook",
    "websocket_api",
    "zone",
    "mjpeg",
    "stream",
}


def test_manifest() -> None:
    """Validate manifest.json like hassfest does for a custom integration."""
    manifest = load_json(PACKAGE / "manifest.json")

    assert manifest, "custom_components/grandstream_cti/manifest.json is missing"
    assert not MANIFEST_REQUIRED - manifest.keys(), "required keys are missing"
    assert not manifest.keys() - MANIFEST_KEYS, "unknown keys (hassfest rejects them)"
    assert manifest["domain"] == PACKAGE.name, "domain does not match the folder"
    assert manifest.get("config_flow", False) == (PACKAGE / "config_flow.py").exists()
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"], "domain and name must come first"
    assert keys[2:] == sorted(keys[2:]), "keys after name must be sorted"

    for key in ("documentation", "issue_tracker"):
        url = urlparse(manifest[key])
        assert url.scheme == "https", f"{key} must be an https URL"
        assert url.netloc, f"{key} must be a URL"
    assert "home-assistant.io" not in urlparse(manifest["documentation"]).netloc
    assert manifest["codeowners"], "codeowners must not be empty"
    assert all(owner.startswith("@") for owner in manifest["codeowners"])
    assert manifest["iot_class"] in IOT_CLASSES
    assert manifest.get("integration_type", "hub") in INTEGRATION_TYPES
    AwesomeVersion(
        manifest["version"],
        ensure_strategy=[
            AwesomeVersionStrategy.CALVER,
            AwesomeVersionStrategy.SEMVER,
            AwesomeVersionStrategy.SIMPLEVER,
            AwesomeVersionStrategy.BUILDVER,
            AwesomeVersionStrategy.PEP440,
        ],
    )
    for dependency in manifest.get("dependencies", []) + manifest.get(
        "after_dependencies", []
    ):
        assert importlib.util.find_spec(f"homeassistant.components.{dependency}"), (
            f"dependency {dependency} is not a Home Assistant integration"
        )


def test_manifest_dhcp_matchers() -> None:
    """DHCP matchers: known keys, uppercase MAC prefixes with a wildcard."""
    for matcher in load_json(PACKAGE / "manifest.json").get("dhcp", []):
        assert matcher, "empty DHCP matcher"
        assert not matcher.keys() - DHCP_KEYS, f"unknown keys in {matcher}"
        if mac := matcher.get("macaddress"):
            assert mac == mac.upper(), f"{mac} must be uppercase"
            assert "*" in mac, f"{mac} needs a wildcard"
            assert re.fullmatch(r"[0-9A-F*]+", mac), (
                f"{mac}: hex digits only, no colons"
            )
        if hostname := matcher.get("hostname"):
            assert hostname == hostname.lower(), f"{hostname} must be lowercase"


class _ComponentImports(ast.NodeVisitor):
    """Collect the Home Assistant integrations a module imports, as hassfest does."""

    def __init__(self) -> None:
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        """Skip `if TYPE_CHECKING:` blocks: nothing there is imported at run time."""
        if not (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"):
            self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        """Record `from homeassistant.components(.x) import ...`."""
        module = node.module or ""
        names = [alias.name for alias in node.names]
        if module == "homeassistant.components":
            self.found.update(names)
        # hassfest lets any integration sign paths without depending on http.
        elif module.startswith("homeassistant.components.") and not (
            module == "homeassistant.components.http.auth"
            and names == ["async_sign_path"]
        ):
            self.found.add(module.split(".")[2])

    def visit_Import(self, node: ast.Import) -> None:
        """Record `import homeassistant.components.x`."""
        for alias in node.names:
            if alias.name.startswith("homeassistant.components."):
                self.found.add(alias.name.split(".")[2])


def test_manifest_names_every_imported_component() -> None:
    """Every Home Assistant integration the code imports is a (after_)dependency."""
    manifest = load_json(PACKAGE / "manifest.json")
    allowed = (
        ALLOWED_USED_COMPONENTS
        | set(manifest.get("dependencies", []))
        | set(manifest.get("after_dependencies", []))
        | {
            domain
            for domain, keys in DISCOVERY_INTEGRATIONS.items()
            if any(key in manifest for key in keys)
        }
    )
    missing: dict[str, set[str]] = {}
    for path, module in modules():
        imports = _ComponentImports()
        imports.visit(module)
        for domain in imports.found - allowed:
            # A platform this integration provides for that integration
            # (diagnostics.py, device_trigger.py, ...) may import from it.
            if (PACKAGE / f"{domain}.py").is_file() or (PACKAGE / domain).is_dir():
                continue
            missing.setdefault(domain, set()).add(str(path.relative_to(PACKAGE)))
    assert not missing, "manifest.json dependencies or after_dependencies lack:\n" + (
        "\n".join(
            f"{domain} (imported in {', '.join(sorted(paths))})"
            for domain, paths in sorted(missing.items())
        )
    )


def test_manifest_dependencies_listed_once() -> None:
    """No integration is both a dependency and an after_dependency."""
    manifest = load_json(PACKAGE / "manifest.json")
    both = set(manifest.get("dependencies", [])) & set(
        manifest.get("after_dependencies", [])
    )
    assert not both, f"in dependencies and after_dependencies: {sorted(both)}"
