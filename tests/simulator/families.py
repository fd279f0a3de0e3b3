"""What each Grandstream family accepts: keys, call operations, reboot answer."""

from dataclasses import dataclass
from typing import Literal

type Family = Literal["GXP", "GRP", "DP", "GSC"]

DIGITS = frozenset("0123456789")

# Keys every send_key family documents (seed 000 and 001, "Sending Keys").
_COMMON_KEYS = (
    DIGITS
    | {
        "SPEAKER",
        "XFER",
        "VUP",
        "VDOWN",
        "MUTE",
        "HOLD",
        "CONF",
        "VM",
        "HEADSET",
        "DND",
        "SEND",
    }
    | {f"LINE{n}" for n in range(1, 9)}
    | {f"SOFT{n}" for n in range(1, 5)}
    | {f"MPK{n}" for n in range(1, 25)}
)

# Desk phones take the raw keypad symbols.
DESK_KEYS = _COMMON_KEYS | {"*", "#"}

# The DP750 wants # and * spelled out (seed 001: "# key need be sent as HASH"),
# so the raw symbols are unknown keys there.
DP_KEYS = _COMMON_KEYS | {
    "HASH",
    "STAR",
    "OFFHOOK",
    "ONHOOK",
    "OK",
    "LOCK",
    "UNLOCK",
    "UP",
    "DOWN",
    "LEFT",
    "RIGHT",
    "LEFT_SOFT_KEY",
    "RIGHT_SOFT_KEY",
}

# DP device operations that act on one handset line (need line=N).
DP_LINE_OPERATIONS = frozenset(
    {"endcall", "holdcall", "unholdcall", "acceptcall", "rejectcall", "cancel"}
)
# DP device operations that act on the handset itself (no line=N).
DP_HANDSET_OPERATIONS = frozenset({"mute", "speaker", "setdnd", "unsetdnd"})


@dataclass(frozen=True, slots=True, kw_only=True)
class FamilyProfile:
    """Behaviour shared by every model of one family."""

    name: Family
    keys: frozenset[str]
    operations: frozenset[str]
    hold_toggles: bool
    reboot_body: str


FAMILIES: dict[Family, FamilyProfile] = {
    "GXP": FamilyProfile(
        name="GXP",
        keys=DESK_KEYS,
        operations=frozenset(
            {"endcall", "holdcall", "acceptcall", "rejectcall", "cancel"}
        ),
        # device-notes: on GXP holdcall appears to toggle hold.
        hold_toggles=True,
        reboot_body="savereboot",
    ),
    "GRP": FamilyProfile(
        name="GRP",
        keys=DESK_KEYS,
        # Grandstream's own GRP extension also sends unhold, with arg=<line>.
        operations=frozenset(
            {"endcall", "holdcall", "unhold", "acceptcall", "rejectcall", "cancel"}
        ),
        hold_toggles=False,
        reboot_body="savereboot",
    ),
    "DP": FamilyProfile(
        name="DP",
        keys=DP_KEYS,
        operations=DP_LINE_OPERATIONS | DP_HANDSET_OPERATIONS,
        hold_toggles=False,
        reboot_body="directreboot",
    ),
    "GSC": FamilyProfile(
        name="GSC",
        # The GSC guide has no api-send_key: the set is never consulted.
        keys=frozenset(),
        operations=frozenset({"endcall", "acceptcall", "rejectcall", "mute"}),
        hold_toggles=False,
        reboot_body="savereboot",
    ),
}
