"""Helpers shared by setup, the config flow, entities and actions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import CONF_FAMILY, CONF_PASSCODE, DOMAIN, REQUEST_TIMEOUT
from .cti import (
    Family,
    Function,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCertificateError,
    GrandstreamCommandRejectedError,
    GrandstreamConnectionError,
    GrandstreamCti,
    GrandstreamError,
    GrandstreamInvalidInputError,
    GrandstreamUnsupportedError,
)


def create_client(hass: HomeAssistant, data: Mapping[str, Any]) -> GrandstreamCti:
    """Return a CTI client for the settings of a config entry or flow."""
    family = data.get(CONF_FAMILY)
    return GrandstreamCti(
        data[CONF_HOST],
        data[CONF_PASSCODE],
        session=async_get_clientsession(hass),
        family=Family(family) if family else None,
        port=data.get(CONF_PORT),
        https=data.get(CONF_SSL, False),
        verify_ssl=data.get(CONF_VERIFY_SSL, True),
        timeout=REQUEST_TIMEOUT,
    )


def input_error_key(err: GrandstreamInvalidInputError) -> str:
    """Return the translation key of an action's refused input: `input_<code>`."""
    # The client names each problem in its code: a new code needs a text only.
    return f"input_{err.code}"


def device_name(hass: HomeAssistant, entry: ConfigEntry[Any]) -> str:
    """Return the phone's name as the user sees it: renamed, else as named."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    if device is None:
        return entry.title
    return device.name_by_user or device.name or entry.title


def mute_toggled_signal(entry: ConfigEntry[Any]) -> str:
    """Return the dispatcher signal of a call mute toggled on a phone."""
    return f"{DOMAIN}_{entry.entry_id}_mute_toggled"


# The translation key of each error the phone's answer (or silence) causes,
# the first that fits: a certificate error is a connection error too, and CTI
# off or this host not allowed is no passcode problem.
_ERROR_KEYS: Final[tuple[tuple[type[GrandstreamError], str], ...]] = (
    (GrandstreamAccessDeniedError, "access_denied"),
    (GrandstreamAuthenticationError, "invalid_auth"),
    (GrandstreamCertificateError, "certificate_error"),
    (GrandstreamConnectionError, "cannot_connect"),
)

# make_call may "succeed" with a failure code (Grandstream's GRP Click2Dial code).
CALL_CODES: Final = {2: "call_no_dial_plan_match", 8: "call_lines_busy"}


def _rejection(err: GrandstreamCommandRejectedError) -> str:
    """Return the translation key that explains why the phone refused a request."""
    body = err.body
    if err.function == Function.MAKE_CALL:
        if isinstance(body, str) and body.lower() == "invalid request":
            return "call_refused"
        code = body.get("code") if isinstance(body, dict) else None
        if isinstance(code, int) and code in CALL_CODES:
            return CALL_CODES[code]
    return "command_rejected"


@asynccontextmanager
async def translate_cti_errors(
    hass: HomeAssistant, entry: ConfigEntry[Any]
) -> AsyncIterator[None]:
    """Turn CTI client errors into Home Assistant errors for an action."""
    try:
        yield
    except GrandstreamError as err:
        raise cti_error(hass, entry, err) from err


def cti_error(
    hass: HomeAssistant, entry: ConfigEntry[Any], err: GrandstreamError
) -> HomeAssistantError:
    """Return a CTI client error as a translated error a user can act on."""
    name = {"name": device_name(hass, entry)}
    # Messages carry no exception text: it names Python types and addresses.
    if isinstance(err, GrandstreamInvalidInputError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=input_error_key(err),
            translation_placeholders={
                **name,
                "field": err.field,
                "value": str(err.value),
                **err.placeholders,
            },
        )
    if isinstance(err, GrandstreamUnsupportedError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unsupported",
            translation_placeholders=name,
        )
    if isinstance(err, GrandstreamCommandRejectedError):
        key = _rejection(err)
    else:
        key = next(
            (key for kind, key in _ERROR_KEYS if isinstance(err, kind)),
            "communication_error",
        )
    if key == "invalid_auth":
        # The phone stopped taking the passcode: ask the user for the new one.
        entry.async_start_reauth(hass)
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=name,
    )
