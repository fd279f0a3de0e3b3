"""Check what the HACS action validates: hacs.json, brand images, license, information."""

from __future__ import annotations

from pathlib import Path
import struct

from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as HA_VERSION

from .project import PACKAGE, ROOT, load_json

# hacs/integration: custom_components/hacs/utils/validate.py HACS_MANIFEST_JSON_SCHEMA
HACS_KEYS = {
    "content_in_root": bool,
    "country": (str, list),
    "filename": str,
    "hacs": str,
    "hide_default_branch": bool,
    "homeassistant": str,
    "persistent_directory": str,
    "render_readme": bool,
    "zip_release": bool,
    "name": str,
}


def _png_size(path: Path) -> tuple[int, int]:
    """Return the width and height of a PNG file."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_hacs_json() -> None:
    """Validate hacs.json against the keys HACS accepts."""
    hacs = load_json(ROOT / "hacs.json")

    assert isinstance(hacs.get("name"), str), "hacs.json needs a name"
    assert not hacs.keys() - HACS_KEYS.keys(), "unknown keys (HACS rejects them)"
    for key, value in hacs.items():
        assert isinstance(value, HACS_KEYS[key]), f"{key} has the wrong type"
    if minimum := hacs.get("homeassistant"):
        assert AwesomeVersion(minimum) <= AwesomeVersion(HA_VERSION), (
            f"hacs.json wants Home Assistant {minimum}, tests run {HA_VERSION}"
        )


def test_brand_images() -> None:
    """Brand images exist, are PNG and have the sizes Home Assistant wants."""
    brand = PACKAGE / "brand"
    assert _png_size(brand / "icon.png") == (256, 256)
    assert _png_size(brand / "icon@2x.png") == (512, 512)
    for name, low, high in (("logo.png", 128, 256), ("logo@2x.png", 256, 512)):
        if (brand / name).exists():
            assert low <= min(_png_size(brand / name)) <= high, name


def test_license() -> None:
    """An OSI-approved license at the root, named in the README."""
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License"), "LICENSE is not the MIT license"
    assert "[MIT License](LICENSE)" in (ROOT / "README.md").read_text(
        encoding="utf-8"
    ), "the README does not name the license"


def test_info_md() -> None:
    """info.md (shown by HACS) names every family the README supports."""
    info = (ROOT / "info.md").read_text(encoding="utf-8")
    for family in ("GXP", "GRP", "DP750", "GSC"):
        assert family in info, f"info.md does not mention {family}"
