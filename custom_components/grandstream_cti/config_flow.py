"""Config flow for Grandstream phones."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, override

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.data_entry_flow import section
from homeassistant.helpers.device_registry import format_mac
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
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
    AccessDenied,
    CannotConnect,
    CertificateError,
    CtiError,
    DetectedPhone,
    Family,
    InvalidAuth,
    Unsupported,
)
from .helpers import create_client

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
        except Unsupported:
            if client.family is not None:
                return None, {"base": "wrong_family"}
            return None, {}
        except AccessDenied:
            return None, {"base": "cti_disabled"}
        except InvalidAuth:
            return None, {CONF_PASSCODE: "invalid_auth"}
        except CertificateError:
            return None, {"base": "invalid_certificate"}
        except CannotConnect:
            return None, {"base": "cannot_connect"}
        except CtiError:
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
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, user_input),
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
                self.hass.config_entries.async_update_entry(
                    entry, unique_id=mac, data={**entry.data, CONF_MAC: mac}
                )
                return self.async_abort(reason="already_configured")
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
        return self.async_show_form(
            step_id="discovery_confirm",
            data_schema=self.add_suggested_values_to_schema(
                DISCOVERY_SCHEMA, user_input
            ),
            description_placeholders={"host": self._data[CONF_HOST]},
            errors=errors,
        )

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
