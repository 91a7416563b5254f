"""Masking of identifiers in patient text."""

from __future__ import annotations

import pytest

from review.masking import mask


@pytest.mark.parametrize(("text", "masked"), [
    ("call me on 07700 900123 please", "call me on [phone] please"),
    ("ring +44 (0)20 7946 0958.", "ring [phone]."),
    ("my email is jo.bloggs@example.co.uk", "my email is [email]"),
    ("NHS number 943 476 5919", "NHS number [number]"),
    ("card 4111 1111 1111 1111", "card [number]"),
    ("I live at SW1A 1AA", "I live at [postcode]"),
    ("born 01/02/1980", "born [date]"),
    ("My name is John Smith and I take 25 mg", "My name is [name] and I take 25 mg"),
    ("this is Dr Patel", "this is [name]"),
    ("see http://user:secret@example.com/x", "see [link]"),
])
def test_identifiers_are_masked(text, masked) -> None:
    assert mask(text) == masked


@pytest.mark.parametrize("text", [
    "i take amitriptyline 10mg at 9pm",
    "I'm worried about side effects",
    "I am taking 25 50 mg",
    "can i drink 2 pints",
    "it has been 3 weeks",
    "I am Pregnant, is duloxetine ok",
])
def test_ordinary_text_is_left_alone(text) -> None:
    assert mask(text) == text


def test_empty() -> None:
    assert mask(None) == "" and mask("") == ""
