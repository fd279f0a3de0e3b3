"""Helpers shared by the integration's tests."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)


async def setup_platform(
    hass: HomeAssistant, entry: MockConfigEntry, platform: Platform
) -> None:
    """Set up the integration with one of its platforms only."""
    entry.add_to_hass(hass)
    with patch("custom_components.grandstream_cti.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    """Let time pass and wait for what became due, polls included."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def next_state(hass: HomeAssistant, entity_id: str) -> asyncio.Future[State]:
    """Return a future for the entity's next state."""
    future: asyncio.Future[State] = hass.loop.create_future()

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        if not future.done() and (state := event.data["new_state"]) is not None:
            future.set_result(state)

    unsubscribe = async_track_state_change_event(hass, entity_id, changed)
    future.add_done_callback(lambda _: unsubscribe())
    return future
