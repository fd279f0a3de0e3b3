"""Check the translations: every key the code uses, in every language."""

from __future__ import annotations

from collections.abc import Iterator
import re
from typing import Any

import pytest

from .project import (
    TRANSLATIONS,
    list_problems,
    load_json,
    read_translations,
    scan_code,
    strings,
)

LANGUAGES = ("de", "es", "fr", "nl")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _leaves(tree: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted key, value) for every leaf of a translations tree."""
    if isinstance(tree, dict) and tree:
        for key, value in tree.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    else:
        yield path, tree


def _placeholders(text: Any) -> list[str]:
    """Return the placeholders of a string, sorted ({host}, {model}, ...)."""
    return sorted(PLACEHOLDER.findall(text)) if isinstance(text, str) else []


def test_translations_are_full_text() -> None:
    """Every language is valid JSON without [%key:...%] references (core only)."""
    for path in sorted(TRANSLATIONS.glob("*.json")):
        for text in strings(load_json(path)):
            assert "[%key:" not in text, (
                f"{path.name}: custom integrations cannot use {text!r}"
            )


def test_translation_keys_used_in_code_exist() -> None:
    """Every translation_key, flow step, error and abort in the code is in en.json."""
    scan = scan_code()
    translations = read_translations()

    assert not scan.unclassified, (
        "translation keys this test cannot place; extend _Scanner:\n"
        + "\n".join(scan.unclassified)
    )
    problems = list_problems(scan.uses, translations)
    assert not problems, f"translations/en.json:\n{problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_language_matches_english(language: str) -> None:
    """A language has every key of en.json, no other, with the same placeholders."""
    english = dict(_leaves(read_translations()))
    path = TRANSLATIONS / f"{language}.json"
    assert path.exists(), f"translations/{language}.json is missing"
    translated = dict(_leaves(load_json(path)))

    problems = [
        f"  missing {key}: {english[key]!r}" for key in english if key not in translated
    ]
    problems += [f"  not in en.json: {key}" for key in translated if key not in english]
    problems += [
        f"  {key}: placeholders {_placeholders(translated[key])},"
        f" en.json has {_placeholders(english[key])}"
        for key in english
        if key in translated
        and _placeholders(translated[key]) != _placeholders(english[key])
    ]
    problems += [
        f"  {key} is empty"
        for key, text in translated.items()
        if key in english and not (isinstance(text, str) and text.strip())
    ]
    assert not problems, (
        f"translations/{language}.json does not match en.json:\n" + "\n".join(problems)
    )
