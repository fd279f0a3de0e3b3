"""Per-model profiles: the answer variants each simulated model reproduces."""

from dataclasses import dataclass
from typing import Literal

from .families import Family
from .faults import AuthAnswer
from .render import JsonStyle

# How line status writes "acct": "" in the guides' examples (GXP16xx, GSC),
# 1-based on GXP21xx, 0-based on GRP/WP (field reports: a WP826 capture and
# Grandstream's GRP Click2Dial code).
type AcctStyle = Literal["empty", "one_based", "zero_based"]

MUSIC_DIR = "/var/user/music"


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountConfig:
    """One SIP account as the phone is provisioned with it."""

    sip_server: str = ""
    sip_id: str = ""
    name: str = ""
    registered: bool = False
    # DP750: the handset this account rings ("HS1"); "" for desk phones.
    handset_mode: str = ""

    @property
    def configured(self) -> bool:
        """Return whether the account slot is set up at all."""
        return bool(self.sip_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelProfile:
    """Everything that differs between two simulated models."""

    model: str
    family: Family
    # Lines of the phone, or of each handset on a DP base.
    line_count: int
    # Line status calls the number "remotenum" in the Grandstream CTI guide and
    # the GSC guide, "remotenumber" in the GRP260x guide and on every captured device.
    number_field: str = "remotenumber"
    acct_style: AcctStyle = "one_based"
    # GXP21xx sets "active" to 1 during a call; WP/GRP leave it at 0.
    active_during_call: bool = False
    json_style: JsonStyle
    # Content-Type is unreliable on real phones: each model gets a different one.
    content_type: str
    misc: str = "0"
    wrong_passcode_answer: AuthAnswer = "http401"
    # Unauthenticated /cgi-bin/api.values.get?request=phone_model answers.
    model_query: bool = True
    accounts: tuple[AccountConfig, ...]
    handset_count: int = 0
    # The first N handsets are paired with the base.
    paired_handsets: int = 0
    # File names under MUSIC_DIR (GSC local music).
    music: tuple[str, ...] = ()


def _blank(count: int) -> tuple[AccountConfig, ...]:
    """Return unconfigured accounts to fill a model's account slots."""
    return tuple(AccountConfig() for _ in range(count))


_PBX = "pbx.example.com"

MODELS: dict[str, ModelProfile] = {
    profile.model: profile
    for profile in (
        ModelProfile(
            model="GXP2170",
            family="GXP",
            line_count=8,
            acct_style="one_based",
            active_during_call=True,
            json_style="padded",
            content_type="text/html",
            accounts=(
                AccountConfig(
                    sip_server=_PBX, sip_id="1001", name="Reception", registered=True
                ),
                AccountConfig(
                    sip_server=_PBX, sip_id="1002", name="Office", registered=True
                ),
                *_blank(4),
            ),
        ),
        ModelProfile(
            model="GXP1628",
            family="GXP",
            # The Grandstream CTI guide's Line Status example shows three lines.
            line_count=3,
            number_field="remotenum",
            acct_style="empty",
            active_during_call=True,
            json_style="gxp16",
            content_type="text/plain",
            accounts=(
                AccountConfig(
                    sip_server=_PBX, sip_id="1101", name="Desk", registered=True
                ),
                *_blank(1),
            ),
        ),
        ModelProfile(
            model="GRP2616",
            family="GRP",
            line_count=6,
            acct_style="zero_based",
            active_during_call=False,
            json_style="compact",
            content_type="application/json",
            wrong_passcode_answer="unauthorized",
            # New GRP firmware may not answer the model query (field report).
            model_query=False,
            accounts=(
                AccountConfig(
                    sip_server=_PBX, sip_id="1001", name="Reception", registered=True
                ),
                AccountConfig(
                    sip_server=_PBX, sip_id="1002", name="Office", registered=True
                ),
                AccountConfig(sip_server=_PBX, sip_id="1003", name="Spare"),
                *_blank(1),
            ),
        ),
        ModelProfile(
            model="DP750",
            family="DP",
            line_count=10,
            json_style="padded",
            content_type="text/html",
            accounts=(
                AccountConfig(
                    sip_server=_PBX,
                    sip_id="2001",
                    name="Handset 1",
                    registered=True,
                    handset_mode="HS1",
                ),
                AccountConfig(
                    sip_server=_PBX,
                    sip_id="2002",
                    name="Handset 2",
                    registered=True,
                    handset_mode="HS2",
                ),
                *_blank(8),
            ),
            handset_count=5,
            paired_handsets=2,
        ),
        ModelProfile(
            model="GSC3516",
            family="GSC",
            line_count=2,
            # Line status, when the firmware answers it, as the GSC guide's
            # example: "acct" empty, the number as "remotenum".
            number_field="remotenum",
            acct_style="empty",
            json_style="spaced",
            content_type="application/json;charset=UTF-8",
            misc="1",
            wrong_passcode_answer="unauthorized",
            accounts=(
                AccountConfig(
                    sip_server=_PBX, sip_id="3001", name="Intercom", registered=True
                ),
            ),
            music=("music1.ogg", "music2.ogg", "Door bell.ogg"),
        ),
    )
}
