"""Tests for the family capability table and model names."""

from __future__ import annotations

import pytest

from custom_components.grandstream_cti.cti import (
    PROFILES,
    CallOperation,
    Family,
    Function,
    family_for_model,
)


@pytest.mark.parametrize(
    ("model", "family"),
    [
        ("GXP2170", Family.GXP),
        ("gxp1628", Family.GXP),
        (" GRP2616 ", Family.GRP),
        ("WP826", Family.GRP),
        ("DP750", Family.DP),
        ("DP720", Family.DP),
        ("GSC3516", Family.GSC),
        ("HT812", None),
        ("", None),
    ],
)
def test_family_for_model(model: str, family: Family | None) -> None:
    """Model names map to families by prefix."""
    assert family_for_model(model) is family


# ----- the capability table


@pytest.mark.parametrize(
    ("family", "function"),
    [
        (Family.GXP, Function.PHONE_OPERATION),
        (Family.GRP, Function.PHONE_OPERATION),
        (Family.GSC, Function.PHONE_OPERATION),
        (Family.DP, Function.DEVICE_OPERATION),
    ],
)
def test_operation_function(family: Family, function: Function) -> None:
    """Call operations go through phone_operation, or device_operation on DP."""
    profile = PROFILES[family]

    assert profile.operation_function is function
    assert profile.supports(function)


def test_operation_names_match_guides() -> None:
    """Each family spells its call operations as its guide does."""
    assert {
        family: dict(profile.operations) for family, profile in PROFILES.items()
    } == {
        Family.GXP: {
            CallOperation.ACCEPT: "acceptcall",
            CallOperation.REJECT: "rejectcall",
            CallOperation.END: "endcall",
            CallOperation.HOLD: "holdcall",
            CallOperation.CANCEL: "cancel",
        },
        Family.GRP: {
            CallOperation.ACCEPT: "acceptcall",
            CallOperation.REJECT: "rejectcall",
            CallOperation.END: "endcall",
            CallOperation.HOLD: "holdcall",
            CallOperation.UNHOLD: "unhold",
            CallOperation.CANCEL: "cancel",
        },
        Family.DP: {
            CallOperation.ACCEPT: "acceptcall",
            CallOperation.REJECT: "rejectcall",
            CallOperation.END: "endcall",
            CallOperation.HOLD: "holdcall",
            CallOperation.UNHOLD: "unholdcall",
            CallOperation.CANCEL: "cancel",
            CallOperation.MUTE: "mute",
            CallOperation.SPEAKER: "speaker",
        },
        Family.GSC: {
            CallOperation.ACCEPT: "acceptcall",
            CallOperation.REJECT: "rejectcall",
            CallOperation.END: "endcall",
            CallOperation.MUTE: "mute",
        },
    }
