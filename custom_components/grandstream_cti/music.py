"""Local music of a GSC speaker: its files, what was last commanded, night mode."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from homeassistant.components.media_player import RepeatMode
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .cti import GrandstreamCti, MusicFile


class Playback(StrEnum):
    """What Home Assistant last told the speaker to do with its music."""

    STOPPED = "stopped"
    # Played once (loop=0): the speaker never says when the file ends.
    ONCE = "once"
    # Played in a loop (loop=1): it plays until stopped.
    LOOP = "loop"


class GscMusic:
    """The music files a GSC speaker listed, and the playback asked of it.

    The speaker cannot say what it is playing: the state is what Home
    Assistant last commanded, shared by the actions, the media player and
    the night mode switch. Each change is shown through the coordinator's
    listeners, as a poll would be.
    """

    def __init__(self, client: GrandstreamCti, changed: Callable[[], None]) -> None:
        """Start with no files known and nothing playing."""
        self.client = client
        self.files: tuple[MusicFile, ...] = ()
        # The file last played: what play resumes, and what stop names.
        self.selected: MusicFile | None = None
        self.playback = Playback.STOPPED
        # The speaker loops one file or plays it once: ALL and ONE both loop.
        self.repeat = RepeatMode.OFF
        # While on, nothing plays: the night mode switch keeps it.
        self.night_mode = False
        self._changed = changed

    def find(self, file: str) -> MusicFile | None:
        """Return a listed file by its name or its path."""
        wanted = file.strip()
        return next(
            (music for music in self.files if wanted in (music.name, music.path)),
            None,
        )

    def restore(
        self, *, selected: MusicFile | None, playback: Playback, repeat: RepeatMode
    ) -> None:
        """Take back what was commanded before Home Assistant restarted."""
        # A restart of Home Assistant does not stop the speaker.
        self.selected, self.playback, self.repeat = selected, playback, repeat

    async def async_refresh(self) -> tuple[MusicFile, ...]:
        """Read the list of music files from the speaker."""
        self.files = await self.client.get_music()
        self._changed()
        return self.files

    @property
    def loop(self) -> bool:
        """Return whether files play in a loop."""
        return self.repeat is not RepeatMode.OFF

    async def async_play(self, music: MusicFile, *, loop: bool) -> None:
        """Play a file, once or in a loop."""
        await self.client.play_music(music.path, loop=loop)
        self.selected = music
        self.playback = Playback.LOOP if loop else Playback.ONCE
        if loop != self.loop:
            self.repeat = RepeatMode.ALL if loop else RepeatMode.OFF
        self._changed()

    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        """Loop or not; a file that is playing starts again to follow."""
        loop = repeat is not RepeatMode.OFF
        if (
            self.playback is not Playback.STOPPED
            and self.selected
            and loop != self.loop
        ):
            await self.client.play_music(self.selected.path, loop=loop)
            self.playback = Playback.LOOP if loop else Playback.ONCE
        self.repeat = repeat
        self._changed()

    async def async_stop(self) -> None:
        """Stop playback, naming a listed file as the GSC guide's stop example does."""
        if not self.files:
            await self.async_refresh()
        # The file last played, if still listed; else any listed file: the
        # speaker stops whatever plays, but firmware may refuse an empty url.
        file = self.selected if self.selected in self.files else None
        file = file or next(iter(self.files), None)
        if file is not None:
            # A speaker without files cannot be playing any.
            await self.client.stop_music(file.path)
        self.playback = Playback.STOPPED
        self._changed()


def refuse_in_night_mode(music: GscMusic, placeholders: dict[str, str]) -> None:
    """Refuse to play music while the speaker's night mode is on."""
    if music.night_mode:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="night_mode_on",
            translation_placeholders=placeholders,
        )
