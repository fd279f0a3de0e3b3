"""What the project-file checks share: the files, and what the code uses.

hassfest and the HACS action cannot run here (they need Docker and GitHub), so
the tests/test_project_*.py modules stand in for them. The code is read with
ast, never imported, so the checks work on a package that is still being
written: what does not exist yet simply adds nothing to check.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
import json
from pathlib import Path
import re
from typing import Any

from homeassistant.const import Platform
import yaml

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "custom_components" / "grandstream_cti"
TRANSLATIONS = PACKAGE / "translations"

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


def load_json(path: Path) -> Any:
    """Return the parsed JSON file, or an empty dict if it does not exist."""
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def read_translations() -> Any:
    """Return translations/en.json."""
    return load_json(TRANSLATIONS / "en.json")


def read_icons() -> Any:
    """Return icons.json."""
    return load_json(PACKAGE / "icons.json")


def read_services() -> dict[str, Any]:
    """Return services.yaml, empty if it does not exist."""
    path = PACKAGE / "services.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def lookup(tree: Any, *path: str) -> Any:
    """Return the value at path in nested dicts, or None."""
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def strings(tree: Any) -> Iterator[str]:
    """Yield every string leaf of a JSON tree."""
    if isinstance(tree, str):
        yield tree
    elif isinstance(tree, dict):
        for value in tree.values():
            yield from strings(value)
    elif isinstance(tree, list):
        for value in tree:
            yield from strings(value)


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
        value = lookup(translations, *self.path)
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


def list_problems(uses: Iterable[Use], translations: Any) -> str:
    """Return the problems of a set of uses, one line per key, or ''."""
    found: dict[str, list[str]] = {}
    for use in uses:
        if problem := use.problem(translations):
            found.setdefault(problem, []).append(use.where)
    return "\n".join(
        f"{problem} (used at {', '.join(dict.fromkeys(where))})"
        for problem, where in sorted(found.items())
    )


def modules() -> Iterator[tuple[Path, ast.Module]]:
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
    for _, module in modules():
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
    for _, module in modules():
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


def scan_code() -> CodeScan:
    """Scan every module of the integration."""
    constants = _constants()
    subentry_types = _subentry_types(constants)
    result = CodeScan([], [], set())
    for path, module in modules():
        scanner = _Scanner(path, constants, subentry_types)
        scanner.scan(module)
        result.uses += scanner.uses
        result.unclassified += scanner.unclassified
        result.services |= scanner.services
    # Service names declared as SERVICE_* constants count as registered too.
    result.services |= {v for k, v in constants.items() if k.startswith("SERVICE_")}
    return result
