"""Media player for the local music of GSC speakers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self, override

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
from homeassistant.helpers.restore_state import ExtraStoredData, RestoreEntity

from .const import DOMAIN
from .coordinator import GrandstreamCtiConfigEntry, GrandstreamCtiCoordinator
from .cti import GrandstreamError, MusicFile
from .entity import GrandstreamCtiEntity
from .helpers import device_name, translate_cti_errors
from .music import GscMusic, Playback, refuse_in_night_mode

PARALLEL_UPDATES = 1

MUSIC = MediaPlayerEntityDescription(
    key="music",
    translation_key="music",
    device_class=MediaPlayerDeviceClass.SPEAKER,
)

# What the player shows for each commanded playback. A file played once is
# "on": the speaker never tells when it ends, so "playing" would last forever.
PLAYBACK_STATES = {
    Playback.STOPPED: MediaPlayerState.IDLE,
    Playback.ONCE: MediaPlayerState.ON,
    Playback.LOOP: MediaPlayerState.PLAYING,
}


@dataclass(frozen=True, kw_only=True)
class MusicRestoreData(ExtraStoredData):
    """What was last commanded, kept across restarts of Home Assistant."""

    selected: MusicFile | None
    playback: Playback
    repeat: RepeatMode

    def as_dict(self) -> dict[str, Any]:
        """Return the data as stored."""
        selected = self.selected
        return {
            "file": {"name": selected.name, "path": selected.path}
            if selected
            else None,
            "playback": self.playback.value,
            "repeat": self.repeat.value,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self | None:
        """Return the stored data, or None if it cannot be read."""
        try:
            file = data["file"]
            return cls(
                selected=MusicFile(name=str(file["name"]), path=str(file["path"]))
                if file
                else None,
                playback=Playback(data["playback"]),
                repeat=RepeatMode(data["repeat"]),
            )
        except KeyError, TypeError, ValueError:
            return None


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
            translation_placeholders={"name": device_name(hass, entry)},
        ) from err
    async_add_entities([GrandstreamMusicPlayer(entry.runtime_data.coordinator, music)])


class GrandstreamMusicPlayer(GrandstreamCtiEntity, MediaPlayerEntity, RestoreEntity):
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
        """Take back what was commanded before a restart."""
        await super().async_added_to_hass()
        if (stored := await self.async_get_last_extra_data()) and (
            restored := MusicRestoreData.from_dict(stored.as_dict())
        ):
            self.music.restore(
                selected=restored.selected,
                playback=restored.playback,
                repeat=restored.repeat,
            )

    @property
    @override
    def extra_restore_state_data(self) -> MusicRestoreData:
        """Return what was last commanded, to restore after a restart."""
        music = self.music
        return MusicRestoreData(
            selected=music.selected, playback=music.playback, repeat=music.repeat
        )

    @property
    def _placeholders(self) -> dict[str, str]:
        """Return what messages about the speaker name."""
        return {"name": device_name(self.hass, self.coordinator.config_entry)}

    @property
    @override
    def state(self) -> MediaPlayerState:
        """Return what was last commanded: looping, played once, or stopped."""
        return PLAYBACK_STATES[self.music.playback]

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
        refuse_in_night_mode(self.music, self._placeholders)
        if (file := self.music.find(source)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_music_file",
                translation_placeholders={
                    **self._placeholders,
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
                translation_placeholders=self._placeholders,
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
