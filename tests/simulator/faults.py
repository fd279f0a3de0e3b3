"""Faults a test can switch on to make the simulated phone misbehave."""

from dataclasses import dataclass, field
from typing import Literal

# The four ways a phone has been seen to refuse a caller (device-notes section 2):
# HTTP 401 or 403 with an HTML page, or HTTP 200 with a success envelope whose
# body is "unauthorized" or "forbidden".
type AuthAnswer = Literal["http401", "http403", "unauthorized", "forbidden"]


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
    # Functions this firmware lacks: 404 like a CGI that does not exist, as an
    # unknown model or firmware would answer the integration's probes.
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
