"""Local music of a GSC speaker: its files and what was last commanded."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.components.media_player import RepeatMode
from homeassistant.core import CALLBACK_TYPE, callback

from .cti import GrandstreamCti, MusicFile


class GscMusic:
    """The music files a GSC speaker listed, and the playback asked of it.

    The speaker cannot say what it is playing: the state is what Home
    Assistant last commanded, shared by the actions and the media player.
    """

    def __init__(self, client: GrandstreamCti) -> None:
        """Start with no files known and nothing playing."""
        self.client = client
        self.files: tuple[MusicFile, ...] = ()
        # The file last played: what play resumes, and what stop names.
        self.selected: MusicFile | None = None
        self.playing = False
        # The speaker loops one file or plays it once: ALL and ONE both loop.
        self.repeat = RepeatMode.OFF
        self._listeners: list[Callable[[], None]] = []

    def find(self, file: str) -> MusicFile | None:
        """Return a listed file by its name or its path."""
        wanted = file.strip()
        return next(
            (music for music in self.files if wanted in (music.name, music.path)),
            None,
        )

    async def async_refresh(self) -> tuple[MusicFile, ...]:
        """Read the list of music files from the speaker."""
        self.files = await self.client.get_music()
        self._notify()
        return self.files

    @property
    def loop(self) -> bool:
        """Return whether files play in a loop."""
        return self.repeat is not RepeatMode.OFF

    async def async_play(self, music: MusicFile, *, loop: bool) -> None:
        """Play a file, once or in a loop."""
        await self.client.play_music(music.path, loop=loop)
        self.selected, self.playing = music, True
        if loop != self.loop:
            self.repeat = RepeatMode.ALL if loop else RepeatMode.OFF
        self._notify()

    async def async_set_repeat(self, repeat: RepeatMode) -> None:
        """Loop or not; a file that is playing starts again to follow."""
        if (
            self.playing
            and self.selected
            and (repeat is not RepeatMode.OFF) != self.loop
        ):
            await self.client.play_music(
                self.selected.path, loop=repeat is not RepeatMode.OFF
            )
        self.repeat = repeat
        self._notify()

    async def async_stop(self) -> None:
        """Stop playback."""
        await self.client.stop_music(self.selected.path if self.selected else "")
        self.playing = False
        self._notify()

    @callback
    def async_add_listener(self, update: Callable[[], None]) -> CALLBACK_TYPE:
        """Call `update` whenever the files or the playback change."""
        self._listeners.append(update)

        @callback
        def remove() -> None:
            self._listeners.remove(update)

        return remove

    def _notify(self) -> None:
        """Tell the listeners that something changed."""
        for update in list(self._listeners):
            update()
