"""Config flow for Grandstream phones."""

from __future__ import annotations

from collections.abc import Mapping
import ipaddress
import re
from typing import Any, override

from homeassistant.components import webhook
from homeassistant.config_entries import (
    SOURCE_DHCP,
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import callback
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
    DetectedPhone,
    Family,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCertificateError,
    GrandstreamConnectionError,
    GrandstreamError,
    GrandstreamHttpsRequiredError,
    GrandstreamUnsupportedError,
)
from .helpers import create_client
from .options_flow import GrandstreamCtiOptionsFlow
from .speed_dial_flow import SpeedDialSubentryFlow
from .speed_dials import SUBENTRY_SPEED_DIAL
from .titles import entry_title, retitled

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


# RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)


def _host(text: str) -> str | None:
    """Return the host as stored: an IP address or a host name, else None."""
    host = text.strip()
    # IPv6 literals are often typed as in a URL, in brackets.
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        labels = host.removesuffix(".").split(".")
        # A numeric last label is a mistyped IPv4 address (192.168.1.300).
        if (
            len(host) <= 253
            and all(_HOST_LABEL.fullmatch(label) for label in labels)
            and not labels[-1].isdigit()
        ):
            return host
        return None
    # A zone index ("%eth0") names an interface of this machine, not the phone.
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id:
        return None
    return str(address)


def _connection(user_input: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return the connection settings of a form and its errors; sections flattened."""
    advanced = user_input.get(CONF_ADVANCED, {})
    errors: dict[str, str] = {}
    port = advanced.get(CONF_PORT)
    # The selector keeps the port within 1..65535, but lets 1.5 through.
    if port is not None and port != int(port):
        errors["base"] = "invalid_port"
    data: dict[str, Any] = {
        CONF_SSL: advanced.get(CONF_SSL, False),
        CONF_VERIFY_SSL: advanced.get(CONF_VERIFY_SSL, True),
        CONF_PORT: int(port) if port and not errors else None,
    }
    if CONF_HOST in user_input:
        if (host := _host(user_input[CONF_HOST])) is None:
            errors[CONF_HOST] = "invalid_host"
        data[CONF_HOST] = host
    return data, errors


def _advanced_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return an entry's connection settings as the section's suggested values."""
    values = {key: data[key] for key in (CONF_SSL, CONF_VERIFY_SSL) if key in data}
    if data.get(CONF_PORT):
        values[CONF_PORT] = data[CONF_PORT]
    return values


class GrandstreamCtiConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a Grandstream phone by address and passcode."""

    VERSION = 1
    # 1.2: speed dials are subentries instead of a list in the options.
    MINOR_VERSION = 2

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> GrandstreamCtiOptionsFlow:
        """Return the flow that shows a phone's Action URLs."""
        return GrandstreamCtiOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Return the flows that add a phone's speed dials."""
        return {SUBENTRY_SPEED_DIAL: SpeedDialSubentryFlow}

    def __init__(self) -> None:
        """Start with nothing known about the phone."""
        self._data: dict[str, Any] = {}
        # The known phone that DHCP saw at another address, and that address.
        self._moving: tuple[ConfigEntry, str] | None = None

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
        except GrandstreamHttpsRequiredError:
            return None, {"base": "https_required"}
        except GrandstreamConnectionError:
            return None, {"base": "cannot_connect"}
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
        return self.async_create_entry(
            title=entry_title(phone.model, phone.family, self._data[CONF_HOST]),
            data=self._data,
        )

    @override
    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the phone's address and passcode."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = _connection(user_input)
            if not errors:
                data[CONF_PASSCODE] = user_input[CONF_PASSCODE]
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
        known = self.hass.config_entries.async_entry_for_domain_unique_id(DOMAIN, mac)
        if known is not None and known.data.get(CONF_HOST) not in (None, host):
            return await self._async_phone_moved(known, host)
        self._abort_if_unique_id_configured()
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
        self.context["title_placeholders"] = {"name": f"Grandstream ({host})"}
        return await self.async_step_discovery_confirm()

    async def _async_phone_moved(
        self, entry: ConfigEntry, host: str
    ) -> ConfigFlowResult:
        """Offer to follow a known phone to a new address, once it looks like it.

        A DHCP packet is easily forged: before the passcode may go to the new
        address, the phone there must name the same model without it, and the
        user must confirm the move.
        """
        # No passcode in this client: the model query needs none.
        client = create_client(
            self.hass, {**entry.data, CONF_HOST: host, CONF_PASSCODE: ""}
        )
        try:
            model = await client.get_phone_model()
        except GrandstreamError:
            return self.async_abort(reason="cannot_connect")
        if model is None or model != entry.data.get(CONF_MODEL):
            return self.async_abort(reason="moved_unverified")
        self._moving = (entry, host)
        self.context["title_placeholders"] = {"name": entry.title}
        return await self.async_step_moved_confirm()

    async def async_step_moved_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the user before moving a known phone to its new address."""
        assert self._moving is not None
        entry, host = self._moving
        if user_input is not None:
            return self.async_update_reload_and_abort(
                entry,
                title=retitled(entry, {**entry.data, CONF_HOST: host}),
                data_updates={CONF_HOST: host},
                reason="moved",
            )
        return self.async_show_form(
            step_id="moved_confirm",
            description_placeholders={
                "name": entry.title,
                "old_host": entry.data[CONF_HOST],
                "new_host": host,
            },
        )

    async def async_step_discovery_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for the passcode of a discovered phone."""
        errors: dict[str, str] = {}
        if user_input is not None:
            connection, errors = _connection(user_input)
            if not errors:
                data = {
                    **self._data,
                    **connection,
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
            description_placeholders={
                "name": entry.title,
                "host": entry.data[CONF_HOST],
            },
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change the phone's address, port or HTTPS settings."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        suggested: Mapping[str, Any] = {
            CONF_HOST: entry.data[CONF_HOST],
            CONF_ADVANCED: _advanced_values(entry.data),
        }
        if user_input is not None:
            suggested = user_input
            connection, errors = _connection(user_input)
            if not errors:
                result, errors = await self._async_reconfigure(entry, connection)
                if result is not None:
                    return result
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                RECONFIGURE_SCHEMA, suggested
            ),
            description_placeholders={"name": entry.title},
            errors=errors,
        )

    async def _async_reconfigure(
        self, entry: ConfigEntry, connection: dict[str, Any]
    ) -> tuple[ConfigFlowResult | None, dict[str, str]]:
        """Store the new settings if they reach the same phone; else the errors."""
        if any(
            other.data[CONF_HOST] == connection[CONF_HOST]
            for other in self._async_current_entries(include_ignore=False)
            if other.entry_id != entry.entry_id
        ):
            return self.async_abort(reason="already_configured"), {}
        data = {**entry.data, **connection}
        # Probe afresh: the answers tell when the address is another phone.
        phone, errors = await self._async_probe({**data, CONF_FAMILY: None})
        if not errors and phone is None:
            phone, errors = await self._async_probe(data)
            if errors.get("base") == "wrong_family":
                return self.async_abort(reason="wrong_device"), {}
        if phone is None:
            return None, errors
        if phone.family.value != entry.data[CONF_FAMILY] or (
            phone.model
            and entry.data.get(CONF_MODEL)
            and phone.model != entry.data[CONF_MODEL]
        ):
            return self.async_abort(reason="wrong_device"), {}
        return self.async_update_reload_and_abort(
            entry, title=retitled(entry, data), data_updates=connection
        ), {}
