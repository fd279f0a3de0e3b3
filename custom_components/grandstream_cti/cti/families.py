"""What each Grandstream family can do over CTI, as data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
import re


class Family(StrEnum):
    """A family of phones sharing one CTI dialect."""

    GXP = "gxp"
    GRP = "grp"
    DP = "dp"
    GSC = "gsc"


class Function(StrEnum):
    """A CTI function, named as in the URL path."""

    GET_LINE_STATUS = "api-get_line_status"
    GET_PHONE_STATUS = "api-get_phone_status"
    GET_ACCOUNTS = "api-get_accounts"
    GET_ACCOUNT_STATUS = "api-get_account_status"
    GET_HS_STATUS = "api-get_hs_status"
    GET_HS_LINE_STATUS = "api-get_hs_line_status"
    MAKE_CALL = "api-make_call"
    SEND_KEY = "api-send_key"
    PHONE_OPERATION = "api-phone_operation"
    DEVICE_OPERATION = "api-device_operation"
    SYS_OPERATION = "api-sys_operation"
    GET_MUSIC = "api-get_music"
    CTRL_MUSIC_PLAY = "api-ctrl_music_play"


class CallOperation(StrEnum):
    """A call operation, independent of how a family spells it."""

    ACCEPT = "accept"
    REJECT = "reject"
    END = "end"
    HOLD = "hold"
    UNHOLD = "unhold"
    CANCEL = "cancel"
    MUTE = "mute"
    SPEAKER = "speaker"


class DialRoute(StrEnum):
    """How a family places a call."""

    KEYS = "keys"
    MAKE_CALL = "make_call"


class DndRoute(StrEnum):
    """How a family switches do-not-disturb."""

    NONE = "none"
    DEVICE_OPERATION = "device_operation"
    TOGGLE_KEY = "toggle_key"


# The functions that read the state a poll cycle shows.
STATUS_FUNCTIONS = frozenset(
    {
        Function.GET_PHONE_STATUS,
        Function.GET_LINE_STATUS,
        Function.GET_ACCOUNTS,
        Function.GET_ACCOUNT_STATUS,
        Function.GET_HS_STATUS,
        Function.GET_HS_LINE_STATUS,
    }
)

# Device operations that take no line argument (Grandstream CTI guide,
# DP750/720 edition, Device Operations Functions).
LINELESS_DEVICE_COMMANDS = frozenset({"mute", "speaker", "setdnd", "unsetdnd"})

NUMBER_MAX_LENGTH = 64

_DIGITS = frozenset("0123456789")
# The keys of the Sending Keys table in the Grandstream CTI guides, which every
# family with api-send_key shares.
_TABLE_KEYS = frozenset(
    {
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
        *(f"LINE{n}" for n in range(1, 9)),
        *(f"SOFT{n}" for n in range(1, 5)),
        *(f"MPK{n}" for n in range(1, 25)),
    }
)
# The keys the Grandstream CTI guide (DP750/720 edition), Sending Keys, shows
# only with hs=NUMBER: the handsets' navigation keys, and `#` and `*` spelled
# HASH and STAR ("# key need be sent as HASH on DP750/DP720").
_HANDSET_ONLY_KEYS = frozenset(
    {
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
)

# Desk phones (GXP, GRP) take `#` and `*` as they are.
_DESK_PHONE_KEYS = _DIGITS | {"*", "#"} | _TABLE_KEYS
# The DP guide lists the whole table under "Functions used on all Models":
# nothing in it is refused on a handset.
_HANDSET_KEYS = _DIGITS | _TABLE_KEYS | _HANDSET_ONLY_KEYS

_PHONE_COMMANDS_GXP: Mapping[CallOperation, str] = {
    CallOperation.ACCEPT: "acceptcall",
    CallOperation.REJECT: "rejectcall",
    CallOperation.END: "endcall",
    # A field report, not the guides: GXP firmware toggles hold with
    # holdcall; there is no separate unhold.
    CallOperation.HOLD: "holdcall",
    CallOperation.CANCEL: "cancel",
}


@dataclass(frozen=True, kw_only=True)
class FamilyProfile:
    """The CTI capabilities of one family."""

    family: Family
    title: str
    functions: frozenset[Function]
    keys: frozenset[str] = frozenset()
    key_aliases: Mapping[str, str] = field(default_factory=dict)
    operations: Mapping[CallOperation, str] = field(default_factory=dict)
    dial: DialRoute
    number_pattern: re.Pattern[str]
    # The most a phone of the family can have: answers beyond them are cut.
    lines: int = 0
    handsets: int = 0
    handset_lines: int = 0
    accounts: int = 0
    dnd: DndRoute = DndRoute.NONE
    # Functions the family's guide does not list but some firmware answers:
    # the client asks the phone before it uses them.
    unlisted: frozenset[Function] = frozenset()

    def supports(self, function: Function) -> bool:
        """Return whether the family has the function."""
        return function in self.functions

    @property
    def operation_function(self) -> Function:
        """Return the function that carries call operations."""
        if Function.DEVICE_OPERATION in self.functions:
            return Function.DEVICE_OPERATION
        return Function.PHONE_OPERATION


# make_call takes a SIP dial string; through keys only what the keypad has.
_MAKE_CALL_NUMBER = re.compile(r"[0-9*#+]{1,64}")
_KEYPAD_NUMBER = re.compile(r"[0-9*#]{1,64}")

# Bounds on what a phone reports, so that a broken or hostile answer cannot
# create thousands of entities. The largest desk models have 12 line keys
# (GXP2170, GRP2670) and 16 SIP accounts (GRP2614/2616); the bounds leave
# room above them.
_DESK_PHONE_LINES = 16
_DESK_PHONE_ACCOUNTS = 16

PROFILES: Mapping[Family, FamilyProfile] = {
    Family.GXP: FamilyProfile(
        family=Family.GXP,
        title="GXP16xx/17xx/21xx",
        functions=frozenset(
            {
                Function.GET_LINE_STATUS,
                Function.GET_PHONE_STATUS,
                Function.SEND_KEY,
                Function.PHONE_OPERATION,
                Function.SYS_OPERATION,
            }
        ),
        keys=_DESK_PHONE_KEYS,
        operations=_PHONE_COMMANDS_GXP,
        # The guides dial on GXP with digit keys followed by SEND.
        dial=DialRoute.KEYS,
        number_pattern=_KEYPAD_NUMBER,
        lines=_DESK_PHONE_LINES,
        dnd=DndRoute.TOGGLE_KEY,
    ),
    Family.GRP: FamilyProfile(
        family=Family.GRP,
        title="GRP260x/261x",
        functions=frozenset(
            {
                Function.GET_LINE_STATUS,
                Function.GET_PHONE_STATUS,
                Function.GET_ACCOUNTS,
                Function.SEND_KEY,
                Function.PHONE_OPERATION,
                Function.SYS_OPERATION,
                Function.MAKE_CALL,
            }
        ),
        keys=_DESK_PHONE_KEYS,
        # A field report (Grandstream's GRP Click2Dial code), not the GRP
        # guides: GRP firmware has a separate unhold.
        operations={**_PHONE_COMMANDS_GXP, CallOperation.UNHOLD: "unhold"},
        # A field report too: Grandstream's GRP Click2Dial code dials with
        # api-make_call, which the GRP260x guide's function table lacks.
        dial=DialRoute.MAKE_CALL,
        number_pattern=_MAKE_CALL_NUMBER,
        lines=_DESK_PHONE_LINES,
        accounts=_DESK_PHONE_ACCOUNTS,
        dnd=DndRoute.TOGGLE_KEY,
    ),
    Family.DP: FamilyProfile(
        family=Family.DP,
        title="DP750/720",
        functions=frozenset(
            {
                Function.GET_ACCOUNT_STATUS,
                Function.GET_HS_STATUS,
                Function.GET_HS_LINE_STATUS,
                Function.MAKE_CALL,
                Function.SEND_KEY,
                Function.DEVICE_OPERATION,
                Function.SYS_OPERATION,
            }
        ),
        keys=_HANDSET_KEYS,
        key_aliases={"#": "HASH", "*": "STAR"},
        operations={
            CallOperation.ACCEPT: "acceptcall",
            CallOperation.REJECT: "rejectcall",
            CallOperation.END: "endcall",
            CallOperation.HOLD: "holdcall",
            CallOperation.UNHOLD: "unholdcall",
            CallOperation.CANCEL: "cancel",
            CallOperation.MUTE: "mute",
            CallOperation.SPEAKER: "speaker",
        },
        dial=DialRoute.MAKE_CALL,
        number_pattern=_MAKE_CALL_NUMBER,
        handsets=5,
        handset_lines=10,
        accounts=10,
        dnd=DndRoute.DEVICE_OPERATION,
    ),
    Family.GSC: FamilyProfile(
        family=Family.GSC,
        title="GSC35xx",
        functions=frozenset(
            {
                Function.GET_PHONE_STATUS,
                Function.MAKE_CALL,
                Function.PHONE_OPERATION,
                Function.SYS_OPERATION,
                Function.GET_MUSIC,
                Function.CTRL_MUSIC_PLAY,
            }
        ),
        operations={
            CallOperation.ACCEPT: "acceptcall",
            CallOperation.REJECT: "rejectcall",
            CallOperation.END: "endcall",
            # GSC CTI Guide, Phone Operations: the first mute mutes, the
            # second unmutes.
            CallOperation.MUTE: "mute",
        },
        dial=DialRoute.MAKE_CALL,
        number_pattern=_MAKE_CALL_NUMBER,
        lines=_DESK_PHONE_LINES,
        # The GSC3505/3510/3506/3516 CTI Guide uses api-get_line_status as its
        # example request and answer, though its function table lacks it.
        unlisted=frozenset({Function.GET_LINE_STATUS}),
    ),
}

_MODEL_PREFIXES: tuple[tuple[str, Family], ...] = (
    ("GXP", Family.GXP),
    ("GRP", Family.GRP),
    # WP8x6 Wi-Fi phones speak the GRP dialect (line status plus accounts).
    ("WP8", Family.GRP),
    ("DP7", Family.DP),
    ("GSC", Family.GSC),
)


def family_for_model(model: str) -> Family | None:
    """Return the family of a model name such as GXP2170, if known."""
    name = model.strip().upper()
    for prefix, family in _MODEL_PREFIXES:
        if name.startswith(prefix):
            return family
    return None
