"""Let the same tests run on Home Assistant 2026.10.4 and 2026.11.

pytest-homeassistant-custom-component 0.13.375, the newest harness, is built
for Home Assistant 2026.10.4. On 2026.11, scripts/test loads this module as
the first plugin (`python -m pytest -p tests.compat`), before the harness's
own; its shims change nothing on 2026.10. conftest.py takes the snapshot
format from here.
"""

# Home Assistant 2026.11 replaces httpx by httpx2 and, when `homeassistant` is
# first imported, makes the name httpx an alias of it; that fails once httpx
# itself is loaded, and the harness imports respx (which imports httpx) before
# Home Assistant. So Home Assistant is imported first, here.
import homeassistant  # noqa: F401

# isort: split
# The harness patches Home Assistant's JSON, recorder and time helpers before
# it imports any integration; do the same, in its order, before the logger
# integration is loaded below.
import pytest_homeassistant_custom_component.patch_json
import pytest_homeassistant_custom_component.patch_recorder
import pytest_homeassistant_custom_component.patch_time  # noqa: F401

# isort: split
from collections.abc import Callable
from typing import Any

import homeassistant.components.logger
from homeassistant.components.logger import helpers as logger_helpers
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er, restore_state as rs
from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)
from syrupy.types import SerializableData

# Home Assistant 2026.11 moved _clear_logger_overwrites from the logger
# integration's package to its helpers module, where the harness does not look.
# The harness's own private import, so the private names (SLF001).
if not hasattr(homeassistant.components.logger, "_clear_logger_overwrites"):
    homeassistant.components.logger._clear_logger_overwrites = (  # type: ignore[attr-defined]  # noqa: SLF001
        logger_helpers._clear_logger_overwrites  # noqa: SLF001
    )

# isort: split
# The harness's helpers import the logger integration's name shimmed above.
from pytest_homeassistant_custom_component import common  # noqa: E402


def _by_entity_id[**P](
    mock: Callable[P, None],
) -> Callable[P, None]:
    """Return the harness's restore-cache mock, indexed as 2026.11 looks states up."""

    def mock_by_entity_id(*args: P.args, **kwargs: P.kwargs) -> None:
        mock(*args, **kwargs)
        hass: HomeAssistant = args[0]  # type: ignore[assignment]
        data: Any = hass.data[rs.DATA_RESTORE_STATE]
        # As RestoreStateData.async_setup leaves states of entities not yet
        # registered: by entity id, moved to the registry id on registration.
        data.last_states_by_entity_id = dict(data.last_states)
        hass.bus.async_listen(
            er.EVENT_ENTITY_REGISTRY_UPDATED,
            data._async_entity_registry_entry_created,  # noqa: SLF001
            event_filter=rs._entity_registry_entry_created_filter,  # type: ignore[attr-defined]  # noqa: SLF001
        )

    return mock_by_entity_id


# Home Assistant 2026.11 looks restored states up in last_states_by_entity_id
# and by entity registry id instead of in last_states, which the harness's
# restore cache mocks still fill. Tests import the mocks from the harness's
# module, so they are replaced there.
if "last_states_by_entity_id" in rs.RestoreStateData.__init__.__code__.co_names:
    common.mock_restore_cache = _by_entity_id(common.mock_restore_cache)
    common.mock_restore_cache_with_extra_data = _by_entity_id(
        common.mock_restore_cache_with_extra_data
    )


class SnapshotSerializer(HomeAssistantSnapshotSerializer):
    """Home Assistant's serializer, without fields only some releases have."""

    @classmethod
    def _serializable_entity_registry_entry(
        cls, data: er.RegistryEntry
    ) -> SerializableData:
        """Leave out compat_name, which entity registry entries have from 2026.11."""
        serialized = super()._serializable_entity_registry_entry(data)
        assert isinstance(serialized, dict)
        # A name Home Assistant keeps for entities named before 2026.11; it is
        # None for every entity a test creates, and absent on 2026.10.
        serialized.pop("compat_name", None)
        return serialized


class SnapshotExtension(HomeAssistantSnapshotExtension):
    """Home Assistant's snapshot format, the same on 2026.10 and 2026.11."""

    serializer_class = SnapshotSerializer
