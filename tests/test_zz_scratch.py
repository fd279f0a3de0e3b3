"""Scratch."""
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_HOST, CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
import pytest
from custom_components.grandstream_cti.const import CONF_ADVANCED, CONF_PASSCODE, DOMAIN
from .conftest import PASSCODE, MODELS
from .simulator import PhoneSimulator


@pytest.mark.usefixtures("entity_registry_enabled_by_default")
@pytest.mark.parametrize("model", MODELS)
async def test_ids(hass: HomeAssistant, simulator: PhoneSimulator) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: simulator.host, CONF_PASSCODE: PASSCODE, CONF_ADVANCED: {CONF_PORT: simulator.port}}
    )
    await hass.async_block_till_done()
    print()
    for e in sorted(er.async_get(hass).entities.values(), key=lambda e: e.entity_id):
        print(e.entity_id, e.unique_id.split("_",1)[1])
