"""Tests for the Action URLs: the URLs to paste, and reading what phones send."""

from __future__ import annotations

from dataclasses import asdict
import random

import pytest

from custom_components.grandstream_cti.cti.action_url import (
    MAX_REQUEST_LENGTH,
    MAX_URL_LENGTH,
    InvalidActionUrl,
    PhoneEvent,
    PhoneEventType,
    build_action_urls,
    normalize_mac,
    parse_action_url,
)

# Variables whose values may hold a space or a letter beyond ASCII, which a
# phone puts raw into the request line and Home Assistant's server refuses.
UNSAFE_VARIABLES = ("$display_remote", "$display_local", "$active_user", "$local")


def test_action_urls() -> None:
    """One URL per field, within the phone's limit, with no value that may break it."""
    webhook_url = f"http://homeassistant.local:8123/api/webhook/{'f' * 64}"
    urls = build_action_urls(webhook_url)

    assert list(urls) == list(PhoneEventType)
    assert set(urls) == set(PhoneEventType)
    assert max(len(url) for url in urls.values()) <= MAX_URL_LENGTH
    assert urls[PhoneEventType.INCOMING] == (
        f"{webhook_url}?event=incoming&mac=$mac&remote=$remote"
    )
    assert urls[PhoneEventType.DND_ON] == f"{webhook_url}?event=dnd_on&mac=$mac"
    for url in urls.values():
        assert not any(variable in url for variable in UNSAFE_VARIABLES)
    # Each URL, as the phone sends it unfilled, reads back as its event.
    for event, url in urls.items():
        values = url.removeprefix(webhook_url)
        assert parse_action_url(values) == PhoneEvent(type=event)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (
            "?event=incoming&mac=00:0B:82:A1:B2:C3&remote=+4930123456",
            PhoneEvent(
                type=PhoneEventType.INCOMING,
                mac="00:0b:82:a1:b2:c3",
                remote="+4930123456",
            ),
        ),
        # The guides' URLs have no "?": values in the path.
        (
            "/event=incoming&mac=000b82a1b2c3&remote=1002",
            PhoneEvent(
                type=PhoneEventType.INCOMING, mac="00:0b:82:a1:b2:c3", remote="1002"
            ),
        ),
        (
            "/?event=missed&mac=00-0B-82-A1-B2-C3",
            PhoneEvent(type=PhoneEventType.MISSED, mac="00:0b:82:a1:b2:c3"),
        ),
        # Unfilled variables mean no value; "+" is never a space.
        (
            "?event=established&remote=$remote&mac=$mac",
            PhoneEvent(type=PhoneEventType.ESTABLISHED),
        ),
        (
            "?event=terminated&remote=+1%20555",
            PhoneEvent(type=PhoneEventType.TERMINATED, remote="+1 555"),
        ),
        # A raw "&", "#" or "%" in the far end, as phones send it.
        (
            "?event=incoming&mac=000b82a1b2c3&remote=*97#&x=1%",
            PhoneEvent(
                type=PhoneEventType.INCOMING,
                mac="00:0b:82:a1:b2:c3",
                remote="*97#&x=1%",
            ),
        ),
        # Keys our URLs do not send are ignored; the first value wins.
        (
            "?event=Incoming Call&display_remote=Eve&call-id=xyz&event=missed",
            PhoneEvent(type=PhoneEventType.INCOMING),
        ),
        ("?event=incoming_call", PhoneEvent(type=PhoneEventType.INCOMING)),
        ("?event=Answered", PhoneEvent(type=PhoneEventType.ESTABLISHED)),
        ("?event=DND-On", PhoneEvent(type=PhoneEventType.DND_ON)),
        ("?event=setup%20complete", PhoneEvent(type=PhoneEventType.SETUP_COMPLETED)),
        # Control characters and broken escapes are dropped, not fatal.
        (
            "?event=hold&remote=%00Al%0Aice%ZZ&mac=nonsense",
            PhoneEvent(type=PhoneEventType.HOLD, remote="Alice%ZZ"),
        ),
        ("?&&event=unhold&&&=&x", PhoneEvent(type=PhoneEventType.UNHOLD)),
    ],
)
def test_parse(values: str, expected: PhoneEvent) -> None:
    """Read events the way phones really send them."""
    assert parse_action_url(values) == expected


@pytest.mark.parametrize(
    "values",
    [
        "",
        "?",
        "/",
        "?event=",
        "?event=$event",
        "?event=bogus&mac=00:0B:82:A1:B2:C3",
        "?mac=00:0B:82:A1:B2:C3&remote=100",
        "?EVENT",
        "?event",
        "?=incoming",
        "?e=incoming",
        "?event=incoming_callx",
        "?event=%FF%FE",
        "?event=incoming" + "&remote=1" * MAX_REQUEST_LENGTH,
        "/" * (MAX_REQUEST_LENGTH + 1),
    ],
)
def test_parse_refuses(values: str) -> None:
    """Refuse what is no event we know, and what no phone would send."""
    with pytest.raises(InvalidActionUrl):
        parse_action_url(values)


def test_parse_fuzz() -> None:
    """Never fail on garbage: an event or InvalidActionUrl, nothing else."""
    alphabet = [
        *"&=?/%+$# \t\r\n:;-_.,'\"\\<>{}|^`~",
        "event=",
        "event=incoming",
        "mac=",
        "remote=",
        "%00",
        "%C3%A9",
        "%E2%80%AE",
        "%ZZ",
        "é",
        "\x00",
        "\udcff",
        "0b",
        "$remote",
    ]
    rng = random.Random(20261123)
    parsed = 0
    for _ in range(5000):
        values = "".join(rng.choices(alphabet, k=rng.randint(0, 60)))
        try:
            event = parse_action_url(values)
        except InvalidActionUrl:
            continue
        parsed += 1
        assert isinstance(event.type, PhoneEventType)
        for value in asdict(event).values():
            assert value is None or (value and value.isprintable())
    assert parsed > 0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("00:0B:82:A1:B2:C3", "00:0b:82:a1:b2:c3"),
        ("000b82a1b2c3", "00:0b:82:a1:b2:c3"),
        ("00-0B-82-A1-B2-C3", "00:0b:82:a1:b2:c3"),
        ("000B.82A1.B2C3", "00:0b:82:a1:b2:c3"),
        (" 00 0b 82 a1 b2 c3 ", "00:0b:82:a1:b2:c3"),
        ("00:0B:82:A1:B2", None),
        ("00:0B:82:A1:B2:C3:D4", None),
        ("00:0B:82:A1:B2:XX", None),
        ("", None),
    ],
)
def test_normalize_mac(value: str, expected: str | None) -> None:
    """Read MACs in every spelling phones use."""
    assert normalize_mac(value) == expected
