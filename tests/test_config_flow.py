"""Tests for the Grandstream CTI config flow, against the phone simulator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
import json
from pathlib import Path
import ssl
from typing import Any
from unittest.mock import ANY, patch

from homeassistant.config_entries import (
    SOURCE_DHCP,
    SOURCE_USER,
    ConfigEntryDisabler,
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_PORT,
    CONF_SSL,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData, section
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.service_info.dhcp import DhcpServiceInfo
import probatio
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.grandstream_cti.const import (
    CONF_ADVANCED,
    CONF_FAMILY,
    CONF_MAC,
    CONF_MODEL,
    CONF_PASSCODE,
    DOMAIN,
)

from .common import assert_form, self_signed_context
from .conftest import ENTRY_ID, PASSCODE, entry_data
from .simulator import AuthAnswer, Faults, PhoneSimulator

TRANSLATIONS = (
    Path(__file__).parent.parent
    / "custom_components"
    / "grandstream_cti"
    / "translations"
    / "en.json"
)
MAC = "00:0b:82:12:34:56"
DHCP_INFO = DhcpServiceInfo(
    ip="127.0.0.1", hostname="gxp2170", macaddress="000b82123456"
)
# An unknown firmware: no model query, and no function the probes could tell
# the family by (a GSC without api-get_music).
UNKNOWN_FIRMWARE = frozenset({"api-get_music"})


def user_input(
    simulator: PhoneSimulator,
    passcode: str = PASSCODE,
    *,
    host: str | None = None,
    **advanced: Any,
) -> dict[str, Any]:
    """Return the user step's input for a simulated phone."""
    return {
        CONF_HOST: simulator.host if host is None else host,
        CONF_PASSCODE: passcode,
        CONF_ADVANCED: {CONF_PORT: simulator.port, **advanced},
    }


def discovery_input(
    simulator: PhoneSimulator, passcode: str = PASSCODE
) -> dict[str, Any]:
    """Return the discovery_confirm step's input for a simulated phone."""
    return {CONF_PASSCODE: passcode, CONF_ADVANCED: {CONF_PORT: simulator.port}}


def functions(simulator: PhoneSimulator) -> list[str]:
    """Return the functions the phone was asked for, in order."""
    return [request.function for request in simulator.requests]


def suggested_values(schema: probatio.Schema) -> dict[str, Any]:
    """Return the values a form is filled in with, sections included."""
    values: dict[str, Any] = {}
    for key, value in schema.schema.items():
        if isinstance(value, section):
            values[str(key)] = suggested_values(value.schema)
        elif key.description and "suggested_value" in key.description:
            values[str(key)] = key.description["suggested_value"]
    return values


async def start_user_flow(hass: HomeAssistant) -> ConfigFlowResult:
    """Open the user step."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert_form(result, "user", {})
    return result


def card_title(hass: HomeAssistant, flow_id: str) -> str:
    """Return the title of a flow's card, as the integrations page shows it."""
    flow = hass.config_entries.flow.async_get(flow_id)
    strings = json.loads(TRANSLATIONS.read_text(encoding="utf-8"))
    return str(
        strings["config"]["flow_title"].format(**flow["context"]["title_placeholders"])
    )


@pytest.fixture
def certificate(tmp_path: Path) -> ssl.SSLContext:
    """Return a server TLS context with a self-signed certificate, as phones have."""
    return self_signed_context(tmp_path)


@pytest.mark.parametrize(
    ("model", "title", "family", "probes"),
    [
        (
            "GXP2170",
            "GXP2170 (127.0.0.1)",
            "gxp",
            ["api.values.get", "api-get_line_status", "api-get_phone_status"],
        ),
        (
            "GXP1628",
            "GXP1628 (127.0.0.1)",
            "gxp",
            ["api.values.get", "api-get_line_status", "api-get_phone_status"],
        ),
        # The GRP simulator answers 404 to the model query: probed by function.
        (
            "GRP2616",
            "Grandstream GRP260x/261x (127.0.0.1)",
            "grp",
            ["api.values.get", "api-get_line_status", "api-get_accounts"],
        ),
        (
            "DP750",
            "DP750 (127.0.0.1)",
            "dp",
            [
                "api.values.get",
                "api-get_account_status",
                "api-get_hs_line_status",
                "api-get_hs_status",
            ],
        ),
        (
            "GSC3516",
            "GSC3516 (127.0.0.1)",
            "gsc",
            ["api.values.get", "api-get_phone_status"],
        ),
    ],
)
async def test_user_flow(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    title: str,
    family: str,
    probes: list[str],
) -> None:
    """Add each model by address and passcode; its family is detected.

    The title tells phones of one model apart by their address.
    """
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == title
    assert result["data"] == {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_PASSCODE: PASSCODE,
        CONF_FAMILY: family,
        CONF_MODEL: None if family == "grp" else simulator.model,
        CONF_WEBHOOK_ID: ANY,
    }
    assert len(result["data"][CONF_WEBHOOK_ID]) >= 32
    # Only a MAC from DHCP makes a unique id, never the address.
    assert result["result"].unique_id is None
    # The phone was asked before the entry was made; set-up polled after.
    assert functions(simulator)[: len(probes)] == probes
    assert simulator.requests[len(probes) - 1].params["passcode"] == PASSCODE
    assert result["result"].state is ConfigEntryState.LOADED
    # The device keeps the short name: entity ids made from it stay short.
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, result["result"].entry_id), result["result"].entry_id
    )
    assert device is not None
    # A phone that does not tell its model is named after its family.
    assert device.name == ("GRP" if family == "grp" else simulator.model)


@pytest.mark.parametrize(
    "hostile",
    [
        "GXP2170" + "A" * 300,
        "GXP2170\r\nX-Injected: 1",
        "GXP2170 <img src=x onerror=alert(1)>",
    ],
)
async def test_user_flow_model_not_a_model_name(
    hass: HomeAssistant, simulator: PhoneSimulator, hostile: str
) -> None:
    """Keep a model the phone names only if it looks like one, out of the title."""
    simulator.state.profile = replace(simulator.state.profile, model=hostile)
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Grandstream GXP16xx/17xx/21xx (127.0.0.1)"
    assert result["data"][CONF_FAMILY] == "gxp"
    assert result["data"][CONF_MODEL] is None


async def test_user_flow_without_port(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Leave the port empty: the scheme's default port is stored as None."""
    result = await start_user_flow(hass)

    # Nothing listens on port 80 here: the retry names the port.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: " 127.0.0.1 ", CONF_PASSCODE: PASSCODE, CONF_ADVANCED: {}},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    assert simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_HOST] == "127.0.0.1"


async def _go_offline(simulator: PhoneSimulator) -> None:
    await simulator.go_offline()


async def _go_online(simulator: PhoneSimulator) -> None:
    await simulator.go_online()


def _fault(**changes: Any) -> Callable[[PhoneSimulator], Awaitable[None]]:
    """Return an action that switches faults on."""

    async def apply(simulator: PhoneSimulator) -> None:
        simulator.faults = Faults(**changes)

    return apply


async def _clear_faults(simulator: PhoneSimulator) -> None:
    simulator.faults = Faults()


@pytest.mark.parametrize(
    ("break_phone", "fix_phone", "error"),
    [
        (_go_offline, _go_online, "cannot_connect"),
        (_fault(cti_disabled=True), _clear_faults, "cti_disabled"),
        (_fault(auth="http403"), _clear_faults, "cti_disabled"),
        (_fault(auth="forbidden"), _clear_faults, "cti_disabled"),
        (_fault(auth="http401"), _clear_faults, "invalid_auth"),
        (_fault(auth="unauthorized"), _clear_faults, "invalid_auth"),
        (_fault(non_json=True), _clear_faults, "invalid_response"),
        (_fault(http_500=True), _clear_faults, "invalid_response"),
        (_fault(truncated=True), _clear_faults, "invalid_response"),
    ],
)
async def test_user_flow_errors(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    break_phone: Callable[[PhoneSimulator], Awaitable[None]],
    fix_phone: Callable[[PhoneSimulator], Awaitable[None]],
    error: str,
) -> None:
    """Show an error when the phone misbehaves, then add it once it is fixed."""
    result = await start_user_flow(hass)
    await break_phone(simulator)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert_form(result, "user", {"base": error})

    await fix_phone(simulator)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "GXP2170 (127.0.0.1)"


@pytest.mark.parametrize(
    ("model", "answer"),
    [
        ("GXP2170", "http401"),
        ("GRP2616", "unauthorized"),
        ("GSC3516", "unauthorized"),
        ("DP750", "http401"),
    ],
)
async def test_user_flow_wrong_passcode(
    hass: HomeAssistant, simulator: PhoneSimulator, answer: AuthAnswer
) -> None:
    """Refuse a wrong passcode however the model says so; the right one works."""
    assert simulator.wrong_passcode_answer == answer
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, "wrong")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}
    # A rejected passcode is never tried again: it may count toward a lockout.
    assert [r.params.get("passcode") for r in simulator.requests].count("wrong") == 1

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_invalid_host(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Refuse a URL typed as the host before sending anything."""
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, host="http://127.0.0.1")
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1%0d%0aX:1",
        "127.0.0.1\r\nX-Injected: 1",
        "127.0.0.1:80",
        "127.0.0.1/cgi-bin",
        "admin@127.0.0.1",
        "127.0.0.1?passcode=x",
        "[127.0.0.1",
        "fe80::1%eth0",
        "[fe80::1%25eth0]",
        "-phone.example",
        "phone_1.example",
        "phone..example",
        f"{'a' * 64}.example",
        "phone with spaces",
        "192.168.1.300",
        "192.168.1",
        "",
    ],
)
async def test_user_flow_host_not_an_address(
    hass: HomeAssistant, simulator: PhoneSimulator, host: str
) -> None:
    """Refuse anything but an IP address or a host name; send nothing."""
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, host=host)
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_HOST: "invalid_host"}
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("host", "stored"),
    [
        ("192.0.2.7", "192.0.2.7"),
        (" 192.0.2.7 ", "192.0.2.7"),
        ("2001:db8::7", "2001:db8::7"),
        ("[2001:db8::7]", "2001:db8::7"),
        ("[2001:DB8:0::7]", "2001:db8::7"),
        ("phone-7.office.example", "phone-7.office.example"),
        ("phone7", "phone7"),
    ],
)
async def test_user_flow_host_forms(
    hass: HomeAssistant, simulator: PhoneSimulator, host: str, stored: str
) -> None:
    """Take IPv4, IPv6 with or without brackets, and host names, as stored."""
    MockConfigEntry(
        domain=DOMAIN, data=entry_data(simulator, **{CONF_HOST: stored})
    ).add_to_hass(hass)
    result = await start_user_flow(hass)

    # The address is valid and stored in one spelling: it matches the entry.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, host=host)
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("port", [1.5, 80.25])
async def test_user_flow_port_not_whole(
    hass: HomeAssistant, simulator: PhoneSimulator, port: float
) -> None:
    """Refuse a port with a fraction instead of storing it cut off."""
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PASSCODE: PASSCODE,
            CONF_ADVANCED: {CONF_PORT: port},
        },
    )

    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_port"}
    assert simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PORT] == simulator.port


@pytest.mark.parametrize("port", [0, 65536, -1])
async def test_user_flow_port_out_of_range(
    hass: HomeAssistant, simulator: PhoneSimulator, port: int
) -> None:
    """Refuse a port outside 1..65535 before anything is sent."""
    result = await start_user_flow(hass)

    with pytest.raises(InvalidData):
        await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {
                CONF_HOST: "127.0.0.1",
                CONF_PASSCODE: PASSCODE,
                CONF_ADVANCED: {CONF_PORT: port},
            },
        )
    assert simulator.requests == []


async def test_user_flow_https_to_plain_http(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Asking a plain-HTTP phone for HTTPS cannot connect; without HTTPS it works."""
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, ssl=True, verify_ssl=False)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, ssl=False)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_SSL] is False


async def test_user_flow_invalid_certificate(
    hass: HomeAssistant, socket_enabled: None, certificate: ssl.SSLContext
) -> None:
    """Report a self-signed certificate; without verification the phone is added."""
    # A debug event loop reports each handshake the client breaks off as an
    # error of the server (the simulator), which would fail the test.
    hass.loop.set_debug(False)
    async with PhoneSimulator(
        "GRP2616", passcode=PASSCODE, ssl_context=certificate
    ) as simulator:
        result = await start_user_flow(hass)

        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input(simulator, ssl=True)
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {"base": "invalid_certificate"}
        assert simulator.requests == []

        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input(simulator, ssl=True, verify_ssl=False)
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        assert result["data"][CONF_SSL] is True
        assert result["data"][CONF_VERIFY_SSL] is False
        assert functions(simulator)[:3] == [
            "api.values.get",
            "api-get_line_status",
            "api-get_accounts",
        ]
        assert await hass.config_entries.async_unload(result["result"].entry_id)


# The flow logs the traceback of an error it cannot name.
@pytest.mark.allowed_errors("Unexpected error while adding a phone")
async def test_user_flow_unexpected_error(
    hass: HomeAssistant, simulator: PhoneSimulator, caplog: pytest.LogCaptureFixture
) -> None:
    """Show `unknown` for an unexpected exception, then add the phone."""
    result = await start_user_flow(hass)

    with patch(
        "custom_components.grandstream_cti.cti.GrandstreamCti.detect",
        side_effect=ValueError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], user_input(simulator)
        )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error while adding a phone" in caplog.text
    assert PASSCODE not in caplog.text

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_already_configured(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Refuse a phone whose address is already set up, without asking it."""
    MockConfigEntry(domain=DOMAIN, data=entry_data(simulator)).add_to_hass(hass)
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("model", "simulator_options"), [("GSC3516", {"model_query": False})]
)
async def test_user_flow_family_step(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Ask for the family when probing cannot tell; check the one picked."""
    simulator.faults.missing_functions = UNKNOWN_FIRMWARE
    result = await start_user_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert_form(result, "family", {})
    assert functions(simulator) == [
        "api.values.get",
        "api-get_line_status",
        "api-get_music",
        "api-get_hs_status",
    ]
    simulator.clear_requests()

    # A DECT base would answer api-get_hs_status: this one does not.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "dp"}
    )
    assert_form(result, "family", {"base": "wrong_family"})

    await simulator.go_offline()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "gsc"}
    )
    assert_form(result, "family", {"base": "cannot_connect"})
    await simulator.go_online()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "gsc"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Grandstream GSC35xx (127.0.0.1)"
    assert result["data"][CONF_FAMILY] == "gsc"
    assert result["data"][CONF_MODEL] is None
    assert functions(simulator)[:2] == [
        "api-get_account_status",
        "api-get_phone_status",
    ]


@pytest.mark.parametrize(
    ("model", "simulator_options"), [("GSC3516", {"model_query": False})]
)
async def test_family_step_wrong_passcode(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Ask for the passcode again when the family's check refuses it."""
    simulator.faults.missing_functions = UNKNOWN_FIRMWARE
    result = await start_user_flow(hass)
    # The probes only met 404s, which come before any passcode check.
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator, "wrong", ssl=False)
    )
    assert result["step_id"] == "family"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "gsc"}
    )
    assert_form(result, "user", {"base": "invalid_auth"})
    suggested = suggested_values(result["data_schema"])
    # The address is kept; the refused passcode is not offered again.
    assert suggested == {
        CONF_HOST: "127.0.0.1",
        CONF_ADVANCED: {
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_PORT: simulator.port,
        },
    }

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], user_input(simulator)
    )
    assert result["step_id"] == "family"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "gsc"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_PASSCODE] == PASSCODE


async def test_reauth(
    hass: HomeAssistant, simulator: PhoneSimulator, init_integration: MockConfigEntry
) -> None:
    """Take the phone's new passcode after refusing a wrong one."""
    simulator.passcode = "n3w-passcode"
    result = await init_integration.start_reauth_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {
        "name": "GXP2170",
        "host": "127.0.0.1",
    }
    # The card in the integrations list has every placeholder its title needs.
    assert card_title(hass, result["flow_id"]) == "GXP2170"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSCODE: PASSCODE}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_auth"}

    await simulator.go_offline()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSCODE: "n3w-passcode"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    await simulator.go_online()

    simulator.clear_requests()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_PASSCODE: "n3w-passcode"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert init_integration.data[CONF_PASSCODE] == "n3w-passcode"

    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    # The check, then the reloaded entry's first poll, all with the new passcode.
    assert functions(simulator) == [
        "api-get_line_status",
        "api-get_phone_status",
        "api-get_line_status",
    ]
    assert {r.params["passcode"] for r in simulator.requests} == {"n3w-passcode"}


async def test_reconfigure_port(hass: HomeAssistant, simulator: PhoneSimulator) -> None:
    """Move the phone to another port; the entry reloads on it."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="GXP2170",
        entry_id=ENTRY_ID,
        data=entry_data(simulator, **{CONF_PORT: None}),
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert_form(result, "reconfigure", {})

    await simulator.go_offline()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: simulator.port}},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}
    await simulator.go_online()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: simulator.port}},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_PORT] == simulator.port
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_title_follows_address(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Give the phone's title its new address, unless the user renamed it."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="GXP2170 (192.0.2.7)",
        entry_id=ENTRY_ID,
        data=entry_data(simulator, **{CONF_HOST: "192.0.2.7"}),
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["description_placeholders"] == {"name": "GXP2170 (192.0.2.7)"}

    for host in ("127.0.0.1%0d%0aX:1", "http://127.0.0.1"):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_HOST: host, CONF_ADVANCED: {CONF_PORT: simulator.port}},
        )
        assert result["type"] is FlowResultType.FORM
        assert result["errors"] == {CONF_HOST: "invalid_host"}
        # What was typed stays in the form.
        assert suggested_values(result["data_schema"])[CONF_HOST] == host
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: 80.5}},
    )
    assert result["errors"] == {"base": "invalid_port"}
    assert simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: simulator.port}},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert entry.title == "GXP2170 (127.0.0.1)"


async def test_reconfigure_suggests_current_settings(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: PhoneSimulator
) -> None:
    """Open the form with the entry's address, port and HTTPS settings."""
    result = await init_integration.start_reconfigure_flow(hass)

    suggested = suggested_values(result["data_schema"])
    assert suggested == {
        CONF_HOST: "127.0.0.1",
        CONF_ADVANCED: {
            CONF_SSL: False,
            CONF_VERIFY_SSL: True,
            CONF_PORT: simulator.port,
        },
    }


@pytest.mark.parametrize("other", ["GSC3516", "GXP1628"])
async def test_reconfigure_wrong_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    socket_enabled: None,
    other: str,
) -> None:
    """Refuse an address where another model answers."""
    async with PhoneSimulator(other, passcode=PASSCODE) as other_phone:
        result = await init_integration.start_reconfigure_flow(hass)
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"],
            {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: other_phone.port}},
        )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert init_integration.data[CONF_MODEL] == "GXP2170"


@pytest.mark.parametrize(
    ("model", "simulator_options", "family", "reason"),
    [
        ("GSC3516", {"model_query": False}, "gsc", "reconfigure_successful"),
        ("GSC3516", {"model_query": False}, "dp", "wrong_device"),
    ],
)
async def test_reconfigure_unknown_firmware(
    hass: HomeAssistant, simulator: PhoneSimulator, family: str, reason: str
) -> None:
    """Check an entry's own family where probing cannot tell the family."""
    simulator.faults.missing_functions = UNKNOWN_FIRMWARE
    entry = MockConfigEntry(
        domain=DOMAIN,
        data=entry_data(simulator, **{CONF_FAMILY: family, CONF_MODEL: None}),
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_ADVANCED: {CONF_PORT: simulator.port}},
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason


async def test_reconfigure_to_another_entrys_host(
    hass: HomeAssistant, init_integration: MockConfigEntry, simulator: PhoneSimulator
) -> None:
    """Refuse the address of another phone that is set up."""
    MockConfigEntry(
        domain=DOMAIN, data=entry_data(simulator, **{CONF_HOST: "192.0.2.7"})
    ).add_to_hass(hass)
    result = await init_integration.start_reconfigure_flow(hass)
    simulator.clear_requests()

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_HOST: "192.0.2.7", CONF_ADVANCED: {}}
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.data[CONF_HOST] == "127.0.0.1"
    assert simulator.requests == []


async def test_dhcp_discovery(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Add a discovered phone with its passcode; its MAC is the unique id."""
    # Other phones, one added by address, one discovered, are not this one
    # (disabled, so that adding this one does not set them up).
    for unique_id, host in ((None, "192.0.2.7"), ("00:0b:82:00:00:01", "192.0.2.8")):
        MockConfigEntry(
            domain=DOMAIN,
            unique_id=unique_id,
            data=entry_data(simulator, **{CONF_HOST: host}),
            disabled_by=ConfigEntryDisabler.USER,
        ).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "discovery_confirm"
    assert result["description_placeholders"] == {"host": "127.0.0.1"}
    assert card_title(hass, result["flow_id"]) == "Grandstream (127.0.0.1)"
    assert simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_PASSCODE: PASSCODE, CONF_ADVANCED: {CONF_PORT: simulator.port + 0.5}},
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "invalid_port"}
    assert simulator.requests == []

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], discovery_input(simulator, "wrong")
    )
    assert_form(result, "discovery_confirm", {"base": "invalid_auth"})

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], discovery_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "GXP2170 (127.0.0.1)"
    assert result["result"].unique_id == MAC
    assert result["data"] == {
        CONF_HOST: "127.0.0.1",
        CONF_MAC: MAC,
        CONF_PORT: simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: True,
        CONF_PASSCODE: PASSCODE,
        CONF_FAMILY: "gxp",
        CONF_MODEL: "GXP2170",
        CONF_WEBHOOK_ID: ANY,
    }
    device = device_registry.async_get_device_by_connection(
        (dr.CONNECTION_NETWORK_MAC, MAC), result["result"].entry_id
    )
    assert device is not None
    assert device.model == "GXP2170"


@pytest.mark.parametrize(
    ("model", "simulator_options"), [("GSC3516", {"model_query": False})]
)
async def test_dhcp_discovery_family_step(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Ask a discovered phone's passcode again when the family's check refuses it."""
    simulator.faults.missing_functions = UNKNOWN_FIRMWARE
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], discovery_input(simulator, "wrong")
    )
    assert result["step_id"] == "family"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "gsc"}
    )
    assert_form(result, "discovery_confirm", {"base": "invalid_auth"})
    assert result["description_placeholders"] == {"host": "127.0.0.1"}

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], discovery_input(simulator)
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_FAMILY: "gsc"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == MAC


def moved_entry(
    simulator: PhoneSimulator, title: str = "GXP2170 (192.0.2.7)", **changes: Any
) -> MockConfigEntry:
    """Return a discovered phone's entry, at an address it has left."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=MAC,
        entry_id=ENTRY_ID,
        data=entry_data(
            simulator, **{CONF_HOST: "192.0.2.7", CONF_MAC: MAC, **changes}
        ),
    )


def passcode_sent(simulator: PhoneSimulator) -> bool:
    """Return whether any request to the phone carried the passcode."""
    return any(
        "passcode" in request.params or "s3cret" in request.raw_query
        for request in simulator.requests
    )


@pytest.mark.parametrize(
    ("title", "new_title"),
    [
        ("GXP2170 (192.0.2.7)", "GXP2170 (127.0.0.1)"),
        # A title the user gave stays.
        ("Reception desk", "Reception desk"),
    ],
)
async def test_dhcp_known_phone_moved(
    hass: HomeAssistant, simulator: PhoneSimulator, title: str, new_title: str
) -> None:
    """Follow a known phone to a new address only after the user confirms.

    Before that, the new address gets the model query only, without passcode.
    """
    entry = moved_entry(simulator, title)
    entry.add_to_hass(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )

    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "moved_confirm"
    assert result["description_placeholders"] == {
        "name": title,
        "old_host": "192.0.2.7",
        "new_host": "127.0.0.1",
    }
    assert card_title(hass, result["flow_id"]) == title
    assert functions(simulator) == ["api.values.get"]
    assert not passcode_sent(simulator)
    assert entry.data[CONF_HOST] == "192.0.2.7"

    result = await hass.config_entries.flow.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "moved"
    assert entry.data[CONF_HOST] == "127.0.0.1"
    assert entry.title == new_title
    assert entry.state is ConfigEntryState.LOADED
    assert passcode_sent(simulator)


@pytest.mark.parametrize(
    ("model", "changes", "reason"),
    [
        # Another model answers at the new address.
        ("GXP2170", {CONF_MODEL: "GXP1628"}, "moved_unverified"),
        # GRP phones do not tell their model without the passcode.
        ("GRP2616", {CONF_MODEL: None}, "moved_unverified"),
    ],
)
async def test_dhcp_known_phone_moved_unverified(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    changes: dict[str, Any],
    reason: str,
) -> None:
    """Leave the phone where it is when the new address cannot prove its model."""
    entry = moved_entry(simulator, **changes)
    entry.add_to_hass(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == reason
    assert entry.data[CONF_HOST] == "192.0.2.7"
    assert functions(simulator) == ["api.values.get"]
    assert not passcode_sent(simulator)


async def test_dhcp_known_phone_moved_unreachable(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Leave the phone where it is when nothing answers at the new address."""
    entry = moved_entry(simulator)
    entry.add_to_hass(hass)
    await simulator.go_offline()

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "cannot_connect"
    assert entry.data[CONF_HOST] == "192.0.2.7"


async def test_dhcp_known_phone_same_address(
    hass: HomeAssistant, simulator: PhoneSimulator
) -> None:
    """Ignore a known phone seen where it is; ask it nothing."""
    entry = moved_entry(simulator, **{CONF_HOST: "127.0.0.1"})
    entry.add_to_hass(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert simulator.requests == []


async def test_dhcp_adopts_mac_of_phone_added_by_address(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """Give a phone added by address its MAC when DHCP sees it."""
    # Another phone added by address must be left alone.
    other = MockConfigEntry(
        domain=DOMAIN, data=entry_data(simulator, **{CONF_HOST: "192.0.2.7"})
    )
    other.add_to_hass(hass)

    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_DHCP}, data=DHCP_INFO
    )

    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    assert init_integration.unique_id == MAC
    assert init_integration.data[CONF_MAC] == MAC
    assert other.unique_id is None
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    assert device.connections == {(dr.CONNECTION_NETWORK_MAC, MAC)}
