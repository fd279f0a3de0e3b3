"""Tests for the buttons of Grandstream phones."""

from __future__ import annotations

from homeassistant.components.button import DOMAIN as BUTTON_DOMAIN, SERVICE_PRESS
from homeassistant.const import ATTR_ENTITY_ID, Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from custom_components.grandstream_cti.const import DOMAIN

from .common import setup_platform
from .conftest import ENTRY_ID, MODELS, PASSCODE
from .simulator import PhoneSimulator, RecordedRequest


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("model", MODELS)
async def test_entities(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Give every model a restart button."""
    await setup_platform(hass, mock_config_entry, Platform.BUTTON)

    await snapshot_platform(hass, entity_registry, snapshot, ENTRY_ID)


@pytest.mark.parametrize(
    ("model", "entity_id"),
    [("GXP2170", "button.gxp2170_restart"), ("DP750", "button.dp750_restart")],
)
async def test_reboot(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    entity_id: str,
) -> None:
    """Send exactly one REBOOT request."""
    simulator.clear_requests()

    await hass.services.async_call(
        BUTTON_DOMAIN, SERVICE_PRESS, {ATTR_ENTITY_ID: entity_id}, blocking=True
    )

    assert simulator.requests == [
        RecordedRequest(
            method="GET",
            path="/cgi-bin/api-sys_operation",
            function="api-sys_operation",
            params={"passcode": PASSCODE, "request": "REBOOT"},
            raw_query="passcode=s3cret%26pass%23word&request=REBOOT",
        )
    ]
    assert not simulator.online


async def test_reboot_refused(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Report a refused reboot in the user's words; the phone stays up."""
    simulator.faults.command_errors = {"REBOOT": "unknown"}

    with pytest.raises(HomeAssistantError) as raised:
        await hass.services.async_call(
            BUTTON_DOMAIN,
            SERVICE_PRESS,
            {ATTR_ENTITY_ID: "button.gxp2170_restart"},
            blocking=True,
        )

    assert raised.value.translation_domain == DOMAIN
    assert raised.value.translation_key == "command_rejected"
    assert str(raised.value) == (
        "GXP2170 refused the request. Check that it can do it now: for example, "
        "that a call is ringing before you accept it"
    )
    assert PASSCODE not in str(raised.value)
    assert simulator.online


async def test_reboot_offline(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Report a phone that cannot be reached."""
    await simulator.go_offline()

    with pytest.raises(HomeAssistantError) as raised:
        await hass.services.async_call(
            BUTTON_DOMAIN,
            SERVICE_PRESS,
            {ATTR_ENTITY_ID: "button.gxp2170_restart"},
            blocking=True,
        )

    assert raised.value.translation_key == "cannot_connect"
    assert str(raised.value).startswith("Could not reach GXP2170. Check that it is")
