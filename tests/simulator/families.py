"""What each Grandstream family accepts: keys, call operations, reboot answer."""

from dataclasses import dataclass
from typing import Literal

type Family = Literal["GXP", "GRP", "DP", "GSC"]

DIGITS = frozenset("0123456789")

# The Sending Keys table of both Grandstream CTI guides (GXP edition and
# DP750/720 edition), which the DP750/720 edition files under "all models".
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

# The DP750 wants # and * spelled out (Grandstream CTI guide, DP750/720
# edition, Sending Keys: "# key need be sent as HASH"), so the raw symbols are
# unknown keys there; the rest are the keys it shows only with hs=NUMBER.
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
        # A field report, not the guides: on GXP holdcall toggles hold.
        hold_toggles=True,
        reboot_body="savereboot",
    ),
    "GRP": FamilyProfile(
        name="GRP",
        keys=DESK_KEYS,
        # A field report (Grandstream's GRP Click2Dial code), not the GRP
        # guide: unhold exists, and arg=<line> picks the line.
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
