"""Helpers shared by setup, the config flow, entities and actions."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_SSL, CONF_VERIFY_SSL
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .const import CONF_FAMILY, CONF_PASSCODE, DOMAIN, REQUEST_TIMEOUT
from .cti import (
    CannotConnect,
    CommandRejected,
    CtiError,
    Family,
    GrandstreamCti,
    InvalidAuth,
    InvalidInput,
    Unsupported,
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


@asynccontextmanager
async def translate_cti_errors(
    hass: HomeAssistant, entry: ConfigEntry[Any]
) -> AsyncIterator[None]:
    """Turn CTI client errors into Home Assistant errors for an action."""
    name = {"name": entry.title}
    try:
        yield
    except InvalidInput as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_input",
            translation_placeholders={"field": err.field, "reason": err.reason},
        ) from err
    except Unsupported as err:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unsupported",
            translation_placeholders={**name, "reason": str(err)},
        ) from err
    except InvalidAuth as err:
        # The phone stopped taking the passcode: ask the user for the new one.
        entry.async_start_reauth(hass)
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="invalid_auth",
            translation_placeholders=name,
        ) from err
    except CannotConnect as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="cannot_connect",
            translation_placeholders={**name, "error": str(err)},
        ) from err
    except CommandRejected as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_rejected",
            translation_placeholders={**name, "body": str(err.body)},
        ) from err
    except CtiError as err:
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="communication_error",
            translation_placeholders={**name, "error": str(err)},
        ) from err
