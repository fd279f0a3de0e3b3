"""Tests for what the phone's entities are named, added as a user adds a phone."""

from __future__ import annotations

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
import pytest

from custom_components.grandstream_cti.const import CONF_ADVANCED, CONF_PASSCODE, DOMAIN

from .conftest import MODELS, PASSCODE
from .simulator import PhoneSimulator

# The longest id a phone's entity gets: a DECT base's account registration.
LONGEST_ENTITY_ID = len("binary_sensor.dp750_account_1_registered")


async def add_phone(
    hass: HomeAssistant, entity_registry: er.EntityRegistry, simulator: PhoneSimulator
) -> list[str]:
    """Add the phone as a user does, by address and passcode; return its entity ids."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: simulator.host,
            CONF_PASSCODE: PASSCODE,
            CONF_ADVANCED: {CONF_PORT: simulator.port},
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    return sorted(
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            entity_registry, result["result"].entry_id
        )
    )


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("model", MODELS)
async def test_entity_ids_short(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: PhoneSimulator,
    model: str,
) -> None:
    """Name every entity after the model, or the family when the phone does not say."""
    entity_ids = await add_phone(hass, entity_registry, simulator)

    # The GRP2616 does not answer the model query (as new GRP firmware).
    prefix = "grp" if model == "GRP2616" else model.lower()
    assert entity_ids
    for entity_id in entity_ids:
        assert entity_id.split(".")[1].startswith(f"{prefix}_"), entity_id
        assert len(entity_id) <= LONGEST_ENTITY_ID, entity_id


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("model", ["GRP2616"])
async def test_grp_entity_ids(
    hass: HomeAssistant,
    entity_registry: er.EntityRegistry,
    simulator: PhoneSimulator,
) -> None:
    """Give a GRP that does not tell its model the family's short name."""
    assert await add_phone(hass, entity_registry, simulator) == [
        "binary_sensor.grp_account_1_registered",
        "binary_sensor.grp_account_2_registered",
        "binary_sensor.grp_account_3_registered",
        "binary_sensor.grp_in_call",
        "binary_sensor.grp_ringing",
        "button.grp_restart",
        "event.grp_call",
        "sensor.grp_caller",
        *(f"sensor.grp_line_{line}" for line in range(1, 7)),
        "sensor.grp_phone_status",
        "switch.grp_do_not_disturb",
    ]
