"""Tests of adding a phone however it answers a function it lacks, or plain HTTP."""

from __future__ import annotations

import itertools
from typing import Any

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest

from custom_components.grandstream_cti.const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_MODEL,
    CONF_PASSCODE,
    DOMAIN,
)

from .common import assert_form
from .conftest import MODELS, PASSCODE
from .simulator import Faults, PhoneSimulator, UnknownFunctionAnswer

# No guide says how a phone answers a function it lacks: each is plausible.
UNKNOWN_FUNCTION_ANSWERS: tuple[UnknownFunctionAnswer, ...] = (
    "http404",
    "error",
    "html",
)


def user_input(simulator: PhoneSimulator) -> dict[str, Any]:
    """Return the user step's input for a simulated phone, over plain HTTP."""
    return {
        CONF_HOST: simulator.host,
        CONF_PASSCODE: PASSCODE,
        CONF_ADVANCED: {CONF_PORT: simulator.port},
    }


async def submit(hass: HomeAssistant, simulator: PhoneSimulator) -> dict[str, Any]:
    """Open the user step and submit the phone's address and passcode."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return dict(
        await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input(simulator)
        )
    )


@pytest.mark.parametrize(
    ("model", "model_query", "answer"),
    itertools.product(MODELS, (True, False), UNKNOWN_FUNCTION_ANSWERS),
)
async def test_user_flow_detects_family(
    hass: HomeAssistant,
    socket_enabled: None,
    model: str,
    model_query: bool,
    answer: UnknownFunctionAnswer,
) -> None:
    """Every model is added with its family, whatever it answers to the rest."""
    async with PhoneSimulator(
        model,
        passcode=PASSCODE,
        model_query=model_query,
        unknown_function_answer=answer,
    ) as simulator:
        result = await submit(hass, simulator)

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == simulator.family.lower()
    assert result["data"][CONF_MODEL] == (model if model_query else None)


@pytest.mark.parametrize("answer", UNKNOWN_FUNCTION_ANSWERS)
async def test_user_flow_unknown_firmware_asks_family(
    hass: HomeAssistant, socket_enabled: None, answer: UnknownFunctionAnswer
) -> None:
    """A phone no probe can place leads to the family picker, never an error."""
    async with PhoneSimulator(
        "GSC3516",
        passcode=PASSCODE,
        model_query=False,
        unknown_function_answer=answer,
    ) as simulator:
        # Firmware without api-get_music: nothing tells it is a GSC.
        simulator.faults = Faults(missing_functions=frozenset({"api-get_music"}))
        result = await submit(hass, simulator)
        assert_form(result, "family", {})

        # A family whose status reads it lacks is refused as the wrong family.
        for wrong in ("gxp", "grp", "dp"):
            result = dict(
                await hass.config_entries.flow.async_configure(
                    result["flow_id"], {CONF_FAMILY: wrong}
                )
            )
            assert result["type"] is FlowResultType.FORM
            assert result["errors"] == {"base": "wrong_family"}

        result = dict(
            await hass.config_entries.flow.async_configure(
                result["flow_id"], {CONF_FAMILY: "gsc"}
            )
        )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_FAMILY] == "gsc"


@pytest.mark.parametrize("model", MODELS)
async def test_user_flow_https_redirect(
    hass: HomeAssistant, socket_enabled: None, model: str
) -> None:
    """A phone that redirects plain HTTP to HTTPS: say so, and to use HTTPS."""
    async with PhoneSimulator(
        model, passcode=PASSCODE, redirect_to_https=True
    ) as simulator:
        result = await submit(hass, simulator)

    assert_form(result, "user", {"base": "https_required"})
    # Only the model query, which carries no passcode, went over plain HTTP.
    assert [request.params for request in simulator.requests] == [
        {"request": "phone_model"}
    ]


@pytest.mark.parametrize("model", ["GRP2616"])
async def test_family_step_https_redirect(
    hass: HomeAssistant, socket_enabled: None, model: str
) -> None:
    """Checking a family picked by hand tells a redirect apart too."""
    async with PhoneSimulator(model, passcode=PASSCODE) as simulator:
        simulator.faults = Faults(
            missing_functions=frozenset({"api-get_line_status", "api-get_accounts"})
        )
        result = await submit(hass, simulator)
        assert result["step_id"] == "family"

        simulator.redirect_to_https = True
        result = dict(
            await hass.config_entries.flow.async_configure(
                result["flow_id"], {CONF_FAMILY: "grp"}
            )
        )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "https_required"}
