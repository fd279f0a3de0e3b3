"""Check the project files the way hassfest and the HACS action would.

Neither tool can run here (they need Docker and GitHub), so these tests stand
in for them: manifest.json, hacs.json, brand images, services.yaml and
icons.json are validated, and every translation key the code uses is looked up
in translations/en.json. The code is read with ast, never imported, so the
checks work on a package that is still being written: what does not exist yet
simply adds nothing to check.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
import importlib.util
import json
from pathlib import Path
import re
import struct
from typing import Any
from urllib.parse import urlparse

from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
from homeassistant.const import Platform, __version__ as HA_VERSION
import yaml

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "custom_components" / "grandstream_cti"

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
# hacs/integration: custom_components/hacs/utils/validate.py HACS_MANIFEST_JSON_SCHEMA
HACS_KEYS = {
    "content_in_root": bool,
    "country": (str, list),
    "filename": str,
    "hacs": str,
    "hide_default_branch": bool,
    "homeassistant": str,
    "persistent_directory": str,
    "render_readme": bool,
    "zip_release": bool,
    "name": str,
}

PLATFORMS = {platform.value for platform in Platform}
# Flow calls that show a step to the user: it needs a config.step entry.
FORM_CALLS = {"async_show_form", "async_show_menu", "async_show_progress"}
EXCEPTION_SUFFIXES = ("Error", "Exception", "Failed", "NotReady", "Invalid")
SERVICE_REGISTRARS = {
    # function name: position of the service name argument, its keyword
    "async_register": (1, "service"),  # hass.services.async_register(DOMAIN, name, ...)
    "async_register_admin_service": (2, "service"),
    "async_register_platform_entity_service": (2, "service_name"),
    "async_register_entity_service": (0, "name"),
}


# --- file helpers ---------------------------------------------------------


def _json(path: Path) -> Any:
    """Return the parsed JSON file, or an empty dict if it does not exist."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _translations() -> Any:
    """Return translations/en.json."""
    return _json(PACKAGE / "translations" / "en.json")


def _icons() -> Any:
    """Return icons.json."""
    return _json(PACKAGE / "icons.json")


def _services_yaml() -> dict[str, Any]:
    """Return services.yaml, empty if it does not exist."""
    path = PACKAGE / "services.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _get(tree: Any, *path: str) -> Any:
    """Return the value at path in nested dicts, or None."""
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def _strings(tree: Any) -> Iterator[str]:
    """Yield every string leaf of a JSON tree."""
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from _strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from _strings(value)


def _png_size(path: Path) -> tuple[int, int]:
    """Return the width and height of a PNG file."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


# --- reading the code -----------------------------------------------------


@dataclass(frozen=True)
class Use:
    """A string the code uses that en.json must provide."""

    path: tuple[str, ...]
    where: str
    # None: the entry is a string. Else a dict, with one of these keys if any.
    needs_any: tuple[str, ...] | None = None

    def problem(self, translations: Any) -> str | None:
        """Return what is wrong with this key in en.json, or None."""
        value = _get(translations, *self.path)
        key = ".".join(self.path)
        if value is None:
            return f"{key} is missing"
        if self.needs_any is None:
            return None if isinstance(value, str) else f"{key} must be a string"
        if not isinstance(value, dict):
            return f"{key} must be an object"
        if self.needs_any and not any(k in value for k in self.needs_any):
            return f"{key} needs one of: {', '.join(self.needs_any)}"
        return None


def _problems(uses: Iterable[Use], translations: Any) -> str:
    """Return the problems of a set of uses, one line per key, or ''."""
    found: dict[str, list[str]] = {}
    for use in uses:
        if problem := use.problem(translations):
            found.setdefault(problem, []).append(use.where)
    return "\n".join(
        f"{problem} (used at {', '.join(dict.fromkeys(where))})"
        for problem, where in sorted(found.items())
    )


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    """Yield every module of the integration, parsed."""
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _name(node: ast.AST) -> str | None:
    """Return the last name of a Name or Attribute node (`a.b.c` -> `c`)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _str(node: ast.AST | None) -> str | None:
    """Return the value of a string constant node."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _kwarg(call: ast.Call, name: str) -> ast.expr | None:
    """Return the value of a keyword argument of a call."""
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _constants() -> dict[str, str]:
    """Return the module-level string constants of the whole package."""
    constants: dict[str, str] = {}
    for _, module in _modules():
        for node in module.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target, value = node.targets[0], node.value
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                target, value = node.target, node.value
            else:
                continue
            if isinstance(target, ast.Name) and (text := _str(value)) is not None:
                constants[target.id] = text
    return constants


def _platform_of(path: Path, class_name: str | None = None) -> str | None:
    """Return the entity platform of a module, or the one a class name names."""
    if path.parent == PACKAGE and path.stem in PLATFORMS:
        return path.stem
    if class_name:
        camel = {"".join(p.title() for p in pf.split("_")): pf for pf in PLATFORMS}
        for name in sorted(camel, key=len, reverse=True):
            if name in class_name:
                return camel[name]
    return None


def _flow_kind(cls: ast.ClassDef, classes: dict[str, ast.ClassDef]) -> str | None:
    """Return config, options or subentry for a flow handler class, else None."""
    for base in cls.bases:
        name = _name(base) or ""
        if name in classes and name != cls.name:
            if kind := _flow_kind(classes[name], classes):
                return kind
        elif "SubentryFlow" in name:
            return "subentry"
        elif "OptionsFlow" in name:
            return "options"
        elif "ConfigFlow" in name:
            return "config"
    return None


class _Scanner(ast.NodeVisitor):
    """Collect the translation keys and services one module uses."""

    def __init__(
        self,
        path: Path,
        constants: dict[str, str],
        subentry_types: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        self.constants = constants
        # Subentry flow class name -> subentry type, from the config flow.
        self.subentry_types = subentry_types or {}
        self.uses: list[Use] = []
        self.unclassified: list[str] = []
        self.services: set[str] = set()
        # The en.json path of the flow being read: ("config",), ("options",)
        # or ("config_subentries", <type>).
        self.flow: tuple[str, ...] | None = (
            ("config",) if path.name == "config_flow.py" else None
        )
        self.classes: dict[str, ast.ClassDef] = {}
        self.raised: set[int] = set()

    def where(self, node: ast.AST) -> str:
        """Return file:line of a node."""
        return f"{self.path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"

    def resolve(self, node: ast.AST | None) -> str | None:
        """Return a string constant, directly or through a named constant."""
        if node is None:
            return None
        if (text := _str(node)) is not None:
            return text
        name = _name(node)
        return self.constants.get(name) if name else None

    def scan(self, module: ast.Module) -> None:
        """Scan a module."""
        self.classes = {
            n.name: n for n in ast.walk(module) if isinstance(n, ast.ClassDef)
        }
        self.raised = {
            id(n.exc) for n in ast.walk(module) if isinstance(n, ast.Raise) and n.exc
        }
        self.visit(module)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        """Track whether we are in a config or options flow handler."""
        outer = self.flow
        if kind := _flow_kind(node, self.classes):
            self.flow = (kind,)
            if kind == "subentry":
                if subentry_type := self.subentry_types.get(node.name):
                    self.flow = ("config_subentries", subentry_type)
                else:
                    self.unclassified.append(
                        f"{self.where(node)}: subentry flow {node.name} is not"
                        " returned by async_get_supported_subentry_types"
                    )
        self.generic_visit(node)
        self.flow = outer

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        """Record async_step_<name> as a step if it shows a form without a step_id.

        A step that only redirects or aborts (dhcp, reauth, ...) shows nothing;
        a form with a constant step_id is recorded under that id.
        """
        step = node.name.removeprefix("async_step_")
        if self.flow and step != node.name:
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and _name(call.func) in FORM_CALLS
                    and _str(_kwarg(call, "step_id")) is None
                ):
                    self.step(step, call)
        self.generic_visit(node)

    def step(self, step: str, node: ast.AST) -> None:
        """Record a flow step."""
        self.uses.append(
            Use(
                (*(self.flow or ("config",)), "step", step),
                self.where(node),
                ("title", "description"),
            )
        )

    def flow_string(self, section: str, key: str | None, node: ast.AST) -> None:
        """Record a flow error or abort reason."""
        if self.flow and key is not None:
            self.uses.append(Use((*self.flow, section, key), self.where(node)))

    def errors_dict(self, node: ast.AST | None, *, sure: bool) -> None:
        """Record the values of a form errors dict.

        Sure: it is assigned to `errors` or passed as errors=. Otherwise a dict
        is taken for form errors if it is returned and maps "base" or form
        fields (CONF_* names) to snake_case strings.
        """
        if not isinstance(node, ast.Dict) or not node.keys:
            return
        values = [_str(value) for value in node.values]
        if not sure and not (
            all(
                _str(key) == "base" or (_name(key) or "").startswith("CONF_")
                for key in node.keys
                if key is not None
            )
            and all(v and re.fullmatch(r"[a-z0-9_]+", v) for v in values)
        ):
            return
        for value in values:
            self.flow_string("error", value, node)

    def visit_Return(self, node: ast.Return) -> None:
        """Record form errors returned by helpers: `return None, {"base": "x"}`."""
        value = node.value
        for item in value.elts if isinstance(value, ast.Tuple) else [value]:
            self.errors_dict(item, sure=False)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        """Record errors["base"] = "..." / errors = {...} and _attr_translation_key."""
        for target in node.targets:
            if isinstance(target, ast.Subscript) and (
                _name(target.value) or ""
            ).endswith("errors"):
                self.flow_string("error", _str(node.value), node)
            elif (_name(target) or "").endswith("errors"):
                self.errors_dict(node.value, sure=True)
            elif _name(target) == "_attr_translation_key":
                self.entity_key(_str(node.value), None, node)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        """Record `_attr_translation_key: str = "..."`."""
        if _name(node.target) == "_attr_translation_key":
            self.entity_key(_str(node.value), None, node)
        self.generic_visit(node)

    def entity_key(
        self, key: str | None, class_name: str | None, node: ast.AST
    ) -> None:
        """Record an entity translation key."""
        if key is None:
            return
        if platform := _platform_of(self.path, class_name):
            self.uses.append(Use(("entity", platform, key), self.where(node), ()))
        else:
            self.unclassified.append(f"{self.where(node)}: no platform for {key!r}")

    def visit_Call(self, node: ast.Call) -> None:
        """Record translation keys, flow strings and service registrations."""
        func = _name(node.func) or ""
        self.translation_key(node, func)
        self.flow_call(node, func)
        if (registrar := SERVICE_REGISTRARS.get(func)) and (
            # async_register is only a service registry's (webhook has one too)
            func != "async_register"
            or (
                isinstance(node.func, ast.Attribute)
                and _name(node.func.value) == "services"
            )
        ):
            position, keyword = registrar
            arg = (
                node.args[position]
                if len(node.args) > position
                else _kwarg(node, keyword)
            )
            if (service := self.resolve(arg)) is not None:
                self.services.add(service)
        self.generic_visit(node)

    def translation_key(self, node: ast.Call, func: str) -> None:
        """Classify a translation_key="..." keyword by the call it is passed to."""
        key = self.resolve(_kwarg(node, "translation_key"))
        if key is None:
            return
        if func in {"async_create_issue", "create_issue"}:
            self.uses.append(Use(("issues", key), self.where(node), ("title",)))
        elif func.endswith("DeviceInfo"):
            self.uses.append(Use(("device", key), self.where(node), ("name",)))
        elif func.endswith("Description"):
            self.entity_key(key, func, node)
        elif func.endswith("SelectorConfig"):
            self.uses.append(Use(("selector", key), self.where(node), ("options",)))
        elif (
            id(node) in self.raised
            or _kwarg(node, "translation_domain") is not None
            or func.endswith(EXCEPTION_SUFFIXES)
        ):
            self.uses.append(Use(("exceptions", key), self.where(node), ("message",)))
        else:
            self.unclassified.append(
                f"{self.where(node)}: {func}(translation_key={key!r})"
            )

    def flow_call(self, node: ast.Call, func: str) -> None:
        """Record the strings of a flow's forms, menus and aborts."""
        if not self.flow:
            return
        if (step := _str(_kwarg(node, "step_id"))) is not None:
            self.step(step, node)
            options = _kwarg(node, "menu_options")
            if func == "async_show_menu" and isinstance(options, ast.List | ast.Tuple):
                for option in filter(None, map(_str, options.elts)):
                    self.uses.append(
                        Use(
                            (*self.flow, "step", step, "menu_options", option),
                            self.where(node),
                        )
                    )
        self.errors_dict(_kwarg(node, "errors"), sure=True)
        if func == "AbortFlow" and node.args:
            self.flow_string("abort", _str(node.args[0]), node)
        elif func == "_abort_if_unique_id_configured":
            reason = _kwarg(node, "error")
            self.flow_string(
                "abort", _str(reason) if reason else "already_configured", node
            )
        elif func == "_async_abort_entries_match":
            self.flow_string("abort", "already_configured", node)
        elif func == "_abort_if_unique_id_mismatch":
            reason = _kwarg(node, "reason")
            self.flow_string(
                "abort", _str(reason) if reason else "unique_id_mismatch", node
            )
        elif func in {
            "async_abort",
            "async_update_reload_and_abort",
            "async_update_and_abort",
        }:
            # Without a reason the update helpers use Home Assistant's own strings.
            self.flow_string("abort", _str(_kwarg(node, "reason")), node)


@dataclass
class CodeScan:
    """What the whole integration uses."""

    uses: list[Use]
    unclassified: list[str]
    services: set[str]


def _subentry_types(constants: dict[str, str]) -> dict[str, str]:
    """Return subentry flow class names and their types.

    Read from the dict that async_get_supported_subentry_types returns.
    """
    types: dict[str, str] = {}
    for _, module in _modules():
        for node in ast.walk(module):
            if (
                isinstance(node, ast.FunctionDef)
                and node.name == "async_get_supported_subentry_types"
            ):
                for ret in ast.walk(node):
                    if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Dict):
                        for key, value in zip(
                            ret.value.keys, ret.value.values, strict=True
                        ):
                            name = _name(key) if key is not None else None
                            subentry_type = (
                                _str(key) if key is not None else None
                            ) or (constants.get(name) if name else None)
                            if subentry_type and (cls := _name(value)):
                                types[cls] = subentry_type
    return types


def _scan_code() -> CodeScan:
    """Scan every module of the integration."""
    constants = _constants()
    subentry_types = _subentry_types(constants)
    result = CodeScan([], [], set())
    for path, module in _modules():
        scanner = _Scanner(path, constants, subentry_types)
        scanner.scan(module)
        result.uses += scanner.uses
        result.unclassified += scanner.unclassified
        result.services |= scanner.services
    # Service names declared as SERVICE_* constants count as registered too.
    result.services |= {v for k, v in constants.items() if k.startswith("SERVICE_")}
    return result


# --- manifest.json --------------------------------------------------------


def test_manifest() -> None:
    """Validate manifest.json like hassfest does for a custom integration."""
    manifest = _json(PACKAGE / "manifest.json")

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
    for matcher in _json(PACKAGE / "manifest.json").get("dhcp", []):
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


# --- hacs.json ------------------------------------------------------------


def test_hacs_json() -> None:
    """Validate hacs.json against the keys HACS accepts."""
    hacs = _json(ROOT / "hacs.json")

    assert isinstance(hacs.get("name"), str), "hacs.json needs a name"
    assert not hacs.keys() - HACS_KEYS.keys(), "unknown keys (HACS rejects them)"
    for key, value in hacs.items():
        assert isinstance(value, HACS_KEYS[key]), f"{key} has the wrong type"
    if minimum := hacs.get("homeassistant"):
        assert AwesomeVersion(minimum) <= AwesomeVersion(HA_VERSION), (
            f"hacs.json wants Home Assistant {minimum}, tests run {HA_VERSION}"
        )


# --- brand images ---------------------------------------------------------


def test_brand_images() -> None:
    """Brand images exist, are PNG and have the sizes Home Assistant wants."""
    brand = PACKAGE / "brand"
    assert _png_size(brand / "icon.png") == (256, 256)
    assert _png_size(brand / "icon@2x.png") == (512, 512)
    for name, low, high in (("logo.png", 128, 256), ("logo@2x.png", 256, 512)):
        if (brand / name).exists():
            assert low <= min(_png_size(brand / name)) <= high, name


# --- translations ---------------------------------------------------------


def test_translations_are_full_text() -> None:
    """en.json is valid JSON without [%key:...%] references (core only)."""
    for text in _strings(_translations()):
        assert "[%key:" not in text, f"custom integrations cannot use {text!r}"


def test_translation_keys_used_in_code_exist() -> None:
    """Every translation_key, flow step, error and abort in the code is in en.json."""
    scan = _scan_code()
    translations = _translations()

    assert not scan.unclassified, (
        "translation keys this test cannot place; extend _Scanner:\n"
        + "\n".join(scan.unclassified)
    )
    problems = _problems(scan.uses, translations)
    assert not problems, f"translations/en.json:\n{problems}"


# --- services -------------------------------------------------------------


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
    translations = _translations()
    problems = _problems(
        (
            use
            for name, spec in _services_yaml().items()
            for use in _service_entries(name, spec or {})
        ),
        translations,
    )
    assert not problems, f"translations/en.json:\n{problems}"


def test_services_target_no_device_filter() -> None:
    """Device-targeted actions use a device_id field: target device filters fail from 2026.11."""
    for name, spec in _services_yaml().items():
        assert "device" not in (_get(spec, "target") or {}), name


def test_registered_services_are_declared() -> None:
    """Every action registered in code is in services.yaml and icons.json."""
    services = _services_yaml()
    icons = _icons()
    for service in sorted(_scan_code().services):
        assert service in services, f"{service} is missing from services.yaml"
        assert _get(icons, "services", service), f"{service} has no icon in icons.json"


# --- icons.json -----------------------------------------------------------


def test_icons() -> None:
    """Icons are mdi icons, every action has one, and no icon is stale."""
    icons = _icons()
    translations = _translations()

    for icon in _strings(icons):
        assert icon.startswith("mdi:"), f"{icon!r} is not an mdi icon"
    for name in _services_yaml():
        assert isinstance(_get(icons, "services", name, "service"), str), (
            f"action {name} has no icons.json services.{name}.service"
        )
    for name in icons.get("services", {}):
        assert name in _services_yaml(), f"stale icon: services.{name}"
    for platform, keys in icons.get("entity", {}).items():
        for key in keys:
            assert _get(translations, "entity", platform, key) is not None, (
                f"stale icon: entity.{platform}.{key} is not in en.json"
            )
