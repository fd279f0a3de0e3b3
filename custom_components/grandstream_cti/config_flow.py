"""Config flow for Grandstream phones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, override

from homeassistant.components import webhook
from homeassistant.config_entries import (
    SOURCE_DHCP,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    OptionsFlowWithReload,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_NAME,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import callback
from homeassistant.data_entry_flow import section
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import probatio

from .const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_MAC,
    CONF_MODEL,
    CONF_PASSCODE,
    DOMAIN,
    LOGGER,
)
from .cti import (
    PROFILES,
    DetectedPhone,
    Family,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCertificateError,
    GrandstreamConnectionError,
    GrandstreamError,
    GrandstreamInvalidInputError,
    GrandstreamUnsupportedError,
)
from .cti.action_url import FIELDS, MAX_URL_LENGTH, build_action_urls
from .helpers import create_client
from .push import async_ensure_webhook_id
from .speed_dials import (
    CONF_NUMBER,
    CONF_SPEED_DIALS,
    SpeedDial,
    find_speed_dial,
    get_speed_dials,
    new_speed_dial_id,
)

PASSCODE_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))
ADVANCED_SECTION = section(
    probatio.Schema(
        {
            probatio.Optional(CONF_PORT): NumberSelector(
                NumberSelectorConfig(min=1, max=65535, mode=NumberSelectorMode.BOX)
            ),
            probatio.Required(CONF_SSL, default=False): BooleanSelector(),
            probatio.Required(CONF_VERIFY_SSL, default=True): BooleanSelector(),
        }
    ),
    {"collapsed": True},
)
USER_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_HOST): TextSelector(
            TextSelectorConfig(autocomplete="off")
        ),
        probatio.Required(CONF_PASSCODE): PASSCODE_SELECTOR,
        probatio.Required(CONF_ADVANCED): ADVANCED_SECTION,
    }
)
DISCOVERY_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_PASSCODE): PASSCODE_SELECTOR,
        probatio.Required(CONF_ADVANCED): ADVANCED_SECTION,
    }
)
RECONFIGURE_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_HOST): TextSelector(
            TextSelectorConfig(autocomplete="off")
        ),
        probatio.Required(CONF_ADVANCED): ADVANCED_SECTION,
    }
)
REAUTH_SCHEMA = probatio.Schema({probatio.Required(CONF_PASSCODE): PASSCODE_SELECTOR})
FAMILY_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_FAMILY): SelectSelector(
            SelectSelectorConfig(
                options=[family.value for family in Family],
                translation_key=CONF_FAMILY,
                mode=SelectSelectorMode.LIST,
            )
        )
    }
)


def _connection(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Return the connection settings of a form, with its section flattened."""
    advanced = user_input.get(CONF_ADVANCED, {})
    data: dict[str, Any] = {
        CONF_SSL: advanced.get(CONF_SSL, False),
        CONF_VERIFY_SSL: advanced.get(CONF_VERIFY_SSL, True),
        CONF_PORT: int(port) if (port := advanced.get(CONF_PORT)) else None,
    }
    if CONF_HOST in user_input:
        data[CONF_HOST] = user_input[CONF_HOST].strip()
    return data


def _advanced_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return an entry's connection settings as the section's suggested values."""
    values = {key: data[key] for key in (CONF_SSL, CONF_VERIFY_SSL) if key in data}
    if data.get(CONF_PORT):
        values[CONF_PORT] = data[CONF_PORT]
    return values


class GrandstreamCtiConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Grandstream phone by address and passcode."""

    VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> GrandstreamCtiOptionsFlow:
        """Return the flow that changes a phone's options."""
        return GrandstreamCtiOptionsFlow()

    def __init__(self) -> None:
        """Start with nothing known about the phone."""
        self._data: dict[str, Any] = {}

    async def _async_probe(
        self, data: Mapping[str, Any]
    ) -> tuple[DetectedPhone | None, dict[str, str]]:
        """Ask the phone what it is; return it or the form errors.

        With a family in `data`, only check that the phone answers to it.
        Returns no phone and no errors when the family cannot be told.
        """
        client = create_client(self.hass, data)
        try:
            if client.family is None:
                return await client.detect(), {}
            await client.verify()
        except GrandstreamUnsupportedError:
            if client.family is not None:
                return None, {"base": "wrong_family"}
            return None, {}
        except GrandstreamAccessDeniedError:
            return None, {"base": "cti_disabled"}
        except GrandstreamAuthenticationError:
            return None, {"base": "invalid_auth"}
        except GrandstreamCertificateError:
            return None, {"base": "invalid_certificate"}
        except GrandstreamConnectionError:
            return None, {"base": "cannot_connect"}
        except GrandstreamInvalidInputError:
            return None, {CONF_HOST: "invalid_host"}
        except GrandstreamError:
            return None, {"base": "invalid_response"}
        except Exception:
            LOGGER.exception("Unexpected error while adding a phone")
            return None, {"base": "unknown"}
        return DetectedPhone(family=client.profile.family, model=None), {}

    async def _async_finish(self, phone: DetectedPhone | None) -> ConfigFlowResult:
        """Create the entry, or ask for the family when probing could not tell."""
        if phone is None:
            return await self.async_step_family()
        self._data[CONF_FAMILY] = phone.family.value
        self._data[CONF_MODEL] = phone.model
        # Unguessable: it is all that lets a phone's pushed events in.
        self._data[CONF_WEBHOOK_ID] = webhook.async_generate_id()
        title = phone.model or f"Grandstream {PROFILES[phone.family].title}"
        return self.async_create_entry(title=title, data=self._data)

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the phone's address and passcode."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**_connection(user_input), CONF_PASSCODE: user_input[CONF_PASSCODE]}
            self._async_abort_entries_match({CONF_HOST: data[CONF_HOST]})
            phone, errors = await self._async_probe(data)
            if not errors:
                self._data = data
                return await self._async_finish(phone)
        return self._async_show_passcode_form("user", user_input, errors)

    @callback
    def _async_show_passcode_form(
        self, step_id: str, suggested: Mapping[str, Any] | None, errors: dict[str, str]
    ) -> ConfigFlowResult:
        """Show the form that asks for the passcode: user or discovery_confirm."""
        if step_id == "user":
            return self.async_show_form(
                step_id=step_id,
                data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, suggested),
                errors=errors,
            )
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                DISCOVERY_SCHEMA, suggested
            ),
            description_placeholders={"host": self._data[CONF_HOST]},
            errors=errors,
        )

    async def async_step_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Let the user pick the family when the phone's answers are ambiguous."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**self._data, CONF_FAMILY: user_input[CONF_FAMILY]}
            phone, errors = await self._async_probe(data)
            if errors.get("base") == "invalid_auth":
                # The probes that left the family open never got as far as the
                # passcode check: ask for it again on the form it was typed in.
                return self._async_show_passcode_form(
                    "discovery_confirm" if self.source == SOURCE_DHCP else "user",
                    {
                        CONF_HOST: self._data[CONF_HOST],
                        CONF_ADVANCED: _advanced_values(self._data),
                    },
                    errors,
                )
            if not errors:
                return await self._async_finish(phone)
        return self.async_show_form(
            step_id="family",
            data_schema=self.add_suggested_values_to_schema(FAMILY_SCHEMA, user_input),
            errors=errors,
        )

    @override
    async def async_step_dhcp(
        self, discovery_info: DhcpServiceInfo
    ) -> ConfigFlowResult:
        """Handle a Grandstream MAC address seen on the network."""
        mac = format_mac(discovery_info.macaddress)
        host = discovery_info.ip
        await self.async_set_unique_id(mac)
        self._abort_if_unique_id_configured(updates={CONF_HOST: host})
        # A phone added by address has no unique id yet: give it its MAC.
        for entry in self._async_current_entries(include_ignore=False):
            if entry.unique_id is None and entry.data[CONF_HOST] == host:
                # Reloaded so that its device gets the MAC as a connection.
                return self.async_update_reload_and_abort(
                    entry,
                    unique_id=mac,
                    data_updates={CONF_MAC: mac},
                    reason="already_configured",
                )
        self._data = {CONF_HOST: host, CONF_MAC: mac}
        self.context["title_placeholders"] = {"host": host}
        return await self.async_step_discovery_confirm()

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the passcode of a discovered phone."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {
                **self._data,
                **_connection(user_input),
                CONF_PASSCODE: user_input[CONF_PASSCODE],
            }
            phone, errors = await self._async_probe(data)
            if not errors:
                self._data = data
                return await self._async_finish(phone)
        return self._async_show_passcode_form("discovery_confirm", user_input, errors)

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """Handle a phone that started refusing the passcode."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the new passcode."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, CONF_PASSCODE: user_input[CONF_PASSCODE]}
            _, errors = await self._async_probe(data)
            if not errors:
                return self.async_update_reload_and_abort(
                    entry, data_updates={CONF_PASSCODE: user_input[CONF_PASSCODE]}
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=REAUTH_SCHEMA,
            description_placeholders={"name": entry.title},
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the phone's address, port or HTTPS settings."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            connection = _connection(user_input)
            if any(
                other.data[CONF_HOST] == connection[CONF_HOST]
                for other in self._async_current_entries(include_ignore=False)
                if other.entry_id != entry.entry_id
            ):
                return self.async_abort(reason="already_configured")
            data = {**entry.data, **connection}
            # Probe afresh: the answers tell when the address is another phone.
            phone, errors = await self._async_probe({**data, CONF_FAMILY: None})
            if not errors and phone is None:
                phone, errors = await self._async_probe(data)
                if errors.get("base") == "wrong_family":
                    return self.async_abort(reason="wrong_device")
            if phone is not None:
                if phone.family.value != entry.data[CONF_FAMILY] or (
                    phone.model
                    and entry.data.get(CONF_MODEL)
                    and phone.model != entry.data[CONF_MODEL]
                ):
                    return self.async_abort(reason="wrong_device")
                return self.async_update_reload_and_abort(
                    entry, data_updates=connection
                )
            suggested = user_input
        else:
            suggested = {
                CONF_HOST: entry.data[CONF_HOST],
                CONF_ADVANCED: _advanced_values(entry.data),
            }
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA, suggested
            ),
            errors=errors,
        )


CONF_SPEED_DIAL = "speed_dial"
SPEED_DIAL_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_NAME): TextSelector(),
        probatio.Required(CONF_NUMBER): TextSelector(
            TextSelectorConfig(type=TextSelectorType.TEL)
        ),
    }
)
# What GrandstreamInvalidInputError.code says is wrong with a number, as form errors.
NUMBER_ERRORS = {
    "empty": "number_empty",
    "too_long": "number_too_long",
    "keypad_characters": "number_keypad_characters",
    "dial_characters": "number_dial_characters",
}


def _speed_dial_options(speed_dials: tuple[SpeedDial, ...]) -> list[SelectOptionDict]:
    """Return the speed dials as choices of a select."""
    return [
        SelectOptionDict(value=sd.id, label=f"{sd.name} ({sd.number})")
        for sd in speed_dials
    ]


class GrandstreamCtiOptionsFlow(OptionsFlowWithReload):
    """Change what a phone offers: its speed dials."""

    def __init__(self) -> None:
        """Start with no speed dial picked."""
        self._editing: str | None = None

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what can be changed."""
        return self.async_show_menu(
            step_id="init", menu_options=["speed_dials", "action_url"]
        )

    async def async_step_action_url(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show the URLs to paste into the phone's Action URL settings."""
        if user_input is not None:
            # Nothing to store: the URLs live in the phone.
            return self.async_create_entry(data=dict(self.config_entry.options))
        entry = self.config_entry
        webhook_id = async_ensure_webhook_id(self.hass, entry)
        try:
            # The webhook takes local requests only: no external URL.
            webhook_url = webhook.async_generate_url(
                self.hass, webhook_id, allow_external=False, prefer_external=False
            )
        except NoURLAvailableError:
            return self.async_abort(reason="no_url")
        urls = build_action_urls(webhook_url)
        longest = max(len(url) for url in urls.values())
        table = "\n".join(
            (
                "| Field | URL |",
                "|---|---|",
                *(f"| {field.label} | `{urls[field.event]}` |" for field in FIELDS),
            )
        )
        return self.async_show_form(
            step_id="action_url",
            description_placeholders={
                "name": entry.title,
                "phone_url": str(create_client(self.hass, entry.data).base_url),
                "urls": table,
                "length": str(longest),
                "limit": str(MAX_URL_LENGTH),
            },
            errors={"base": "url_too_long"} if longest > MAX_URL_LENGTH else None,
        )

    async def async_step_speed_dials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """List the speed dials, to add, change or remove them."""
        speed_dials = get_speed_dials(self.config_entry)
        return self.async_show_menu(
            step_id="speed_dials",
            menu_options=(
                ["add_speed_dial", "edit_speed_dial", "remove_speed_dials"]
                if speed_dials
                else ["add_speed_dial"]
            ),
            description_placeholders={
                "speed_dials": "\n".join(
                    f"- {sd.name}: {sd.number}" for sd in speed_dials
                )
            },
        )

    async def async_step_add_speed_dial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Add a speed dial."""
        speed_dials = get_speed_dials(self.config_entry)
        errors: dict[str, str] = {}
        if user_input is not None:
            name, number, errors = self._check(user_input, speed_dials)
            if not errors:
                speed_dial = SpeedDial(
                    id=new_speed_dial_id(name, (sd.id for sd in speed_dials)),
                    name=name,
                    number=number,
                )
                return self._async_save((*speed_dials, speed_dial))
        return self.async_show_form(
            step_id="add_speed_dial",
            data_schema=self.add_suggested_values_to_schema(
                SPEED_DIAL_SCHEMA, user_input
            ),
            errors=errors,
        )

    async def async_step_edit_speed_dial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Pick the speed dial to change."""
        if user_input is not None:
            self._editing = user_input[CONF_SPEED_DIAL]
            return await self.async_step_change_speed_dial()
        options = _speed_dial_options(get_speed_dials(self.config_entry))
        return self.async_show_form(
            step_id="edit_speed_dial",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_SPEED_DIAL): SelectSelector(
                        SelectSelectorConfig(
                            options=options, mode=SelectSelectorMode.DROPDOWN
                        )
                    )
                }
            ),
        )

    async def async_step_change_speed_dial(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the name or the number of a speed dial."""
        speed_dials = get_speed_dials(self.config_entry)
        editing = next(sd for sd in speed_dials if sd.id == self._editing)
        others = tuple(sd for sd in speed_dials if sd is not editing)
        errors: dict[str, str] = {}
        if user_input is not None:
            name, number, errors = self._check(user_input, others)
            if not errors:
                # The id stays: the button keeps its entity id and history.
                changed = SpeedDial(id=editing.id, name=name, number=number)
                return self._async_save(
                    changed if sd is editing else sd for sd in speed_dials
                )
        return self.async_show_form(
            step_id="change_speed_dial",
            data_schema=self.add_suggested_values_to_schema(
                SPEED_DIAL_SCHEMA,
                user_input or {CONF_NAME: editing.name, CONF_NUMBER: editing.number},
            ),
            description_placeholders={"name": editing.name},
            errors=errors,
        )

    async def async_step_remove_speed_dials(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Remove speed dials, and their buttons with them."""
        speed_dials = get_speed_dials(self.config_entry)
        if user_input is not None:
            removed = set(user_input[CONF_SPEED_DIALS])
            return self._async_save(sd for sd in speed_dials if sd.id not in removed)
        return self.async_show_form(
            step_id="remove_speed_dials",
            data_schema=probatio.Schema(
                {
                    probatio.Required(CONF_SPEED_DIALS): SelectSelector(
                        SelectSelectorConfig(
                            options=_speed_dial_options(speed_dials),
                            multiple=True,
                            mode=SelectSelectorMode.LIST,
                        )
                    )
                }
            ),
        )

    def _check(
        self, user_input: Mapping[str, Any], others: tuple[SpeedDial, ...]
    ) -> tuple[str, str, dict[str, str]]:
        """Return the cleaned name and number, and the form errors."""
        errors: dict[str, str] = {}
        name = " ".join(user_input[CONF_NAME].split())
        number = ""
        if not name:
            errors[CONF_NAME] = "name_required"
        elif find_speed_dial(others, name):
            errors[CONF_NAME] = "name_taken"
        try:
            # Numbers are checked as the phone's family dials them.
            number = create_client(self.hass, self.config_entry.data).validate_number(
                user_input[CONF_NUMBER]
            )
        except GrandstreamInvalidInputError as err:
            errors[CONF_NUMBER] = NUMBER_ERRORS.get(err.code, "invalid_number")
        return name, number, errors

    @callback
    def _async_save(self, speed_dials: Iterable[SpeedDial]) -> ConfigFlowResult:
        """Store the speed dials; the phone reloads with their buttons."""
        return self.async_create_entry(
            data={
                **self.config_entry.options,
                CONF_SPEED_DIALS: [sd.as_dict() for sd in speed_dials],
            }
        )
