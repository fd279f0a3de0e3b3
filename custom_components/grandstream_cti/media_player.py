"""Media player for the local music of GSC speakers."""

from __future__ import annotations

from typing import override

from homeassistant.components.media_player import (
    MediaPlayerDeviceClass,
    MediaPlayerEntity,
    MediaPlayerEntityDescription,
    MediaPlayerEntityFeature,
    MediaPlayerState,
    RepeatMode,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import PlatformNotReady, ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .const import DOMAIN
from .coordinator import GrandstreamCtiConfigEntry, GrandstreamCtiCoordinator
from .cti import GrandstreamError
from .entity import GrandstreamCtiEntity
from .helpers import translate_cti_errors
from .music import GscMusic

PARALLEL_UPDATES = 1

MUSIC = MediaPlayerEntityDescription(
    key="music",
    translation_key="music",
    device_class=MediaPlayerDeviceClass.SPEAKER,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GrandstreamCtiConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Set up the music player of a GSC speaker."""
    if (music := entry.runtime_data.music) is None:
        return
    try:
        await music.async_refresh()
    except GrandstreamError as err:
        raise PlatformNotReady(
            translation_domain=DOMAIN,
            translation_key="music_list_failed",
            translation_placeholders={"name": entry.title, "error": str(err)},
        ) from err
    async_add_entities([GrandstreamMusicPlayer(entry.runtime_data.coordinator, music)])


class GrandstreamMusicPlayer(GrandstreamCtiEntity, MediaPlayerEntity):
    """Play the music files stored on a GSC speaker."""

    # The speaker cannot tell what it plays: the state is what was commanded.
    _attr_assumed_state = True
    _attr_supported_features = (
        MediaPlayerEntityFeature.PLAY
        | MediaPlayerEntityFeature.STOP
        | MediaPlayerEntityFeature.SELECT_SOURCE
        | MediaPlayerEntityFeature.REPEAT_SET
    )

    def __init__(self, coordinator: GrandstreamCtiCoordinator, music: GscMusic) -> None:
        """Attach the player to the speaker's music."""
        super().__init__(coordinator, MUSIC)
        self.music = music

    @override
    async def async_added_to_hass(self) -> None:
        """Follow what the actions and the player command."""
        await super().async_added_to_hass()
        self.async_on_remove(self.music.async_add_listener(self.async_write_ha_state))

    @property
    @override
    def state(self) -> MediaPlayerState:
        """Return playing or idle, as last commanded."""
        return MediaPlayerState.PLAYING if self.music.playing else MediaPlayerState.IDLE

    @property
    @override
    def source(self) -> str | None:
        """Return the file last played."""
        return self.music.selected.name if self.music.selected else None

    @property
    @override
    def source_list(self) -> list[str]:
        """Return the music files the speaker listed."""
        return [file.name for file in self.music.files]

    @property
    @override
    def repeat(self) -> RepeatMode:
        """Return whether files loop."""
        return self.music.repeat

    @override
    async def async_select_source(self, source: str) -> None:
        """Play a music file."""
        if (file := self.music.find(source)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_music_file",
                translation_placeholders={
                    "name": self.coordinator.config_entry.title,
                    "file": source,
                    "files": ", ".join(self.source_list) or "-",
                },
            )
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.music.async_play(file, loop=self.music.loop)

    @override
    async def async_media_play(self) -> None:
        """Play the file last played again."""
        if self.music.selected is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="no_music_selected",
                translation_placeholders={"name": self.coordinator.config_entry.title},
            )
        await self.async_select_source(self.music.selected.name)

    @override
    async def async_media_stop(self) -> None:
        """Stop the music."""
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.music.async_stop()

    @override
    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        """Loop files or play them once."""
        async with translate_cti_errors(self.hass, self.coordinator.config_entry):
            await self.music.async_set_repeat(repeat)
