"""Parse CTI responses, with every quirk of real phones in one place."""

from __future__ import annotations

from collections.abc import Mapping
import json
import re
from typing import Any

from .errors import (
    GrandstreamAccessDeniedError,
    GrandstreamAuthenticationError,
    GrandstreamCommandRejectedError,
    GrandstreamInvalidResponseError,
    GrandstreamUnsupportedError,
)
from .models import (
    Account,
    AccountStatus,
    HandsetLineStatus,
    HandsetStatus,
    LineStatus,
    MusicFile,
    PhoneStatus,
)

# Phones answer a refused passcode with HTTP 200 and one of these bodies.
_AUTH_BODIES = {
    "unauthorized": GrandstreamAuthenticationError,
    "forbidden": GrandstreamAccessDeniedError,
}
# The model comes from an unauthenticated answer and may become a title: only
# what looks like a model name is kept ("GXP2170", "GRP2616W", "DP750").
_MODEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ._+/-]{0,31}")


def parse_envelope(function: str, status: int, raw: bytes) -> dict[str, Any]:
    """Check the HTTP status and the response envelope; return the JSON object."""
    if status == 401:
        raise GrandstreamAuthenticationError(
            f"{function}: the phone refused the passcode (HTTP 401)"
        )
    if status == 403:
        raise GrandstreamAccessDeniedError(
            f"{function}: the phone refused CTI access (HTTP 403)"
        )
    if status == 404:
        raise GrandstreamUnsupportedError(
            f"{function}: the phone has no such function (HTTP 404)"
        )
    if status != 200:
        raise GrandstreamInvalidResponseError(f"{function}: HTTP {status}")
    # Content-Type is unreliable (text/plain, text/html, application/json):
    # always try JSON, whatever the headers say.
    try:
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        raise GrandstreamInvalidResponseError(
            f"{function}: the answer is not JSON"
        ) from None
    if not isinstance(data, dict):
        raise GrandstreamInvalidResponseError(
            f"{function}: the answer is not a JSON object"
        )
    response = data.get("response")
    body = data.get("body")
    if isinstance(body, str) and (auth_error := _AUTH_BODIES.get(body.lower())):
        raise auth_error(f"{function}: the phone answered {body!r}")
    if response == "success":
        # Some firmwares report a refused request as a "success" with this body.
        if isinstance(body, str) and body.lower() == "invalid request":
            raise GrandstreamCommandRejectedError(function, body)
        return data
    if response == "error":
        raise GrandstreamCommandRejectedError(function, body)
    raise GrandstreamInvalidResponseError(
        f"{function}: unexpected response {response!r}"
    )


def parse_phone_model(status: int, raw: bytes) -> str | None:
    """Return the model from api.values.get; None unless it names one."""
    if status != 200:
        return None
    try:
        data = json.loads(raw.decode("utf-8", errors="replace"))
    except ValueError:
        return None
    body = data.get("body") if isinstance(data, dict) else None
    model = body.get("phone_model") if isinstance(body, dict) else None
    if not isinstance(model, str) or not _MODEL.fullmatch(model := model.strip()):
        return None
    return model


def parse_phone_status(data: Mapping[str, Any]) -> PhoneStatus:
    """Parse api-get_phone_status."""
    body = data.get("body")
    if not isinstance(body, str):
        raise GrandstreamInvalidResponseError(f"phone status is not a string: {body!r}")
    # `misc` is "0" on desk phones and "1" on GSC; its meaning is undocumented.
    return PhoneStatus(status=body.strip(), misc=_text(data.get("misc")))


def parse_line_status(
    data: Mapping[str, Any], *, zero_based_account: bool = False
) -> tuple[LineStatus, ...]:
    """Parse api-get_line_status; `acct` becomes a 1-based account or None."""
    lines = []
    for item in _items(data, "Line"):
        line = _int(item.get("line"))
        if line is None:
            raise GrandstreamInvalidResponseError(f"line without a number: {item!r}")
        # The Grandstream CTI guide and the GSC guide write `remotenum`; the
        # GRP260x guide and every captured device write `remotenumber`.
        number = item.get("remotenumber", item.get("remotenum"))
        lines.append(
            LineStatus(
                line=line,
                state=_text(item.get("state")),
                account=_account(item.get("acct"), zero_based=zero_based_account),
                remote_name=_text(item.get("remotename")),
                remote_number=_text(number),
                active=bool(_int(item.get("active"))),
            )
        )
    return tuple(sorted(lines, key=lambda line: line.line))


def parse_accounts(data: Mapping[str, Any]) -> tuple[Account, ...]:
    """Parse api-get_accounts (GRP)."""
    accounts = []
    for item in _items(data, "Account"):
        account_id = _int(item.get("id"))
        if account_id is None:
            raise GrandstreamInvalidResponseError(f"account without an id: {item!r}")
        accounts.append(
            Account(
                id=account_id,
                name=_text(item.get("name")),
                sip_id=_text(item.get("sip_id")),
                sip_server=_text(item.get("sip_server")),
                registered=bool(_int(item.get("reg"))),
            )
        )
    return tuple(sorted(accounts, key=lambda account: account.id))


def parse_account_status(data: Mapping[str, Any], account: int) -> AccountStatus:
    """Parse api-get_account_status (DP)."""
    item = _keyed(data, f"Account{account}")
    return AccountStatus(
        account=account,
        registered=bool(_int(_get(item, "registered"))),
        active=bool(_int(_get(item, "active"))),
        profile=_int(_get(item, "profile")),
        handset_mode=_text(_get(item, "hsmode")),
    )


def parse_handset_status(data: Mapping[str, Any], handset: int) -> HandsetStatus:
    """Parse api-get_hs_status (DP)."""
    item = _keyed(data, f"HS{handset}")
    return HandsetStatus(
        handset=handset,
        initialized=bool(_int(_get(item, "initialized"))),
        paired=bool(_int(_get(item, "subscribed"))),
        status=_text(_get(item, "status")),
    )


def parse_handset_line_status(
    data: Mapping[str, Any], handset: int
) -> tuple[HandsetLineStatus, ...]:
    """Parse api-get_hs_line_status (DP)."""
    item = _keyed(data, f"HS{handset}")
    lines = []
    for key, value in item.items():
        if not key.lower().startswith("line") or not isinstance(value, dict):
            continue
        line = _int(key[4:])
        if line is None:
            continue
        lines.append(
            HandsetLineStatus(
                handset=handset,
                line=line,
                state=_text(_get(value, "status")),
                # Grandstream CTI guide (DP750/720 edition), Handset Line
                # Status: Account 0 on the lines without one.
                account=_int(_get(value, "account")) or None,
                registered=bool(_int(_get(value, "registered"))),
                active=bool(_int(_get(value, "active"))),
            )
        )
    return tuple(sorted(lines, key=lambda line: line.line))


def parse_music(data: Mapping[str, Any]) -> tuple[MusicFile, ...]:
    """Parse api-get_music (GSC)."""
    files = []
    for item in _items(data, "File"):
        path = _text(item.get("path"))
        if not path:
            raise GrandstreamInvalidResponseError(
                f"music file without a path: {item!r}"
            )
        name = _text(item.get("fileName")) or path.rsplit("/", 1)[-1]
        files.append(MusicFile(name=name, path=path))
    return tuple(files)


def check_call_code(data: Mapping[str, Any]) -> None:
    """Raise when a make_call success carries a failure code."""
    # A success may carry a numeric code: 2 = no dial plan match, 8 = all lines busy.
    code = _int(data.get("code"))
    if code not in (None, 0):
        raise GrandstreamCommandRejectedError("api-make_call", {"code": code})


def _items(data: Mapping[str, Any], prefix: str) -> list[Mapping[str, Any]]:
    """Return the records of a body that is a list or a dict keyed Prefix1.."""
    body = data.get("body")
    if isinstance(body, dict):
        # Some firmwares key records (`Line1`, `Account1`) instead of listing them.
        body = [value for key, value in body.items() if key.startswith(prefix)]
    if not isinstance(body, list) or not all(isinstance(item, dict) for item in body):
        raise GrandstreamInvalidResponseError(
            f"expected a list of records, got {type(body).__name__}"
        )
    return body


def _keyed(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    """Return the record under `key`, at the top level or inside `body`."""
    body = data.get("body")
    for container in (data, body if isinstance(body, dict) else {}):
        for name, value in container.items():
            if name.lower() == key.lower() and isinstance(value, dict):
                return value
    raise GrandstreamInvalidResponseError(f"no {key} in the answer")


def _get(item: Mapping[str, Any], name: str) -> Any:
    """Return a field by case-insensitive name (DP mixes `Registered` and `status`)."""
    for key, value in item.items():
        if key.lower() == name:
            return value
    return None


def _account(value: Any, *, zero_based: bool) -> int | None:
    """Return a line's `acct` as a 1-based account number, or None."""
    # `acct` is "" in the guides' examples, 0-based on GRP and WP phones
    # (captures of a WP826 and Grandstream's GRP Click2Dial code) and
    # 1-based on GXP21xx, where 0 cannot name an account.
    number = _int(value)
    if number is None or number < 0:
        return None
    if zero_based:
        return number + 1
    return number or None


def _int(value: Any) -> int | None:
    """Return an int from an int, a bool or a numeric string; else None."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        # int() itself decides: an isdigit() test lets "²" or "--1" through to
        # a ValueError that no caller expects from a phone's answer.
        try:
            return int(value)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    """Return a string field, with None as empty."""
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)
