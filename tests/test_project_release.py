"""Check the release files: changelog and version, tested releases, CI command."""

from __future__ import annotations

from importlib.metadata import requires
import re

from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as HA_VERSION

from .project import PACKAGE, ROOT, load_json

RELEASE = re.compile(
    r"^## \[(?P<version>[^\]]+)\] - (?P<date>\d{4}-\d{2}-\d{2})$", re.MULTILINE
)
KEEP_A_CHANGELOG = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _pin(requirements: list[str], name: str) -> str:
    """Return the version pinned for a distribution (name==version)."""
    for line in requirements:
        requirement = line.split("#")[0].split(";")[0].strip()
        if requirement.lower().startswith(f"{name}=="):
            return requirement.split("==", 1)[1]
    raise AssertionError(f"{name} is not pinned")


def _pinned_release() -> str:
    """Return the Home Assistant release the test harness pins."""
    return _pin(
        requires("pytest-homeassistant-custom-component") or [], "homeassistant"
    )


def _newest_release() -> str:
    """Return the Home Assistant release of the second test environment."""
    text = (ROOT / "requirements_test_newest.txt").read_text(encoding="utf-8")
    return _pin(text.splitlines(), "homeassistant")


def test_changelog_matches_manifest() -> None:
    """CHANGELOG.md's newest release is the manifest's version; sections are Keep a Changelog's."""
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = [match["version"] for match in RELEASE.finditer(changelog)]

    assert releases, "CHANGELOG.md has no release (## [x.y.z] - YYYY-MM-DD)"
    manifest = load_json(PACKAGE / "manifest.json")
    assert releases[0] == manifest["version"], (
        f"manifest.json has version {manifest['version']}, "
        f"CHANGELOG.md's newest release is {releases[0]}"
    )
    versions = [AwesomeVersion(version) for version in releases]
    assert versions == sorted(versions, reverse=True), "releases must be newest first"
    for version in releases:
        assert f"\n[{version}]: https://" in changelog, f"no link for [{version}]"
    sections = set(re.findall(r"^### (.+)$", changelog, re.MULTILINE))
    assert sections <= KEEP_A_CHANGELOG, (
        f"unknown sections: {sections - KEEP_A_CHANGELOG}"
    )


def test_tested_releases() -> None:
    """hacs.json's minimum is the oldest release tested; the second one is newer."""
    pinned, newest = _pinned_release(), _newest_release()

    assert load_json(ROOT / "hacs.json")["homeassistant"] == pinned, (
        f"hacs.json's minimum must be {pinned}, the oldest release the tests run on"
    )
    assert AwesomeVersion(newest) > AwesomeVersion(pinned), (
        f"requirements_test_newest.txt pins {newest}, not newer than {pinned}"
    )
    assert HA_VERSION in {pinned, newest}, (
        f"this environment runs Home Assistant {HA_VERSION}, "
        f"neither {pinned} nor {newest}: run scripts/setup"
    )


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs exactly the test command the README gives."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(
        r"^(\S.*?)\s+# the tests and quality gates, as CI runs them$",
        readme,
        re.MULTILINE,
    )
    assert match, "the README's Development section lost its test command"
    commands = [
        line
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd ", "export "))
    ]
    assert commands == [match.group(1)], f".ci/run runs {commands}"
