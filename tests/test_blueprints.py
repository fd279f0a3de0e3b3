"""The repository's automation blueprints, loaded by Home Assistant and fired.

Each blueprint is copied into the test instance's blueprints folder, as
importing it does, and used by an automation through Home Assistant's own
automation and blueprint integrations; the phone is the simulator over HTTP.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.automation import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.components.switch import (
    DOMAIN as SWITCH_DOMAIN,
    SERVICE_TURN_OFF,
    SERVICE_TURN_ON,
)
from homeassistant.const import (
    ATTR_ENTITY_ID,
    EVENT_HOMEASSISTANT_STARTED,
    STATE_OFF,
    STATE_ON,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.grandstream_cti.const import DOMAIN

from .common import tick
from .conftest import ENTRY_ID
from .simulator import PhoneSimulator

BLUEPRINTS = Path(__file__).parent.parent / "blueprints" / "automation" / DOMAIN
# One poll (every 3 s), with room for the time setting up took.
POLL = timedelta(seconds=3.5)
NIGHT_MODE = "switch.gsc3516_night_mode"
LINE_1 = "sensor.gxp2170_line_1"


@pytest.fixture(autouse=True)
def install_blueprints(hass: HomeAssistant, tmp_path: Path) -> None:
    """Put the blueprints where importing them puts them, in a config folder of its own."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, hass.config.path("blueprints", "automation", DOMAIN))


async def _use(hass: HomeAssistant, blueprint: str, inputs: dict[str, Any]) -> None:
    """Set up an automation from one of the blueprints."""
    # Always loaded by Home Assistant; the test instance loads it on demand.
    assert await async_setup_component(hass, persistent_notification.DOMAIN, {})
    assert await async_setup_component(
        hass,
        AUTOMATION_DOMAIN,
        {
            AUTOMATION_DOMAIN: {
                "id": blueprint,
                "alias": blueprint.removesuffix(".yaml"),
                "use_blueprint": {"path": f"{DOMAIN}/{blueprint}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get(f"automation.{blueprint.removesuffix('.yaml')}")
    assert state is not None
    assert state.state == STATE_ON


async def _polled(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, line_state: str
) -> None:
    """Let polls run until Home Assistant shows line 1 in this state.

    A poll already under way when the call changed shows the old state: the
    next one shows the new.
    """
    for _ in range(3):
        await tick(hass, freezer, POLL)
        if hass.states.get(LINE_1).state == line_state:
            return
    pytest.fail(f"line 1 is {hass.states.get(LINE_1).state}, not {line_state}")


def _phone(hass: HomeAssistant) -> str:
    """Return the device id of the simulated phone."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, ENTRY_ID), ENTRY_ID
    )
    assert device is not None
    return device.id


def _notifications(hass: HomeAssistant) -> list[tuple[str, str]]:
    """Return the title and message of each notification in the sidebar."""
    # What the sidebar shows; the integration offers no public getter.
    notifications = persistent_notification._async_get_or_create_notifications(hass)  # noqa: SLF001
    return [(item["title"], item["message"]) for item in notifications.values()]


def test_blueprints_are_valid_yaml() -> None:
    """Each blueprint names the automation domain and this repository."""
    files = sorted(path.name for path in BLUEPRINTS.glob("*.yaml"))
    assert files == [
        "incoming_call_notification.yaml",
        "missed_call_notification.yaml",
        "night_mode.yaml",
    ]
    for path in BLUEPRINTS.glob("*.yaml"):
        # !input tags: read them as plain text.
        loader = type("Loader", (yaml.SafeLoader,), {})
        loader.add_constructor("!input", lambda _loader, node: node.value)
        blueprint = yaml.load(path.read_text(), Loader=loader)["blueprint"]  # noqa: S506
        assert blueprint["domain"] == "automation"
        assert blueprint["source_url"].endswith(
            f"/blueprints/automation/{DOMAIN}/{path.name}"
        )


async def test_incoming_call_notification(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A call ringing at the chosen phone gives a notification naming the caller."""
    await _use(hass, "incoming_call_notification.yaml", {"phone": _phone(hass)})

    simulator.incoming_call("1002", "Alice")
    await _polled(hass, freezer, "ringing")

    assert _notifications(hass) == [
        ("Incoming call", "Alice (1002) is calling GXP2170")
    ]


async def test_incoming_call_custom_action(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The chosen actions run instead, with the caller in their variables."""
    received = []
    hass.bus.async_listen("test_caller", lambda event: received.append(event.data))
    await _use(
        hass,
        "incoming_call_notification.yaml",
        {
            "phone": _phone(hass),
            "notify": [
                {
                    "event": "test_caller",
                    "event_data": {"call": "{{ call }}"},
                }
            ],
        },
    )

    simulator.incoming_call("+4930123456")
    await _polled(hass, freezer, "ringing")

    assert received == [
        {
            "call": {
                "number": "+4930123456",
                "name": "",
                "caller": "+4930123456",
                "phone": "GXP2170",
            }
        }
    ]
    assert _notifications(hass) == []


async def test_incoming_call_other_phone_ignored(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A call at another phone, or another call event, notifies nothing."""
    other = dr.async_get(hass).async_get_or_create(
        config_entry_id=init_integration.entry_id, identifiers={(DOMAIN, "other")}
    )
    await _use(hass, "incoming_call_notification.yaml", {"phone": other.id})

    simulator.incoming_call("1002", "Alice")
    await _polled(hass, freezer, "ringing")
    simulator.remote_hangup()
    await _polled(hass, freezer, "idle")

    assert _notifications(hass) == []


async def test_missed_call_notification(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A call that rang and was given up gives a notification; an answered one not."""
    freezer.move_to("2026-11-30 09:41:00+00:00")
    await _use(hass, "missed_call_notification.yaml", {"phones": [_phone(hass)]})

    simulator.incoming_call("1003", "Bob")
    await _polled(hass, freezer, "ringing")
    assert _notifications(hass) == []
    simulator.remote_hangup()
    await _polled(hass, freezer, "idle")

    local = dt_util.as_local(dt_util.utcnow()).strftime("%H:%M")
    assert _notifications(hass) == [
        ("Missed call", f"Missed call from Bob (1003) on GXP2170 at {local}")
    ]

    persistent_notification.async_dismiss_all(hass)
    simulator.incoming_call("1004")
    await _polled(hass, freezer, "ringing")
    simulator.state.answer(simulator.state.station(), simulator.line(1))
    await _polled(hass, freezer, "connected")
    simulator.remote_hangup()
    await _polled(hass, freezer, "idle")
    assert _notifications(hass) == []


@pytest.mark.parametrize("model", ["GSC3516"])
async def test_night_mode(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The speaker's Night mode goes on at the start of the night and off at its end."""
    await hass.services.async_call(
        DOMAIN,
        "play_music",
        {"device_id": _phone(hass), "file": "music1.ogg", "loop": True},
        blocking=True,
    )
    assert simulator.music_playing is not None
    # A short night, so that the clock moves on by minutes only.
    await _use(
        hass,
        "night_mode.yaml",
        {"night_switch": NIGHT_MODE, "start": _in(seconds=30), "end": _in(seconds=90)},
    )
    assert hass.states.get(NIGHT_MODE).state == STATE_OFF

    await tick(hass, freezer, timedelta(minutes=1))
    assert hass.states.get(NIGHT_MODE).state == STATE_ON
    # What night mode does: the music stops.
    assert simulator.music_playing is None

    await tick(hass, freezer, timedelta(minutes=1))
    assert hass.states.get(NIGHT_MODE).state == STATE_OFF

    # Its time triggers wait for the next night: stop them with the test.
    await hass.services.async_call(
        AUTOMATION_DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
    )


def _in(**offset: float) -> str:
    """Return the local time of day this far from now, as a time selector gives it."""
    return (dt_util.now() + timedelta(**offset)).strftime("%H:%M:%S")


@pytest.mark.parametrize("model", ["GSC3516"])
@pytest.mark.parametrize(
    ("start", "end", "before", "after"),
    [
        # Started within a night that began an hour ago and ends in an hour.
        (-1, 1, STATE_OFF, STATE_ON),
        # A night past midnight: from an hour ago to two hours before now.
        (-1, -2, STATE_OFF, STATE_ON),
        # Started in the day: the night begins in an hour, ended an hour ago.
        (1, -1, STATE_ON, STATE_OFF),
    ],
)
async def test_night_mode_at_startup(
    hass: HomeAssistant,
    simulator: PhoneSimulator,
    init_integration: MockConfigEntry,
    start: int,
    end: int,
    before: str,
    after: str,
) -> None:
    """When Home Assistant starts, the switch is put as the schedule wants it then."""
    await hass.services.async_call(
        SWITCH_DOMAIN,
        SERVICE_TURN_ON if before == STATE_ON else SERVICE_TURN_OFF,
        {ATTR_ENTITY_ID: NIGHT_MODE},
        blocking=True,
    )
    assert hass.states.get(NIGHT_MODE).state == before
    await _use(
        hass,
        "night_mode.yaml",
        {"night_switch": NIGHT_MODE, "start": _in(hours=start), "end": _in(hours=end)},
    )

    # What Home Assistant fires once it has started.
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STARTED)
    await hass.async_block_till_done()

    assert hass.states.get(NIGHT_MODE).state == after
    await hass.services.async_call(
        AUTOMATION_DOMAIN, "turn_off", {"entity_id": "all"}, blocking=True
    )
