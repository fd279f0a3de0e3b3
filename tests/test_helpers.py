"""Tests for the integration's helpers: client errors in words a user can act on."""

from __future__ import annotations

import json
from pathlib import Path
import re

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.const import DOMAIN
from custom_components.grandstream_cti.cti import GrandstreamCertificateError
from custom_components.grandstream_cti.helpers import cti_error, device_name

# ----- every problem the client names has its words


def test_every_input_code_is_worded() -> None:
    """Each input code has an action message and, for numbers, a speed-dial form error."""
    root = Path(__file__).parent.parent / "custom_components" / "grandstream_cti"
    translations = json.loads((root / "translations" / "en.json").read_text())
    codes = set(re.findall(r'code="(\w+)"', (root / "cti" / "client.py").read_text()))
    codes.add("invalid")  # GrandstreamInvalidInputError's default
    assert codes
    for code in codes:
        assert f"input_{code}" in translations["exceptions"], code
    number_codes = {"empty", "too_long", "keypad_characters", "dial_characters"}
    for code in number_codes:
        assert code in translations["config_subentries"]["speed_dial"]["error"], code
    refusals = set(
        re.findall(r'_refusal\(\s*"(\w+)"', (root / "services.py").read_text())
    )
    assert refusals
    for key in refusals:
        assert key in translations["exceptions"], key


async def test_error_words_without_a_device(hass: HomeAssistant) -> None:
    """Name a phone by its entry's title before its device exists."""
    entry = MockConfigEntry(domain=DOMAIN, title="GXP2170 (192.0.2.1)")
    entry.add_to_hass(hass)

    assert device_name(hass, entry) == "GXP2170 (192.0.2.1)"
    err = cti_error(hass, entry, GrandstreamCertificateError("self-signed"))
    assert err.translation_key == "certificate_error"
    assert err.translation_placeholders == {"name": "GXP2170 (192.0.2.1)"}
