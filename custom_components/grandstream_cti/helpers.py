"""Helpers shared by setup, the config flow, entities and actions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Final

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import CONF_FAMILY, CONF_PASSCODE, DOMAIN, REQUEST_TIMEOUT
from .cti import (
    Family,
    Function,
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
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


# Problems the client names in GrandstreamInvalidInputError.code, each with its own message.
INPUT_ERRORS: Final = {
    "empty": "input_empty",
    "required": "input_required",
    "too_long": "input_too_long",
    "keypad_characters": "input_keypad_characters",
    "dial_characters": "input_dial_characters",
    "unknown_key": "input_unknown_key",
    "out_of_range": "input_out_of_range",
    "no_handsets": "input_no_handsets",
    "no_line_choice": "input_no_line_choice",
}
# make_call may "succeed" with a failure code (device-notes, Phone operations).
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
    name = {"name": entry.title}
    try:
        yield
    except GrandstreamInvalidInputError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key=INPUT_ERRORS.get(err.code, "invalid_input"),
            translation_placeholders={
                **name,
                "field": err.field,
                "reason": err.reason,
                "value": str(err.value),
                **err.placeholders,
            },
        ) from err
    except GrandstreamUnsupportedError as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unsupported",
            translation_placeholders={**name, "reason": str(err)},
        ) from err
    except GrandstreamAccessDeniedError as err:
        # CTI is off or this host is not allowed: a new passcode would not help.
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="access_denied",
            translation_placeholders=name,
        ) from err
    except GrandstreamAuthenticationError as err:
        # The phone stopped taking the passcode: ask the user for the new one.
        entry.async_start_reauth(hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="invalid_auth",
            translation_placeholders=name,
        ) from err
    except GrandstreamConnectionError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={**name, "error": str(err)},
        ) from err
    except GrandstreamCommandRejectedError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key=_rejection(err),
            translation_placeholders={**name, "body": str(err.body)},
        ) from err
    except GrandstreamError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="communication_error",
            translation_placeholders={**name, "error": str(err)},
        ) from err
