"""Asynchronous client for the Grandstream CTI HTTP API."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
import logging
from typing import Any

import aiohttp
from yarl import URL

from .errors import (
    GrandstreamCertificateError,
    GrandstreamConnectionError,
    GrandstreamInvalidInputError,
    GrandstreamUnsupportedError,
)
from .families import (
    LINELESS_DEVICE_COMMANDS,
    NUMBER_MAX_LENGTH,
    PROFILES,
    STATUS_FUNCTIONS,
    CallOperation,
    DialRoute,
    DndRoute,
    Family,
    FamilyProfile,
    Function,
    family_for_model,
)
from .models import (
    Account,
    AccountStatus,
    DetectedPhone,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    MusicFile,
    PhoneStatus,
)
from .parse import (
    check_call_code,
    parse_account_status,
    parse_accounts,
    parse_envelope,
    parse_hs_line_status,
    parse_hs_status,
    parse_line_status,
    parse_music,
    parse_phone_model,
    parse_phone_status,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
# The status functions that read one numbered item: verify() reads the first.
_READ_PARAMS: dict[Function, dict[str, int]] = {
    Function.GET_ACCOUNT_STATUS: {"account": 1},
    Function.GET_HS_STATUS: {"hs": 1},
    Function.GET_HS_LINE_STATUS: {"hs": 1},
}
# Characters people type between digits; dropped before a number is checked.
_NUMBER_SEPARATORS = str.maketrans("", "", " -.()/")


class GrandstreamCti:
    """One phone, spoken to through its CTI functions."""

    def __init__(
        self,
        host: str,
        passcode: str,
        *,
        session: aiohttp.ClientSession,
        family: Family | None = None,
        port: int | None = None,
        https: bool = False,
        verify_ssl: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Store the connection settings; nothing is sent yet."""
        self.host = host
        self.port = port
        self.https = https
        self.family = family
        self._passcode = passcode
        self._session = session
        self._verify_ssl = verify_ssl
        self._timeout = timeout
        # A phone's small web server handles one request at a time well;
        # requests to other phones use other clients and never wait on this.
        self._lock = asyncio.Lock()

    def __repr__(self) -> str:
        """Describe the client without the passcode."""
        return f"GrandstreamCti(host={self.host!r}, port={self.port!r}, family={self.family!r})"

    @property
    def profile(self) -> FamilyProfile:
        """Return the capabilities of the phone's family."""
        if self.family is None:
            raise GrandstreamUnsupportedError("the phone's family is not known yet")
        return PROFILES[self.family]

    @property
    def base_url(self) -> URL:
        """Return the phone's web address, without credentials."""
        # People write IPv6 literals as in a URL ("[fe80::1]"); yarl adds the
        # brackets itself and refuses them in a host.
        host = self.host.removeprefix("[").removesuffix("]")
        try:
            return URL.build(
                scheme="https" if self.https else "http", host=host, port=self.port
            )
        except ValueError:
            raise GrandstreamInvalidInputError(
                "host", "not a host name or IP address"
            ) from None

    async def _get(self, path: str, query: dict[str, str]) -> tuple[int, bytes]:
        """Send one GET and return the status and body; map transport errors."""
        url = self.base_url.with_path(path).with_query(query)
        # Phones use certificates from Grandstream's private CA: let users opt out.
        ssl = not (self.https and not self._verify_ssl)
        async with self._lock:
            try:
                async with asyncio.timeout(self._timeout):
                    async with self._session.get(
                        url, ssl=ssl, allow_redirects=False
                    ) as response:
                        return response.status, await response.read()
            # aiohttp puts the full URL, passcode included, into its error
            # texts: keep only the error's type, and drop the chain.
            except TimeoutError:
                raise GrandstreamConnectionError(
                    f"{self.host} did not answer in time"
                ) from None
            # Only a failed verification is a certificate problem: other TLS
            # errors (e.g. https to a phone serving plain http) stay GrandstreamConnectionError,
            # or users would be told to stop verifying when that cannot help.
            except aiohttp.ClientConnectorCertificateError as err:
                raise GrandstreamCertificateError(
                    f"cannot verify the certificate of {self.host}: {type(err).__name__}"
                ) from None
            except (aiohttp.ClientError, OSError) as err:
                raise GrandstreamConnectionError(
                    f"cannot talk to {self.host}: {type(err).__name__}"
                ) from None

    async def request(
        self, function: Function, **params: str | int | None
    ) -> dict[str, Any]:
        """Call a CTI function and return the checked JSON answer."""
        self._require(function)
        query = {"passcode": self._passcode}
        query.update(
            {key: str(value) for key, value in params.items() if value is not None}
        )
        status, raw = await self._get(f"/cgi-bin/{function}", query)
        _LOGGER.debug("%s %s answered HTTP %s", self.host, function, status)
        return parse_envelope(function, status, raw)

    # Status functions

    async def get_phone_status(self) -> PhoneStatus:
        """Return the phone's overall state."""
        return parse_phone_status(await self.request(Function.GET_PHONE_STATUS))

    async def get_line_status(self) -> tuple[LineStatus, ...]:
        """Return the state of every line."""
        return parse_line_status(await self.request(Function.GET_LINE_STATUS))

    async def get_accounts(
        self, *, registered_only: bool = False
    ) -> tuple[Account, ...]:
        """Return the SIP accounts (GRP)."""
        params = {"registered": "true"} if registered_only else {}
        return parse_accounts(await self.request(Function.GET_ACCOUNTS, **params))

    async def get_account_status(self, account: int) -> AccountStatus:
        """Return one SIP account's registration (DP)."""
        self._require(Function.GET_ACCOUNT_STATUS)
        self._check_range(
            "account", account, self.profile.accounts if self.family else 10
        )
        data = await self.request(Function.GET_ACCOUNT_STATUS, account=account)
        return parse_account_status(data, account)

    async def get_hs_status(self, handset: int) -> HandsetStatus:
        """Return one DECT handset's state (DP)."""
        self._require(Function.GET_HS_STATUS)
        self._check_handset(handset)
        data = await self.request(Function.GET_HS_STATUS, hs=handset)
        return parse_hs_status(data, handset)

    async def get_hs_line_status(self, handset: int) -> tuple[HandsetLineStatus, ...]:
        """Return the lines of one DECT handset (DP)."""
        self._require(Function.GET_HS_LINE_STATUS)
        self._check_handset(handset)
        data = await self.request(Function.GET_HS_LINE_STATUS, hs=handset)
        return parse_hs_line_status(data, handset)

    async def get_music(self) -> tuple[MusicFile, ...]:
        """Return the music files stored on the speaker (GSC)."""
        return parse_music(await self.request(Function.GET_MUSIC))

    async def get_phone_model(self) -> str | None:
        """Return the model from the unauthenticated values query, if the phone says."""
        query = {"request": "phone_model"}
        status, raw = await self._get("/cgi-bin/api.values.get", query)
        return parse_phone_model(status, raw)

    # Commands, as the guides spell them

    async def make_call(
        self, phonenumber: str, *, hs: int | None = None, account: int | None = None
    ) -> None:
        """Place a call with api-make_call (DP needs the handset)."""
        self._require(Function.MAKE_CALL)
        if not phonenumber:
            raise GrandstreamInvalidInputError("number", "empty", code="empty")
        if self.family is Family.DP and hs is None:
            raise GrandstreamInvalidInputError("handset", "required", code="required")
        if hs is not None:
            self._check_handset(hs)
        data = await self.request(
            Function.MAKE_CALL, hs=hs, phonenumber=phonenumber, account=account
        )
        check_call_code(data)

    async def send_key(
        self, keys: str | Sequence[str], *, hs: int | None = None
    ) -> None:
        """Press keys with api-send_key (DP needs the handset)."""
        names = self.normalize_keys(keys)
        if self.family is Family.DP and hs is None:
            raise GrandstreamInvalidInputError("handset", "required", code="required")
        if hs is not None:
            self._check_handset(hs)
        await self.request(Function.SEND_KEY, hs=hs, keys=":".join(names))

    async def phone_operation(self, cmd: str, *, arg: int | None = None) -> None:
        """Send api-phone_operation (GXP, GRP, GSC)."""
        await self.request(Function.PHONE_OPERATION, cmd=cmd, arg=arg)

    async def device_operation(
        self, cmd: str, *, hs: int, line: int | None = None
    ) -> None:
        """Send api-device_operation for one handset (DP)."""
        self._require(Function.DEVICE_OPERATION)
        self._check_handset(hs)
        if cmd in LINELESS_DEVICE_COMMANDS:
            line = None
        elif line is None:
            raise GrandstreamInvalidInputError("line", "required", code="required")
        else:
            self._check_range("line", line, self.profile.handset_lines)
        await self.request(Function.DEVICE_OPERATION, hs=hs, line=line, cmd=cmd)

    async def sys_operation(self, request: str) -> str:
        """Send api-sys_operation (REBOOT or RESET) and return the phone's answer."""
        if request not in ("REBOOT", "RESET"):
            raise GrandstreamInvalidInputError(
                "request", "must be REBOOT or RESET", request
            )
        data = await self.request(Function.SYS_OPERATION, request=request)
        return str(data.get("body", ""))

    async def ctrl_music_play(
        self, *, state: int, url: str, loop: bool = False, type_: int = 1
    ) -> None:
        """Start (state 1) or stop (state 0) music playback (GSC)."""
        await self.request(
            Function.CTRL_MUSIC_PLAY,
            state=state,
            type=type_,
            url=url,
            loop=int(loop),
        )

    # What the integration asks for, routed per family

    async def detect(self) -> DetectedPhone:
        """Probe the phone for its family, with one authenticated request at least."""
        model = await self.get_phone_model()
        family = family_for_model(model) if model else None
        if family is None:
            family = await self._probe_family()
        else:
            # The model query needs no passcode: prove the passcode works.
            self.family = family
            await self.verify()
        self.family = family
        return DetectedPhone(family=family, model=model)

    async def verify(self) -> None:
        """Read each status function of the family once.

        This proves the passcode, and that polling will work: a phone of
        another family answers 404 to at least one of them.
        """
        for function in sorted(self.profile.functions & STATUS_FUNCTIONS):
            await self.request(function, **_READ_PARAMS.get(function, {}))

    async def _probe_family(self) -> Family:
        """Tell the family by which functions exist (unknown ones answer 404)."""
        try:
            await self.request(Function.GET_LINE_STATUS)
        except GrandstreamUnsupportedError:
            pass
        else:
            try:
                await self.request(Function.GET_ACCOUNTS)
            except GrandstreamUnsupportedError:
                return Family.GXP
            return Family.GRP
        try:
            await self.request(Function.GET_MUSIC)
        except GrandstreamUnsupportedError:
            pass
        else:
            return Family.GSC
        try:
            await self.request(Function.GET_HS_STATUS, hs=1)
        except GrandstreamUnsupportedError:
            raise GrandstreamUnsupportedError(
                "the phone answers none of the known CTI functions"
            ) from None
        return Family.DP

    def validate_number(self, number: str) -> str:
        """Return the number as it will be dialed, or raise GrandstreamInvalidInputError."""
        cleaned = number.strip().translate(_NUMBER_SEPARATORS)
        if not cleaned:
            raise GrandstreamInvalidInputError("number", "empty", number, code="empty")
        if len(cleaned) > NUMBER_MAX_LENGTH:
            raise GrandstreamInvalidInputError(
                "number",
                f"longer than {NUMBER_MAX_LENGTH} characters",
                number,
                code="too_long",
                placeholders={"max": str(NUMBER_MAX_LENGTH)},
            )
        if not self.profile.number_pattern.fullmatch(cleaned):
            keypad = self.profile.dial is DialRoute.KEYS
            allowed = "digits, * and #" if keypad else "digits, *, # and +"
            raise GrandstreamInvalidInputError(
                "number",
                f"only {allowed} can be dialed",
                number,
                code="keypad_characters" if keypad else "dial_characters",
                placeholders={"family": self.profile.title},
            )
        return cleaned

    def normalize_keys(self, keys: str | Sequence[str]) -> list[str]:
        """Return the family's key names for a list or a colon-separated string."""
        profile = self.profile
        if not profile.supports(Function.SEND_KEY):
            raise GrandstreamUnsupportedError(
                f"{profile.title} phones have no {Function.SEND_KEY}"
            )
        items = keys.split(":") if isinstance(keys, str) else list(keys)
        names = []
        for item in items:
            name = str(item).strip().upper()
            name = profile.key_aliases.get(name, name)
            if name not in profile.keys:
                raise GrandstreamInvalidInputError(
                    "keys",
                    f"{item!r} is not a key of {profile.title} phones",
                    item,
                    code="unknown_key",
                    placeholders={"key": str(item), "family": profile.title},
                )
            names.append(name)
        if not names:
            raise GrandstreamInvalidInputError("keys", "empty", code="empty")
        return names

    async def dial(self, number: str, *, handset: int | None = None) -> None:
        """Call a number the way the family dials."""
        cleaned = self.validate_number(number)
        profile = self.profile
        if handset is not None and not profile.handsets:
            raise _no_handsets(profile, handset)
        if profile.dial is DialRoute.KEYS:
            await self.send_key([*cleaned, "SEND"])
        elif profile.handsets:
            await self.make_call(cleaned, hs=handset or 1)
        else:
            await self.make_call(cleaned)

    async def call_operation(
        self,
        operation: CallOperation,
        *,
        handset: int | None = None,
        line: int | None = None,
    ) -> None:
        """Accept, reject, end, hold... a call the way the family does it."""
        profile = self.profile
        cmd = profile.operations.get(operation)
        if cmd is None:
            raise GrandstreamUnsupportedError(
                f"{profile.title} phones cannot {operation} a call over CTI"
            )
        if profile.operation_function is Function.DEVICE_OPERATION:
            await self.device_operation(cmd, hs=handset or 1, line=line or 1)
            return
        if handset is not None:
            raise _no_handsets(profile, handset)
        if line is not None and profile.family is not Family.GRP:
            # Only GRP firmware takes the line (`arg`) with a phone operation.
            raise GrandstreamInvalidInputError(
                "line",
                f"{profile.title} phones act on the active line",
                line,
                code="no_line_choice",
                placeholders={"family": profile.title},
            )
        await self.phone_operation(cmd, arg=line)

    async def set_dnd(
        self, enabled: bool, *, handset: int | None = None, current: bool | None = None
    ) -> bool:
        """Switch do-not-disturb; return whether a request was sent."""
        profile = self.profile
        if profile.dnd is DndRoute.DEVICE_OPERATION:
            await self.device_operation(
                "setdnd" if enabled else "unsetdnd", hs=handset or 1
            )
            return True
        if profile.dnd is DndRoute.NONE:
            raise GrandstreamUnsupportedError(
                f"{profile.title} phones have no do-not-disturb over CTI"
            )
        if handset is not None:
            raise _no_handsets(profile, handset)
        # The DND key only toggles: without the current state, pressing it
        # could just as well switch DND the wrong way.
        if current is None:
            raise GrandstreamUnsupportedError(
                "the phone's do-not-disturb state is not known"
            )
        if current == enabled:
            return False
        await self.send_key(["DND"])
        return True

    async def reboot(self) -> str:
        """Reboot the phone; it is offline for a while afterwards."""
        return await self.sys_operation("REBOOT")

    async def factory_reset(self) -> str:
        """Erase the phone's settings."""
        return await self.sys_operation("RESET")

    async def play_music(self, path: str, *, loop: bool = False) -> None:
        """Play a stored music file (GSC)."""
        await self.ctrl_music_play(state=1, url=path, loop=loop)

    async def stop_music(self, path: str = "") -> None:
        """Stop music playback (GSC)."""
        await self.ctrl_music_play(state=0, url=path, loop=False)

    def _require(self, function: Function) -> None:
        """Refuse a function the family lacks, before checking its parameters."""
        # Checked first so that a family without the function gets GrandstreamUnsupportedError,
        # not an GrandstreamInvalidInputError about handsets or accounts it has none of.
        if self.family is not None and not self.profile.supports(function):
            raise GrandstreamUnsupportedError(
                f"{self.profile.title} phones have no {function}"
            )

    def _check_handset(self, handset: int) -> None:
        """Refuse a handset number the family does not have."""
        limit = self.profile.handsets if self.family else 5
        if not limit:
            raise _no_handsets(self.profile, handset)
        self._check_range("handset", handset, limit)

    @staticmethod
    def _check_range(field: str, value: int, limit: int) -> None:
        """Refuse a number outside 1..limit."""
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not 1 <= value <= limit
        ):
            raise GrandstreamInvalidInputError(
                field,
                f"must be between 1 and {limit}",
                value,
                code="out_of_range",
                placeholders={"min": "1", "max": str(limit)},
            )


def _no_handsets(
    profile: FamilyProfile, handset: object
) -> GrandstreamInvalidInputError:
    """Return the error for a handset given to a family without handsets."""
    return GrandstreamInvalidInputError(
        "handset",
        f"{profile.title} phones have no handsets",
        handset,
        code="no_handsets",
        placeholders={"family": profile.title},
    )
