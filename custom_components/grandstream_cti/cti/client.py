"""Asynchronous client for the Grandstream CTI HTTP API."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
import logging
from types import TracebackType
from typing import Any, Self
from urllib.parse import quote, urlencode

import aiohttp
from yarl import URL

from .errors import (
    GrandstreamAuthenticationError,
    GrandstreamCertificateError,
    GrandstreamCommandRejectedError,
    GrandstreamConnectionError,
    GrandstreamError,
    GrandstreamHttpsRequiredError,
    GrandstreamInvalidInputError,
    GrandstreamInvalidResponseError,
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
    parse_handset_line_status,
    parse_handset_status,
    parse_line_status,
    parse_music,
    parse_phone_model,
    parse_phone_status,
)

_LOGGER = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
# Real answers are a few KiB; anything longer is read no further.
MAX_ANSWER_BYTES = 64 * 1024
# The model query: no passcode, and not in the CTI guides; some phones answer it.
MODEL_QUERY = "api.values.get"
# Requests that only read; every other function is a command.
_READS = frozenset({*STATUS_FUNCTIONS, Function.GET_MUSIC, MODEL_QUERY})
# The status functions that read one numbered item: verify() reads the first.
_READ_PARAMS: dict[Function, dict[str, int]] = {
    Function.GET_ACCOUNT_STATUS: {"account": 1},
    Function.GET_HS_STATUS: {"hs": 1},
    Function.GET_HS_LINE_STATUS: {"hs": 1},
}
# What a phone answers to a function it lacks: 404, an error envelope such as
# {"response":"error","body":"unknown"}, or an HTML page. None of them is
# documented for an unknown function, so detection takes each as "absent".
_ABSENT = (
    GrandstreamUnsupportedError,
    GrandstreamCommandRejectedError,
    GrandstreamInvalidResponseError,
)
# Statuses a web server redirects with; to plain HTTP, a phone whose web access
# is HTTPS only answers with one of them, pointing at https://.
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Status reads with which some family answers: a phone that answers one of
# them speaks CTI, whatever it answers to the others.
_ANY_FAMILY_READS: tuple[tuple[Function, dict[str, int]], ...] = (
    (Function.GET_PHONE_STATUS, {}),
    (Function.GET_HS_STATUS, {"hs": 1}),
)
# How probe_unlisted_functions() checks the answer of each unlisted function.
_UNLISTED_PARSERS: dict[Function, Callable[[dict[str, Any]], object]] = {
    Function.GET_LINE_STATUS: parse_line_status,
}
# Characters people type between digits; dropped before a number is checked.
_NUMBER_SEPARATORS = str.maketrans("", "", " -.()/")


class GrandstreamCti:
    """One phone, spoken to through its CTI functions.

    Every request follows these rules:

    - One at a time: a phone's small web server handles one request well.
      Requests to other phones use other clients and never wait on this one.
    - `timeout` bounds a call from start to end, the wait for the requests
      ahead of it included: ten commands queued on a hung phone all fail
      within one timeout of being made.
    - A refused passcode (`GrandstreamAuthenticationError`) is never sent again: from then on
      every call raises `GrandstreamAuthenticationError` at once, without a request, as a
      rejected passcode may count toward locking the account. A new client,
      with the new passcode, starts afresh. A refused CTI (`GrandstreamAccessDeniedError`:
      CTI off, this host not allowed) does not latch.
    - After a request fails to reach the phone (timeout, refused or dropped
      connection), the phone counts as unreachable until a request gets an
      answer. Meanwhile commands fail at once with `GrandstreamConnectionError`; reads
      still go out, as they are how the client learns the phone is back.
      After `timeout` seconds without news, a command may try again.
    - Answers are read up to MAX_ANSWER_BYTES; a longer one, or one that
      cannot be decoded at all, is an `GrandstreamInvalidResponseError`.
    - Values are sent percent-encoded, a space as %20: phones decode "+"
      differently.
    - Errors keep no aiohttp exception, whose text holds the URL with the
      passcode, not even as __context__; their messages, which may quote
      the phone, are cut to 200 characters.
    """

    def __init__(
        self,
        host: str,
        passcode: str,
        *,
        session: aiohttp.ClientSession | None = None,
        family: Family | None = None,
        port: int | None = None,
        https: bool = False,
        verify_ssl: bool = True,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Store the connection settings; nothing is sent yet.

        Without a session, the client makes its own on first use and closes
        it in close() or at the end of `async with`.
        """
        self.host = host
        self.port = port
        self.https = https
        self.family = family
        self._passcode = passcode
        self._session = session
        self._owns_session = session is None
        self._verify_ssl = verify_ssl
        self._timeout = timeout
        # Functions beyond the family's guide that this phone answers.
        self._unlisted: frozenset[Function] = frozenset()
        # A phone's small web server handles one request at a time well;
        # requests to other phones use other clients and never wait on this.
        self._lock = asyncio.Lock()
        # Set once the phone refuses the passcode; never cleared.
        self._refused = False
        # Event-loop time of the last failure to reach the phone, until an answer.
        self._unreachable_at: float | None = None
        # What an answer held more of than the family can have, logged once.
        self._cut: set[str] = set()

    def __repr__(self) -> str:
        """Describe the client without the passcode."""
        return f"GrandstreamCti(host={self.host!r}, port={self.port!r}, family={self.family!r})"

    async def close(self) -> None:
        """Close the session the client made itself; a given one stays open."""
        if self._owns_session and self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        """Return the client."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the client's own session."""
        await self.close()

    @property
    def passcode_refused(self) -> bool:
        """Return whether the phone refused the passcode (nothing is sent since)."""
        return self._refused

    @property
    def profile(self) -> FamilyProfile:
        """Return the capabilities of the phone's family."""
        if self.family is None:
            raise GrandstreamUnsupportedError("the phone's family is not known yet")
        profile = PROFILES[self.family]
        if extra := self._unlisted & profile.unlisted:
            return replace(profile, functions=profile.functions | extra)
        return profile

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

    def _check_may_send(self, function: str) -> None:
        """Refuse, without a request, what the phone must not be sent now."""
        if self._refused:
            raise GrandstreamAuthenticationError(
                f"{self.host} refused the passcode: nothing is sent until it changes"
            )
        if function in _READS or self._unreachable_at is None:
            return
        if asyncio.get_running_loop().time() - self._unreachable_at < self._timeout:
            raise GrandstreamConnectionError(f"{self.host} is not answering")

    async def _exchange[T](
        self,
        function: str,
        query: dict[str, str],
        decode: Callable[[int, bytes], T],
    ) -> T:
        """Send one GET, read the answer and decode it, all within the timeout."""
        self._check_may_send(function)
        # quote, not urlencode's default quote_plus: phones that decode only
        # %XX would keep a "+" in a passcode with a space.
        path = self.base_url.with_path(f"/cgi-bin/{function}")
        url = URL(f"{path}?{urlencode(query, quote_via=quote, safe='')}", encoded=True)
        loop = asyncio.get_running_loop()
        sending = False
        error: GrandstreamError
        try:
            async with asyncio.timeout(self._timeout):
                async with self._lock:
                    # Again: the request ahead may have been refused or lost.
                    self._check_may_send(function)
                    sending = True
                    status, raw = await self._send(url)
                    _LOGGER.debug("%s %s answered HTTP %s", self.host, function, status)
                    return self._decode(function, decode, status, raw)
        # aiohttp puts the full URL, passcode included, into its error texts:
        # each error keeps only the type, and is raised outside the handler
        # so that not even __context__ refers to aiohttp's.
        except TimeoutError:
            if sending:
                error = GrandstreamConnectionError(
                    f"{self.host} did not answer in time"
                )
            else:
                error = GrandstreamConnectionError(
                    f"{self.host} did not answer an earlier request in time"
                )
        # Only a failed verification is a certificate problem: other TLS
        # errors (e.g. https to a phone serving plain http) stay GrandstreamConnectionError,
        # or users would be told to stop verifying when that cannot help.
        except aiohttp.ClientConnectorCertificateError as err:
            error = GrandstreamCertificateError(
                f"cannot verify the certificate of {self.host}: {type(err).__name__}"
            )
        # The phone answered, but not in HTTP.
        except (aiohttp.ClientResponseError, aiohttp.ClientPayloadError) as err:
            self._unreachable_at = None
            error = GrandstreamInvalidResponseError(
                f"{self.host} {function}: not a valid HTTP answer ({type(err).__name__})"
            )
        except (aiohttp.ClientError, OSError) as err:
            error = GrandstreamConnectionError(
                f"cannot talk to {self.host}: {type(err).__name__}"
            )
        if sending and isinstance(error, GrandstreamConnectionError):
            self._unreachable_at = loop.time()
        raise error

    async def _send(self, url: URL) -> tuple[int, bytes]:
        """Send the GET and return the status and the answer, read up to the cap."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        # Phones use certificates from Grandstream's private CA: let users opt out.
        ssl = not (self.https and not self._verify_ssl)
        async with self._session.get(url, ssl=ssl, allow_redirects=False) as response:
            # The phone answered: whatever follows, it is reachable.
            self._unreachable_at = None
            too_long = GrandstreamInvalidResponseError(
                f"{self.host}: the answer is longer than {MAX_ANSWER_BYTES} bytes"
            )
            length = response.content_length
            if length is not None and length > MAX_ANSWER_BYTES:
                raise too_long
            # Streamed: aiohttp buffers a chunk or two at most, never the whole.
            raw = bytearray()
            async for chunk in response.content.iter_any():
                raw += chunk
                if len(raw) > MAX_ANSWER_BYTES:
                    raise too_long
            return response.status, bytes(raw)

    def _decode[T](
        self,
        function: str,
        decode: Callable[[int, bytes], T],
        status: int,
        raw: bytes,
    ) -> T:
        """Decode an answer; whatever decoding throws is an invalid response."""
        error: GrandstreamError
        try:
            return decode(status, raw)
        except GrandstreamAuthenticationError:
            self._refused = True
            raise
        except GrandstreamError:
            raise
        # Deeply nested JSON raises RecursionError, odd shapes TypeError...:
        # all of them say the phone's answer is unusable, nothing more.
        except Exception as err:  # noqa: BLE001
            error = GrandstreamInvalidResponseError(
                f"{function}: the answer cannot be read ({type(err).__name__})"
            )
        raise error

    async def request(
        self, function: Function, **params: str | int | None
    ) -> dict[str, Any]:
        """Call a CTI function and return the checked JSON answer."""
        return await self._read(function, lambda data: data, **params)

    async def _read[T](
        self,
        function: Function,
        parse: Callable[[dict[str, Any]], T],
        **params: str | int | None,
    ) -> T:
        """Call a CTI function and parse its checked answer into models."""
        self._require(function)
        query = {"passcode": self._passcode}
        query.update(
            {key: str(value) for key, value in params.items() if value is not None}
        )
        return await self._exchange(
            function,
            query,
            lambda status, raw: parse(parse_envelope(function, status, raw)),
        )

    # Status functions

    async def get_phone_status(self) -> PhoneStatus:
        """Return the phone's overall state."""
        return await self._read(Function.GET_PHONE_STATUS, parse_phone_status)

    async def get_line_status(self) -> tuple[LineStatus, ...]:
        """Return the state of every line, as many as the family can have."""
        lines = await self._read(
            Function.GET_LINE_STATUS,
            lambda data: parse_line_status(
                data, zero_based_account=self.family is Family.GRP
            ),
        )
        return self._bounded("lines", lines, self.profile.lines)

    async def get_accounts(self) -> tuple[Account, ...]:
        """Return the SIP accounts (GRP), as many as the family can have."""
        accounts = await self._read(Function.GET_ACCOUNTS, parse_accounts)
        return self._bounded("accounts", accounts, self.profile.accounts)

    async def get_account_status(self, account: int) -> AccountStatus:
        """Return one SIP account's registration (DP)."""
        self._require(Function.GET_ACCOUNT_STATUS)
        self._check_range(
            "account", account, self.profile.accounts if self.family else 10
        )
        return await self._read(
            Function.GET_ACCOUNT_STATUS,
            lambda data: parse_account_status(data, account),
            account=account,
        )

    async def get_handset_status(self, handset: int) -> HandsetStatus:
        """Return one DECT handset's state (DP)."""
        self._require(Function.GET_HS_STATUS)
        self._check_handset(handset)
        return await self._read(
            Function.GET_HS_STATUS,
            lambda data: parse_handset_status(data, handset),
            hs=handset,
        )

    async def get_handset_line_status(
        self, handset: int
    ) -> tuple[HandsetLineStatus, ...]:
        """Return the lines of one DECT handset (DP)."""
        self._require(Function.GET_HS_LINE_STATUS)
        self._check_handset(handset)
        lines = await self._read(
            Function.GET_HS_LINE_STATUS,
            lambda data: parse_handset_line_status(data, handset),
            hs=handset,
        )
        return self._bounded("handset lines", lines, self.profile.handset_lines)

    async def get_music(self) -> tuple[MusicFile, ...]:
        """Return the music files stored on the speaker (GSC)."""
        return await self._read(Function.GET_MUSIC, parse_music)

    async def get_phone_model(self) -> str | None:
        """Return the model from the unauthenticated values query, if the phone says."""
        return await self._exchange(
            MODEL_QUERY, {"request": "phone_model"}, self._decode_model
        )

    def _decode_model(self, status: int, raw: bytes) -> str | None:
        """Return the model the values query names; a redirect means HTTPS."""
        self._check_not_redirected(status)
        return parse_phone_model(status, raw)

    # Commands, as the guides spell them

    async def make_call(
        self,
        phonenumber: str,
        *,
        handset: int | None = None,
        account: int | None = None,
    ) -> None:
        """Place a call with api-make_call (DP needs the handset)."""
        self._require(Function.MAKE_CALL)
        if not phonenumber:
            raise GrandstreamInvalidInputError("number", "empty", code="empty")
        if self.family is Family.DP and handset is None:
            raise GrandstreamInvalidInputError("handset", "required", code="required")
        if handset is not None:
            self._check_handset(handset)
        # The guides' parameter is `hs`.
        data = await self.request(
            Function.MAKE_CALL, hs=handset, phonenumber=phonenumber, account=account
        )
        check_call_code(data)

    async def send_key(
        self, keys: str | Sequence[str], *, handset: int | None = None
    ) -> None:
        """Press keys with api-send_key (DP needs the handset)."""
        names = self.normalize_keys(keys)
        if self.family is Family.DP and handset is None:
            raise GrandstreamInvalidInputError("handset", "required", code="required")
        if handset is not None:
            self._check_handset(handset)
        await self.request(Function.SEND_KEY, hs=handset, keys=":".join(names))

    async def phone_operation(self, cmd: str, *, arg: int | None = None) -> None:
        """Send api-phone_operation (GXP, GRP, GSC)."""
        await self.request(Function.PHONE_OPERATION, cmd=cmd, arg=arg)

    async def device_operation(
        self, cmd: str, *, handset: int, line: int | None = None
    ) -> None:
        """Send api-device_operation for one handset (DP)."""
        self._require(Function.DEVICE_OPERATION)
        self._check_handset(handset)
        if cmd in LINELESS_DEVICE_COMMANDS:
            line = None
        elif line is None:
            raise GrandstreamInvalidInputError("line", "required", code="required")
        else:
            self._check_range("line", line, self.profile.handset_lines)
        await self.request(Function.DEVICE_OPERATION, hs=handset, line=line, cmd=cmd)

    async def sys_operation(self, request: str) -> None:
        """Send api-sys_operation (REBOOT or RESET)."""
        if request not in ("REBOOT", "RESET"):
            raise GrandstreamInvalidInputError(
                "request", "must be REBOOT or RESET", request
            )
        # The answer's body ("savereboot", "directreboot", "reset") tells
        # nothing more than its success.
        await self.request(Function.SYS_OPERATION, request=request)

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
        another family lacks at least one of them and answers it with 404, an
        error envelope or a page; any of these raises GrandstreamUnsupportedError, unless the
        phone answers no status read of any family (then GrandstreamInvalidResponseError).
        """
        answered = False
        garbled: GrandstreamInvalidResponseError | None = None
        for function in sorted(self.profile.functions & STATUS_FUNCTIONS):
            try:
                await self.request(function, **_READ_PARAMS.get(function, {}))
            except (
                GrandstreamUnsupportedError,
                GrandstreamCommandRejectedError,
            ) as err:
                raise self._not_family(err) from None
            except GrandstreamInvalidResponseError as err:
                garbled = garbled or err
            else:
                answered = True
        if garbled is None:
            return
        if answered or await self._speaks_cti():
            raise self._not_family(garbled) from None
        await self._check_redirect()
        raise garbled

    async def probe_unlisted_functions(self) -> frozenset[Function]:
        """Ask which functions beyond its guide the phone answers; polling uses them.

        The GSC guide shows api-get_line_status as its example of a request and
        of an answer, though its function table lacks it: some GSC firmware
        answers it. Call this at every setup, and after the phone was away
        (a firmware upgrade reboots it), to follow what the firmware does.
        """
        found = set()
        for function in sorted(self.profile.unlisted):
            try:
                # Parsed too: an answer polling could not read is no answer.
                _UNLISTED_PARSERS[function](await self._probe(function))
            except _ABSENT as err:
                _LOGGER.debug("%s does not answer %s: %s", self.host, function, err)
            else:
                found.add(function)
        self._unlisted = frozenset(found)
        return self._unlisted

    async def _probe_family(self) -> Family:
        """Tell the family by which functions the phone answers."""
        failures: list[GrandstreamError] = []

        async def answers(function: Function, **params: int) -> bool:
            try:
                # The family is not known yet: request() refuses nothing.
                await self.request(function, **params)
            except _ABSENT as err:
                failures.append(err)
                return False
            return True

        if await answers(Function.GET_LINE_STATUS):
            if await answers(Function.GET_ACCOUNTS):
                return Family.GRP
            # Some GSC firmware answers line status too.
            if await answers(Function.GET_MUSIC):
                return Family.GSC
            return Family.GXP
        if await answers(Function.GET_MUSIC):
            return Family.GSC
        if await answers(Function.GET_HS_STATUS, hs=1):
            return Family.DP
        garbled = [
            err for err in failures if isinstance(err, GrandstreamInvalidResponseError)
        ]
        if (
            garbled
            and not any(
                isinstance(err, GrandstreamCommandRejectedError) for err in failures
            )
            and not await answers(Function.GET_PHONE_STATUS)
        ):
            # Pages or broken JSON, and not one CTI answer: no family fits.
            raise garbled[0]
        raise GrandstreamUnsupportedError(
            "the phone answers none of the known CTI functions"
        )

    async def _speaks_cti(self) -> bool:
        """Return whether the phone answers the status read of some family."""
        for function, params in _ANY_FAMILY_READS:
            try:
                await self._probe(function, **params)
            except _ABSENT:
                continue
            return True
        return False

    async def _probe(self, function: Function, **params: int) -> dict[str, Any]:
        """Call a function whether or not the family has it, to probe the phone."""
        # request() without its check against the family's profile.
        query = {"passcode": self._passcode}
        query.update({key: str(value) for key, value in params.items()})
        return await self._exchange(
            function,
            query,
            lambda status, raw: parse_envelope(function, status, raw),
        )

    def _not_family(self, err: GrandstreamError) -> GrandstreamUnsupportedError:
        """Return the error for a phone that is not of the client's family."""
        return GrandstreamUnsupportedError(f"not a {self.profile.title} phone: {err}")

    async def _check_redirect(self) -> None:
        """Raise GrandstreamHttpsRequiredError when the phone redirects plain HTTP."""
        if not self.https:
            await self._exchange(
                MODEL_QUERY,
                {"request": "phone_model"},
                lambda status, _: self._check_not_redirected(status),
            )

    def _check_not_redirected(self, status: int) -> None:
        """Raise GrandstreamHttpsRequiredError when plain HTTP is redirected."""
        if not self.https and status in _REDIRECTS:
            raise GrandstreamHttpsRequiredError(
                f"{self.host} redirects plain HTTP (HTTP {status}): it serves HTTPS"
            )

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
            await self.make_call(cleaned, handset=handset or 1)
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
            await self.device_operation(cmd, handset=handset or 1, line=line or 1)
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
                "setdnd" if enabled else "unsetdnd", handset=handset or 1
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

    async def reboot(self) -> None:
        """Reboot the phone; it is offline for a while afterwards."""
        await self.sys_operation("REBOOT")

    async def factory_reset(self) -> None:
        """Erase the phone's settings."""
        await self.sys_operation("RESET")

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

    def _bounded[T](self, what: str, items: tuple[T, ...], limit: int) -> tuple[T, ...]:
        """Return the first `limit` items; say once per client when more came."""
        if len(items) <= limit:
            return items
        if what not in self._cut:
            self._cut.add(what)
            _LOGGER.warning(
                "%s reports %d %s; a %s phone has at most %d, the rest are ignored",
                self.host,
                len(items),
                what,
                self.profile.title,
                limit,
            )
        return items[:limit]

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
