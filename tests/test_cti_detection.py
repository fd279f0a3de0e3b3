"""Tests of family detection, however a phone answers a function it lacks."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from custom_components.grandstream_cti.cti import (
    PROFILES,
    DetectedPhone,
    Family,
    Function,
    GrandstreamHttpsRequiredError,
    GrandstreamInvalidResponseError,
    GrandstreamUnsupportedError,
)
from custom_components.grandstream_cti.cti.families import STATUS_FUNCTIONS

from .conftest import MODELS, PASSCODE
from .cti_helpers import CannedPhone, TlsPhone, cti_client, family_of
from .simulator import Faults, PhoneSimulator, UnknownFunctionAnswer

# No guide says how a phone answers a function it lacks: each is plausible.
UNKNOWN_FUNCTION_ANSWERS: tuple[UnknownFunctionAnswer, ...] = (
    "http404",
    "error",
    "html",
)


async def simulated(model: str, **options: Any) -> PhoneSimulator:
    """Start a simulated phone; the caller stops it."""
    sim = PhoneSimulator(model, passcode=PASSCODE, **options)
    await sim.start()
    return sim


@pytest.mark.parametrize(
    ("model", "model_query", "answer"),
    itertools.product(MODELS, (True, False), UNKNOWN_FUNCTION_ANSWERS),
)
async def test_detect_whatever_unknown_functions_answer(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    model: str,
    model_query: bool,
    answer: UnknownFunctionAnswer,
) -> None:
    """Every model is recognised, whether it tells its model or not."""
    sim = await simulated(
        model, model_query=model_query, unknown_function_answer=answer
    )
    try:
        client = cti_client(session, sim)

        detected = await client.detect()
    finally:
        await sim.stop()

    assert detected == DetectedPhone(
        family=family_of(sim), model=model if model_query else None
    )


@pytest.mark.parametrize("answer", UNKNOWN_FUNCTION_ANSWERS)
async def test_detect_gsc_answering_line_status(
    socket_enabled: None, session: aiohttp.ClientSession, answer: UnknownFunctionAnswer
) -> None:
    """A GSC that answers line status is a GSC, not a GXP."""
    sim = await simulated(
        "GSC3516",
        model_query=False,
        unknown_function_answer=answer,
        gsc_line_status=True,
    )
    try:
        detected = await cti_client(session, sim).detect()
    finally:
        await sim.stop()

    assert detected == DetectedPhone(family=Family.GSC, model=None)


@pytest.mark.parametrize("answer", UNKNOWN_FUNCTION_ANSWERS)
async def test_detect_unknown_firmware_leads_to_family_picker(
    socket_enabled: None, session: aiohttp.ClientSession, answer: UnknownFunctionAnswer
) -> None:
    """A CTI phone no probe can place raises GrandstreamUnsupportedError (the family picker)."""
    sim = await simulated("GSC3516", model_query=False, unknown_function_answer=answer)
    sim.faults = Faults(missing_functions=frozenset({"api-get_music"}))
    try:
        client = cti_client(session, sim)

        with pytest.raises(GrandstreamUnsupportedError):
            await client.detect()
    finally:
        await sim.stop()

    assert client.family is None


def wrong_families(actual: Family) -> list[Family]:
    """Return the families with a status read that a phone of `actual` lacks."""
    # A GSC reads only phone status, which desk phones answer too.
    return [
        family
        for family in Family
        if PROFILES[family].functions & STATUS_FUNCTIONS - PROFILES[actual].functions
    ]


@pytest.mark.parametrize(
    ("model", "answer"), itertools.product(MODELS, UNKNOWN_FUNCTION_ANSWERS)
)
async def test_verify_wrong_family(
    socket_enabled: None,
    session: aiohttp.ClientSession,
    model: str,
    answer: UnknownFunctionAnswer,
) -> None:
    """A family picked wrongly raises GrandstreamUnsupportedError, not GrandstreamInvalidResponseError."""
    sim = await simulated(model, unknown_function_answer=answer)
    try:
        for family in wrong_families(family_of(sim)):
            client = cti_client(session, sim, family=family)

            with pytest.raises(
                GrandstreamUnsupportedError, match=f"not a {client.profile.title}"
            ):
                await client.verify()
    finally:
        await sim.stop()


async def test_detect_broken_phone_is_invalid_response(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """A phone that answers every function with a page is not a CTI phone."""
    sim = await simulated("GXP2170", model_query=False, unknown_function_answer="html")
    sim.faults = Faults(non_json=True)
    try:
        with pytest.raises(GrandstreamInvalidResponseError):
            await cti_client(session, sim).detect()
    finally:
        await sim.stop()


@pytest.mark.parametrize("model", MODELS)
async def test_detect_https_redirect(
    socket_enabled: None, session: aiohttp.ClientSession, model: str
) -> None:
    """A phone that redirects plain HTTP raises GrandstreamHttpsRequiredError, sending no passcode."""
    sim = await simulated(model, redirect_to_https=True)
    try:
        client = cti_client(session, sim)

        with pytest.raises(GrandstreamHttpsRequiredError, match="serves HTTPS"):
            await client.detect()
    finally:
        await sim.stop()

    assert [r.path for r in sim.requests] == ["/cgi-bin/api.values.get"]


@pytest.mark.parametrize("model", MODELS)
async def test_verify_https_redirect(
    socket_enabled: None, session: aiohttp.ClientSession, model: str
) -> None:
    """The family picked by hand: the redirect is still told apart."""
    sim = await simulated(model, redirect_to_https=True)
    try:
        client = cti_client(session, sim, family=family_of(sim))

        with pytest.raises(GrandstreamHttpsRequiredError):
            await client.verify()
    finally:
        await sim.stop()


PAGE = "<html><body>Please log in</body></html>"


async def test_verify_pages_everywhere(
    socket_enabled: None, session: aiohttp.ClientSession
) -> None:
    """A device answering every request with a page is no CTI phone at all."""
    answers = dict.fromkeys(
        ("api.values.get", *(str(function) for function in Function)), (200, PAGE)
    )
    async with CannedPhone(answers) as canned:
        client = cti_client(session, canned, family=Family.GXP)

        with pytest.raises(GrandstreamInvalidResponseError):
            await client.verify()

    # Before saying so, it was asked whether it redirects to HTTPS.
    assert canned.paths[-1] == "/cgi-bin/api.values.get"


async def test_verify_pages_everywhere_over_https(
    socket_enabled: None, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    """Over HTTPS already, no redirect is asked about."""
    with TlsPhone(tmp_path, PAGE) as phone:
        client = cti_client(
            session, phone, family=Family.GXP, https=True, verify_ssl=False
        )

        with pytest.raises(GrandstreamInvalidResponseError):
            await client.verify()

    assert "/cgi-bin/api.values.get" not in phone.paths
