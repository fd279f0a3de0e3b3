"""Faults a test can switch on to make the simulated phone misbehave."""

from dataclasses import dataclass, field
from typing import Literal

# The four ways phones have been reported to refuse a caller: HTTP 401 or 403
# with an HTML page, or HTTP 200 with a success envelope whose body is
# "unauthorized" or "forbidden".
type AuthAnswer = Literal["http401", "http403", "unauthorized", "forbidden"]

# How a phone answers a function it lacks; no guide says. http404: a CGI that
# does not exist; error: {"response":"error","body":"unknown"} with HTTP 200,
# as the guides' refusals look; html: HTTP 200 with a web-interface page.
type UnknownFunctionAnswer = Literal["http404", "error", "html"]


@dataclass(slots=True)
class Faults:
    """Misbehaviour switches, all off by default; assign Faults() to reset."""

    # Refuse every CTI request as if the passcode were wrong.
    auth: AuthAnswer | None = None
    # Action URI support off or caller IP not allowed: 403 for every CTI function.
    cti_disabled: bool = False
    # Seconds to wait before answering anything (a slow phone).
    delay: float = 0.0
    # Never answer (the client must time out).
    hang: bool = False
    # Functions this firmware lacks, answered as the simulator's
    # unknown_function_answer says, as an unknown model or firmware would.
    missing_functions: frozenset[str] = frozenset()
    # HTTP 500 with an HTML page; the command is not carried out.
    http_500: bool = False
    # HTTP 200 with an HTML page instead of JSON; the command is not carried out.
    non_json: bool = False
    # HTTP 200 with the first half of the real JSON; the command IS carried out.
    truncated: bool = False
    # Function name, or cmd/request/keys value (or one key of keys), mapped to the
    # body of {"response": "error", "body": ...}; the state does not change.
    command_errors: dict[str, object] = field(default_factory=dict)
