"""How the phones write their answers: JSON spacing variants and HTML pages."""

from collections.abc import Mapping
import json
from typing import Literal

# compact: GRP2616 ({"response":"success","body":...}).
# spaced:  json.dumps defaults, as the GSC guide prints it.
# padded:  GXP21xx and DP750 ({ "response": "success", "body": ... }).
# gxp16:   GXP16xx ({"response":"success", "body": ...}): the first pair has no
#          space after its colon, the rest do, as the Grandstream CTI guide
#          prints its examples and as Zabbix templates for GXP1xxx match them.
type JsonStyle = Literal["compact", "spaced", "padded", "gxp16"]


def _dumps(value: object) -> str:
    """Encode one value with the library's default separators."""
    # Real phones send names as UTF-8, not as \\u escapes.
    return json.dumps(value, ensure_ascii=False)


def _padded(value: object) -> str:
    """Encode a value with a space inside every brace and bracket."""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        pairs = ", ".join(f"{_dumps(str(k))}: {_padded(v)}" for k, v in value.items())
        return f"{{ {pairs} }}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return f"[ {', '.join(_padded(item) for item in value)} ]"
    return _dumps(value)


def render_json(payload: Mapping[str, object], style: JsonStyle) -> str:
    """Encode a top-level answer in one model's spacing."""
    match style:
        case "compact":
            return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        case "spaced":
            return _dumps(payload)
        case "padded":
            return _padded(payload)
        case "gxp16":
            pairs = [
                f"{_dumps(k)}:{_dumps(v)}"
                if index == 0
                else f"{_dumps(k)}: {_dumps(v)}"
                for index, (k, v) in enumerate(payload.items())
            ]
            return "{" + ", ".join(pairs) + "}"


def html_page(heading: str) -> str:
    """Return the one-line HTML page the web server sends with an error status."""
    return f"<html><body><h1>{heading}</h1></body></html>"


UNAUTHORIZED_PAGE = html_page("Unauthorized")
FORBIDDEN_PAGE = html_page("Forbidden")
NOT_FOUND_PAGE = html_page("404 Not Found")
SERVER_ERROR_PAGE = html_page("500 Internal Server Error")


def web_ui_page(model: str) -> str:
    """Return an HTML page in place of JSON, like a login page or a proxy's page."""
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>Grandstream {model}</title>"
        "</head><body><div id='login'>Please log in</div></body></html>"
    )
