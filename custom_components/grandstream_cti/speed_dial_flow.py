"""Subentry flow: add or change one speed dial of a phone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import ConfigSubentryFlow, SubentryFlowResult
from homeassistant.const import CONF_NAME
from homeassistant.helpers.selector import (
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)
import probatio

from .cti import GrandstreamInvalidInputError
from .helpers import create_client
from .speed_dials import CONF_NUMBER, find_speed_dial, get_speed_dials

SPEED_DIAL_SCHEMA = probatio.Schema(
    {
        probatio.Required(CONF_NAME): TextSelector(),
        probatio.Required(CONF_NUMBER): TextSelector(
            TextSelectorConfig(type=TextSelectorType.TEL)
        ),
    }
)


class SpeedDialSubentryFlow(ConfigSubentryFlow):
    """Add a speed dial, or change its name or number."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a speed dial; the phone reloads with its button."""
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = self._check(user_input, None)
            if not errors:
                return self.async_create_entry(title=data[CONF_NAME], data=data)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(
                SPEED_DIAL_SCHEMA, user_input
            ),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a speed dial; its button keeps its entity id."""
        subentry = self._get_reconfigure_subentry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = self._check(user_input, subentry.subentry_id)
            if not errors:
                return self.async_update_and_abort(
                    self._get_entry(), subentry, title=data[CONF_NAME], data=data
                )
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                SPEED_DIAL_SCHEMA, user_input or subentry.data
            ),
            description_placeholders={"name": subentry.title},
            errors=errors,
        )

    def _check(
        self, user_input: Mapping[str, Any], editing: str | None
    ) -> tuple[dict[str, str], dict[str, str]]:
        """Return the cleaned name and number, and the form errors."""
        entry = self._get_entry()
        errors: dict[str, str] = {}
        name = " ".join(user_input[CONF_NAME].split())
        number = ""
        others = (sd for sd in get_speed_dials(entry) if sd.id != editing)
        if not name:
            errors[CONF_NAME] = "name_required"
        elif find_speed_dial(others, name):
            # The dial action and Assist find speed dials by their name.
            errors[CONF_NAME] = "name_taken"
        try:
            # Numbers are checked as the phone's family dials them.
            number = create_client(self.hass, entry.data).validate_number(
                user_input[CONF_NUMBER]
            )
        except GrandstreamInvalidInputError as err:
            # Each problem validate_number names has its own message.
            errors[CONF_NUMBER] = err.code
        return {CONF_NAME: name, CONF_NUMBER: number}, errors
