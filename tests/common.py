"""Helpers shared by the integration's tests."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
from pathlib import Path
import ssl
from unittest.mock import patch

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import Platform
from homeassistant.core import (
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
)
from homeassistant.data_entry_flow import FlowResult, FlowResultType
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.grandstream_cti.const import DOMAIN
from custom_components.grandstream_cti.cti.families import STATUS_FUNCTIONS

from .simulator import PhoneSimulator

type Request = tuple[str, dict[str, str]]


async def setup_platform(
    hass: HomeAssistant, entry: MockConfigEntry, platform: Platform
) -> None:
    """Set up the integration with one of its platforms only."""
    entry.add_to_hass(hass)
    with patch("custom_components.grandstream_cti.PLATFORMS", [platform]):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()


async def tick(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: datetime.timedelta
) -> None:
    """Let time pass and wait for what became due, polls included."""
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


def next_state(hass: HomeAssistant, entity_id: str) -> asyncio.Future[State]:
    """Return a future for the entity's next state."""
    future: asyncio.Future[State] = hass.loop.create_future()

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        if not future.done() and (state := event.data["new_state"]) is not None:
            future.set_result(state)

    unsubscribe = async_track_state_change_event(hass, entity_id, changed)
    future.add_done_callback(lambda _: unsubscribe())
    return future


def assert_form(result: FlowResult, step_id: str, errors: dict[str, str]) -> None:
    """Assert a flow shows the form of a step, with these errors."""
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == step_id
    assert result["errors"] == errors


def commands(simulator: PhoneSimulator) -> list[Request]:
    """Return the path and parameters of every request that was not a poll."""
    return [
        (request.path, request.params)
        for request in simulator.requests
        if request.function not in STATUS_FUNCTIONS
    ]


def phone_device(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Return the device id of an entry's phone."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device.id


def handset_device(hass: HomeAssistant, entry: MockConfigEntry, number: int) -> str:
    """Return the device id of a DECT handset."""
    device = dr.async_get(hass).async_get_child_device_by_identifier(
        (DOMAIN, f"{entry.entry_id}_hs{number}"), entry.entry_id
    )
    assert device is not None
    return device.id


def self_signed_context(tmp_path: Path) -> ssl.SSLContext:
    """Return a server TLS context with a self-signed certificate for 127.0.0.1."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "GXP2170")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_file = tmp_path / "cert.pem"
    key_file = tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context
