"""Tests for the device triggers of Grandstream phones."""

from __future__ import annotations

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import automation
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.grandstream_cti.const import DOMAIN, SCAN_INTERVAL
from custom_components.grandstream_cti.entity import handset_identifier

from .common import tick
from .conftest import ENTRY_ID
from .push_helpers import paste_action_urls, shown_by_push, webhook_path
from .simulator import PhoneSimulator

TYPES = ("incoming", "answered", "missed", "ended")


def _ours(triggers: list[dict[str, str]]) -> list[dict[str, str]]:
    """Return the integration's own triggers, not those of its entities."""
    return [trigger for trigger in triggers if trigger["domain"] == DOMAIN]


async def _automate(hass: HomeAssistant, device_id: str) -> list[ServiceCall]:
    """Set up one automation per trigger type; return the calls they make."""
    calls = async_mock_service(hass, "test", "automation")
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "triggers": {
                        "trigger": "device",
                        "domain": DOMAIN,
                        "device_id": device_id,
                        "type": trigger_type,
                    },
                    "actions": {
                        "action": "test.automation",
                        "data": {
                            "call": f"{trigger_type} {{{{ trigger.event.data.number }}}}"
                        },
                    },
                }
                for trigger_type in TYPES
            ]
        },
    )
    return calls


@pytest.mark.parametrize(
    ("model", "types"),
    [
        ("GXP2170", ("incoming", "outgoing", "answered", "missed", "ended")),
        ("DP750", ("incoming", "outgoing", "answered", "missed", "ended")),
        # A speaker's phone status never tells an outgoing call.
        ("GSC3516", ("incoming", "answered", "missed", "ended")),
    ],
)
async def test_get_triggers(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    init_integration: MockConfigEntry,
    types: tuple[str, ...],
) -> None:
    """A phone offers the call events its family can produce."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )

    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, device.id
    )

    assert _ours(triggers) == [
        {
            "platform": "device",
            "domain": DOMAIN,
            "device_id": device.id,
            "type": trigger_type,
            "metadata": {},
        }
        for trigger_type in types
    ]


@pytest.mark.parametrize("model", ["DP750"])
async def test_handsets_have_none(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    init_integration: MockConfigEntry,
) -> None:
    """A DECT handset's calls are its base's: it offers no triggers of its own."""
    handset = device_registry.async_get_child_device_by_identifier(
        (DOMAIN, handset_identifier(init_integration, 1)), ENTRY_ID
    )

    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, handset.id
    )

    assert _ours(triggers) == []


async def test_pushed_calls_trigger(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """Automations run the moment the phone pushes, each on its own type."""
    calls = await _automate(hass, init_integration.runtime_data.device_id)
    await paste_action_urls(
        hass, init_integration, simulator, await hass_client_no_auth()
    )
    ringing = "binary_sensor.gxp2170_ringing"
    in_call = "binary_sensor.gxp2170_in_call"
    station = simulator.state.station()

    await shown_by_push(
        hass, simulator, ringing, lambda: simulator.incoming_call("1030")
    )
    await shown_by_push(
        hass,
        simulator,
        in_call,
        lambda: simulator.state.answer(station, station.lines[0]),
    )
    await shown_by_push(hass, simulator, in_call, lambda: simulator.remote_hangup(1))
    await shown_by_push(
        hass, simulator, ringing, lambda: simulator.incoming_call("1031")
    )
    await shown_by_push(hass, simulator, ringing, lambda: simulator.remote_hangup(1))

    assert [call.data["call"] for call in calls] == [
        "incoming 1030",
        "answered 1030",
        "ended 1030",
        "incoming 1031",
        "missed 1031",
    ]


async def test_polled_calls_trigger(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
) -> None:
    """Without push, a missed call seen polling runs the automation once."""
    calls = await _automate(hass, init_integration.runtime_data.device_id)

    simulator.incoming_call("1032")
    await tick(hass, freezer, SCAN_INTERVAL)
    simulator.remote_hangup(1)
    await tick(hass, freezer, SCAN_INTERVAL)
    await tick(hass, freezer, SCAN_INTERVAL)

    assert [call.data["call"] for call in calls] == ["incoming 1032", "missed 1032"]


# Home Assistant refuses a trigger for a device that does not exist.
@pytest.mark.allowed_errors("Unknown device 'another-device'")
async def test_other_devices_do_not_trigger(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
) -> None:
    """A trigger is for its own phone's calls only."""
    calls = await _automate(hass, "another-device")
    client = await hass_client_no_auth()

    await client.get(f"{webhook_path(init_integration)}?event=incoming&remote=1")
    await hass.async_block_till_done()

    assert calls == []
