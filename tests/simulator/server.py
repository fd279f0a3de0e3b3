"""The simulated phone on the network: HTTP handling, faults, request log, power."""

import asyncio
from dataclasses import dataclass, field, replace
import ssl
from types import TracebackType
from typing import Self

from aiohttp import hdrs, web
from yarl import URL

from . import control
from .action_url import MAX_URL_LENGTH, ActionUrlRequest, ActionUrlSender, fill
from .families import Family
from .faults import AuthAnswer, Faults, UnknownFunctionAnswer
from .functions import (
    HANDLERS,
    MODEL_QUERY,
    Handler,
    Params,
    Reply,
    error,
    get_line_status,
    get_values,
)
from .models import MODELS, ModelProfile
from .render import (
    FORBIDDEN_PAGE,
    NOT_FOUND_PAGE,
    SERVER_ERROR_PAGE,
    UNAUTHORIZED_PAGE,
    render_json,
    web_ui_page,
)
from .state import Account, Line, PhoneState, Station

CGI_BIN = "/cgi-bin/"

# A Grandstream OUI; the phone reports it as $mac in its Action URLs.
DEFAULT_MAC = "00:0B:82:A1:B2:C3"

# How long going offline waits for a request in progress before cancelling it:
# a phone that loses power does not finish its answers.
_SHUTDOWN_TIMEOUT = 0.1


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the phone received it."""

    method: str
    # Decoded path, e.g. "/cgi-bin/api-get_line_status".
    path: str
    # The name after /cgi-bin/ ("api-get_line_status"); "" for other paths.
    function: str
    # Decoded query, passcode included; the first value wins for a repeated name.
    params: dict[str, str]
    # The query string exactly as sent, still percent-encoded.
    raw_query: str
    # Event-loop time of arrival, to check how often a client polls; left out of
    # == so tests can compare against a RecordedRequest they build.
    received_at: float = field(default=0.0, compare=False)


@dataclass(frozen=True, slots=True)
class SimEvent:
    """One phone event (incoming_call, established_call, dnd_on, ...)."""

    name: str
    variables: dict[str, object]


def _html(status: int, page: str) -> web.Response:
    """Return an HTML page with a status, as lighttpd sends errors."""
    return web.Response(
        status=status, body=page.encode(), headers={hdrs.CONTENT_TYPE: "text/html"}
    )


class PhoneSimulator:
    """One simulated Grandstream phone answering CTI requests over real HTTP."""

    def __init__(
        self,
        model: str,
        passcode: str = "admin",
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        wrong_passcode_answer: AuthAnswer | None = None,
        model_query: bool | None = None,
        answer_delay: float | None = 0.5,
        reboot_seconds: float = 3.0,
        ssl_context: ssl.SSLContext | None = None,
        mac: str = DEFAULT_MAC,
        unknown_function_answer: UnknownFunctionAnswer = "http404",
        gsc_line_status: bool = False,
        redirect_to_https: bool = False,
        line_count: int | None = None,
        account_count: int | None = None,
    ) -> None:
        """Prepare a phone of a model in MODELS; start() puts it on the network."""
        if model not in MODELS:
            raise ValueError(f"unknown model {model!r}; known: {', '.join(MODELS)}")
        self.profile: ModelProfile = MODELS[model]
        # A phone reporting more lines or accounts than its model has, as a
        # broken or hostile one might.
        if line_count is not None:
            self.profile = replace(self.profile, line_count=line_count)
        if account_count is not None:
            configured = self.profile.accounts[0]
            self.profile = replace(self.profile, accounts=(configured,) * account_count)
        self.passcode = passcode
        self.host = host
        self._port = port
        # What a wrong or missing passcode gets; unverified on real phones.
        self.wrong_passcode_answer: AuthAnswer = (
            wrong_passcode_answer or self.profile.wrong_passcode_answer
        )
        self.model_query = (
            self.profile.model_query if model_query is None else model_query
        )
        # How a function the family lacks is answered (no guide says).
        self.unknown_function_answer: UnknownFunctionAnswer = unknown_function_answer
        # Web access set to HTTPS only: every plain HTTP request is redirected.
        self.redirect_to_https = redirect_to_https
        # Seconds REBOOT/RESET keeps the phone off the network.
        self.reboot_seconds = reboot_seconds
        # Serve HTTPS with this context (phones with a self-signed certificate).
        self.ssl_context = ssl_context
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.events: list[SimEvent] = []
        # $mac in Action URLs, spelled as given ("00:0B:82:..", "000b82..").
        self.mac = mac
        # Settings -> Outbound Notification -> Action URL: event -> URL with
        # $variables, e.g. {"incoming_call": "host/path?remote=$remote"}.
        self.action_urls: dict[str, str] = {}
        # Answer the /simulator/ control paths (control.py); a real phone does not.
        self.control = False
        self._action_url_sender = ActionUrlSender()
        self.state = PhoneState(
            self.profile, answer_delay=answer_delay, emit=self._emit
        )
        self._handlers: dict[str, Handler] = HANDLERS[self.profile.family]
        if gsc_line_status and self.profile.family != "GSC":
            raise ValueError(f"{model} is not a GSC speaker")
        # GSC firmware that answers the line status its guide uses as an
        # example but does not list (reported for GSC3516); assignable, as a
        # firmware upgrade may bring it or take it away.
        self.gsc_line_status = gsc_line_status
        self._runner: web.ServerRunner | None = None
        # Serializes going on and off the network (reboot task vs. test calls).
        self._power = asyncio.Lock()
        self._reboot_task: asyncio.Task[None] | None = None

    # ----- identity and readable state

    @property
    def model(self) -> str:
        """Return the model name, e.g. "GXP2170"."""
        return self.profile.model

    @property
    def family(self) -> Family:
        """Return the family: "GXP", "GRP", "DP" or "GSC"."""
        return self.profile.family

    @property
    def port(self) -> int:
        """Return the TCP port (the bound one once started with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        """Return the base URL, e.g. "http://127.0.0.1:8081"."""
        scheme = "http" if self.ssl_context is None else "https"
        return str(URL.build(scheme=scheme, host=self.host, port=self._port))

    @property
    def online(self) -> bool:
        """Return whether the phone is listening."""
        return self._runner is not None

    @property
    def answer_delay(self) -> float | None:
        """Return seconds until the far end answers an outgoing call (None = never)."""
        return self.state.answer_delay

    @answer_delay.setter
    def answer_delay(self, value: float | None) -> None:
        """Change when later outgoing calls get answered."""
        self.state.answer_delay = value

    @property
    def lines(self) -> tuple[Line, ...]:
        """Return the phone's lines (DP: handset 1's); live objects, read only."""
        return tuple(self.state.station().lines)

    @property
    def handsets(self) -> tuple[Station, ...]:
        """Return the DP handsets (each with .lines, .dnd, ...); () for desk phones."""
        return tuple(self.state.stations) if self.state.is_dp else ()

    @property
    def accounts(self) -> tuple[Account, ...]:
        """Return the SIP accounts, account 1 first."""
        return tuple(self.state.accounts)

    @property
    def dnd(self) -> bool:
        """Return Do Not Disturb (DP: handset 1's)."""
        return self.state.station().dnd

    @property
    def muted(self) -> bool:
        """Return whether the microphone is muted (DP: handset 1's)."""
        return self.state.station().muted

    @property
    def dial_buffer(self) -> str:
        """Return the digits typed but not yet sent (DP: handset 1's)."""
        return self.state.station().dial_buffer

    @property
    def phone_status(self) -> str:
        """Return the word api-get_phone_status would answer."""
        return self.state.phone_status

    @property
    def music_playing(self) -> str | None:
        """Return the path of the GSC music file playing, or None."""
        return self.state.music.path

    @property
    def music_loop(self) -> bool:
        """Return whether the playing music loops."""
        return self.state.music.loop

    def line(self, number: int, handset: int | None = None) -> Line:
        """Return one line (1-based) of the phone, or of a DP handset."""
        return self.state.line(number, handset)

    def requests_to(self, function: str) -> list[RecordedRequest]:
        """Return the recorded requests for one function name."""
        return [request for request in self.requests if request.function == function]

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        self.requests.clear()

    def clear_events(self) -> None:
        """Forget the recorded events."""
        self.events.clear()

    # ----- what happens at the phone or the far end

    def incoming_call(
        self,
        number: str,
        name: str = "",
        *,
        line: int = 1,
        handset: int | None = None,
        account: int | None = None,
    ) -> bool:
        """Ring a line (DP: a handset's line); False if it is busy or in DND."""
        station = self.state.station(handset)
        target = self.state.line(line, handset)
        if account is None:
            account = self.state.registered_account(station) or target.account or 1
        else:
            self.state.account(account)
        return self.state.ring(station, target, number, name, account)

    def remote_answer(self, line: int = 1, handset: int | None = None) -> bool:
        """Let the far end answer a calling line; False if it is not calling."""
        station = self.state.station(handset)
        return self.state.remote_answer(station, self.state.line(line, handset))

    def remote_hangup(self, line: int = 1, handset: int | None = None) -> bool:
        """Let the far end hang up (a ringing line becomes a missed call)."""
        station = self.state.station(handset)
        return self.state.remote_hangup(station, self.state.line(line, handset))

    def set_registered(self, account: int, registered: bool) -> None:
        """Register or unregister an account (1-based)."""
        self.state.set_registered(account, registered)

    def set_line_state(
        self,
        line: int,
        state: str,
        *,
        handset: int | None = None,
        number: str = "",
        name: str = "",
    ) -> None:
        """Force a line into any state string, e.g. "failed" or "weird"."""
        station = self.state.station(handset)
        self.state.force_state(
            station, self.state.line(line, handset), state, number, name
        )

    def set_phone_status(self, status: str | None) -> None:
        """Force the phone status word (None = derive it from the lines again)."""
        self.state.phone_status_override = status

    def pair_handset(self, handset: int, paired: bool = True) -> None:
        """Pair a DP handset with the base (or remove it), as the web UI does."""
        if not self.state.is_dp:
            raise ValueError(f"{self.model} has no handsets")
        self.state.set_paired(handset, paired)

    def provision_account(
        self,
        account: int,
        sip_id: str,
        *,
        name: str = "",
        sip_server: str = "",
        handset_mode: str = "",
    ) -> None:
        """Configure an account slot (1-based); registering it is set_registered."""
        self.state.provision_account(
            account,
            sip_id=sip_id,
            name=name,
            sip_server=sip_server,
            handset_mode=handset_mode,
        )

    @property
    def action_url_requests(self) -> list[ActionUrlRequest]:
        """Return the Action URLs requested so far, once answered, in order."""
        return self._action_url_sender.requests

    async def wait_for_action_urls(self) -> None:
        """Return once every Action URL requested so far has been answered."""
        await self._action_url_sender.wait()

    def _emit(self, event: str, /, **variables: object) -> None:
        """Record a phone event and request its Action URL, if one is set."""
        self.events.append(SimEvent(event, variables))
        template = self.action_urls.get(event)
        # The phone never stored a longer value: the field is as good as empty.
        if template is not None and len(template) <= MAX_URL_LENGTH:
            url = fill(template, self._action_url_values(variables))
            self._action_url_sender.send(event, url)

    def _action_url_values(self, variables: dict[str, object]) -> dict[str, str]:
        """Return the Action URL variables of an event; "" has no value."""
        values = {
            "mac": self.mac,
            "phone_ip": self.host,
            "product": self.model,
            "remote": str(variables.get("remote") or ""),
            "display_remote": str(variables.get("display_remote") or ""),
        }
        account = variables.get("account")
        if isinstance(account, int) and 1 <= account <= len(self.state.accounts):
            config = self.state.account(account)
            values |= {
                "local": config.sip_id,
                "display_local": config.name,
                "active_user": config.sip_id,
            }
        line, handset = variables.get("line"), variables.get("handset")
        if isinstance(line, int) and (handset is None or isinstance(handset, int)):
            if call_id := self.state.line(line, handset).call_id:
                values["call-id"] = f"{call_id}-{self.mac}@{self.host}"
        return values

    # ----- power

    async def start(self) -> None:
        """Start listening."""
        await self.go_online()

    async def stop(self) -> None:
        """Stop listening and cancel everything pending (timers, reboot)."""
        task, self._reboot_task = self._reboot_task, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        self.state.cancel_timers()
        await self._action_url_sender.close()
        await self.go_offline()

    async def go_online(self) -> None:
        """Listen (again) on the same port."""
        async with self._power:
            if self._runner is not None:
                return
            server = web.Server(
                self._handle, handler_cancellation=True, access_log=None
            )
            runner = web.ServerRunner(server, shutdown_timeout=_SHUTDOWN_TIMEOUT)
            try:
                await runner.setup()
                await web.TCPSite(
                    runner, self.host, self._port, ssl_context=self.ssl_context
                ).start()
            except BaseException:
                await runner.cleanup()
                raise
            self._port = runner.addresses[0][1]
            self._runner = runner

    async def go_offline(self) -> None:
        """Stop listening and drop open connections (connection refused)."""
        async with self._power:
            if self._runner is not None:
                await self._runner.cleanup()
                self._runner = None

    async def __aenter__(self) -> Self:
        """Start the phone."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the phone."""
        await self.stop()

    def _begin_reboot(self, *, factory: bool) -> None:
        """Reboot in the background, once the answer is on its way."""
        if self._reboot_task is None or self._reboot_task.done():
            self._reboot_task = asyncio.get_running_loop().create_task(
                self._reboot(factory=factory), name=f"{self.model} reboot"
            )

    async def _reboot(self, *, factory: bool) -> None:
        """Go offline with calls dropped, then come back after reboot_seconds."""
        # Calls drop the moment the phone restarts, before its server is down.
        self.state.power_cycle(factory=factory)
        self._emit("reboot", factory=factory)
        # Shielded so a stop() arriving mid-shutdown cannot leave it half done.
        await asyncio.shield(self.go_offline())
        await asyncio.sleep(self.reboot_seconds)
        await self.go_online()
        self._emit("setup_completed")

    # ----- HTTP

    def _record(self, request: web.BaseRequest) -> RecordedRequest:
        """Log a request before anything else can go wrong with it."""
        params: dict[str, str] = {}
        for key, value in request.rel_url.query.items():
            params.setdefault(key, value)
        path = request.path
        record = RecordedRequest(
            method=request.method,
            path=path,
            function=path.removeprefix(CGI_BIN) if path.startswith(CGI_BIN) else "",
            params=params,
            raw_query=request.rel_url.raw_query_string,
            received_at=asyncio.get_running_loop().time(),
        )
        self.requests.append(record)
        return record

    def _json(
        self, payload: dict[str, object], *, truncate: bool = False
    ) -> web.Response:
        """Return a JSON answer in the model's spacing and Content-Type."""
        body = render_json(payload, self.profile.json_style).encode()
        if truncate:
            body = body[: len(body) // 2]
        return web.Response(
            body=body, headers={hdrs.CONTENT_TYPE: self.profile.content_type}
        )

    def _refusal(self, answer: AuthAnswer) -> web.Response:
        """Return one of the four authentication refusals."""
        match answer:
            case "http401":
                return _html(401, UNAUTHORIZED_PAGE)
            case "http403":
                return _html(403, FORBIDDEN_PAGE)
            case "unauthorized" | "forbidden":
                return self._json({"response": "success", "body": answer})

    def _forced_error(self, function: str, params: Params) -> Reply | None:
        """Return the error a test configured for this request, if any."""
        errors = self.faults.command_errors
        keys = params.get("keys", "")
        candidates = [
            function,
            params.get("cmd", ""),
            params.get("request", ""),
            keys,
            *keys.split(":"),
        ]
        for candidate in candidates:
            if candidate and candidate in errors:
                return error(errors[candidate])
        return None

    def _handler(self, function: str) -> Handler | None:
        """Return the handler of a function this firmware has."""
        if (
            function == "api-get_line_status"
            and self.gsc_line_status
            and self.profile.family == "GSC"
        ):
            return get_line_status
        return self._handlers.get(function)

    def _unknown_function(self, path: str) -> web.Response:
        """Answer a path the phone has no function for."""
        if not path.startswith(CGI_BIN):
            return _html(404, NOT_FOUND_PAGE)
        match self.unknown_function_answer:
            case "http404":
                return _html(404, NOT_FOUND_PAGE)
            case "error":
                return self._json(error("unknown").payload)
            case "html":
                return web.Response(
                    body=web_ui_page(self.model).encode(),
                    headers={hdrs.CONTENT_TYPE: "text/html"},
                )

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Answer one request like the phone's web server."""
        if self.control and request.path.startswith(control.PREFIX):
            return await control.handle(self, request)
        record = self._record(request)
        if self.redirect_to_https and self.ssl_context is None:
            location = request.url.with_scheme("https").with_port(None)
            return web.Response(status=301, headers={hdrs.LOCATION: str(location)})
        faults = self.faults
        if faults.hang:
            # Never answer; going offline (or the client leaving) cancels this.
            await asyncio.get_running_loop().create_future()
        if faults.delay > 0:
            await asyncio.sleep(faults.delay)

        # Routing comes first: lighttpd answers 404 for a CGI that does not
        # exist before any CGI could look at the passcode.
        handler: Handler | None = None
        protected = True
        if record.path.startswith(CGI_BIN):
            if record.function == MODEL_QUERY and self.model_query:
                handler, protected = get_values, False
            elif record.function not in faults.missing_functions:
                handler = self._handler(record.function)
        if handler is None:
            return self._unknown_function(record.path)

        if protected:
            if faults.cti_disabled:
                return _html(403, FORBIDDEN_PAGE)
            if record.params.get("passcode") != self.passcode:
                return self._refusal(self.wrong_passcode_answer)
            if faults.auth is not None:
                return self._refusal(faults.auth)
        if faults.http_500:
            return _html(500, SERVER_ERROR_PAGE)
        if faults.non_json:
            return web.Response(
                body=web_ui_page(self.model).encode(),
                headers={hdrs.CONTENT_TYPE: "text/html"},
            )

        reply = self._forced_error(record.function, record.params) or handler(
            self.state, record.params
        )
        response = self._json(reply.payload, truncate=faults.truncated)
        if reply.then is not None:
            # Send the answer completely before the phone drops off the network.
            response.force_close()
            await response.prepare(request)
            await response.write_eof()
            self._begin_reboot(factory=reply.then == "reset")
        return response
