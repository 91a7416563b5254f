from __future__ import annotations

import pytest

from core.sms_segments import ELLIPSIS, GSM7, GSM7_BASIC, GSM7_EXTENSION, UCS2, count, fit, is_gsm7, segments

DISCLAIMER = "This is general info, not medical advice. In an emergency, call 999."
LEAD = "You asked about Cymbalta (duloxetine)."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("a", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("a" * 459, 3),
        ("a" * 460, 4),
    ],
)
def test_gsm7_single_and_concatenated_limits(text: str, expected: int) -> None:
    assert segments(text) == expected


def test_basic_alphabet_and_extension_table() -> None:
    assert len(GSM7_BASIC) == 127 and len(GSM7_EXTENSION) == 10
    assert is_gsm7("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà")
    assert is_gsm7("{}[]~\\^|€")
    assert not is_gsm7("\x1b")  # the escape itself is not a character you can send


@pytest.mark.parametrize("char", list("{}[]~\\^|€"))
def test_extension_characters_count_two(char: str) -> None:
    assert count(char).units == 2
    assert segments(char * 80) == 1
    assert segments(char * 80 + "a") == 2
    assert segments("a" * 159 + char) == 2


def test_an_extension_character_is_not_split_between_parts() -> None:
    # 306 septets would fill exactly 2 x 153, but "{" cannot straddle the boundary.
    text = "a" * 152 + "{" + "a" * 152
    assert count(text).units == 306
    assert segments(text) == 3


def test_accented_gsm_letters_stay_gsm7() -> None:
    assert count("é" * 160) == count("a" * 160)
    assert count("é" * 160).encoding == GSM7


@pytest.mark.parametrize("char", ["😀", "’", "—", "ł", "•"])
def test_one_non_gsm_character_switches_to_ucs2(char: str) -> None:
    assert count("a" * 100).segments == 1
    result = count("a" * 100 + char)
    assert result.encoding == UCS2
    assert result.segments == 2


@pytest.mark.parametrize(
    ("text", "units", "expected"),
    [
        ("’" * 70, 70, 1),
        ("’" * 71, 71, 2),
        ("’" * 134, 134, 2),
        ("’" * 135, 135, 3),
        ("’" * 201, 201, 3),
        ("’" * 202, 202, 4),
        ("😀" * 35, 70, 1),  # an emoji is two UTF-16 code units
        ("😀" * 35 + "a", 71, 2),
        ("a" * 69 + "😀", 71, 2),
    ],
)
def test_ucs2_limits_count_utf16_code_units(text: str, units: int, expected: int) -> None:
    result = count(text)
    assert (result.encoding, result.units, result.segments) == (UCS2, units, expected)


def test_an_emoji_is_not_split_between_parts() -> None:
    text = "a" * 66 + "😀" + "a" * 66
    assert count(text).units == 134  # 2 x 67 ...
    assert segments(text) == 3  # ... but the emoji's two halves stay together


def test_fit_keeps_a_short_reply_unchanged() -> None:
    assert fit("Short answer.", DISCLAIMER, LEAD) == f"{LEAD}\n\nShort answer.\n\n{DISCLAIMER}"


def test_fit_drops_the_lead_before_cutting_the_answer() -> None:
    body = " ".join(["word"] * 76)  # 379 chars: fits with the disclaimer, not with the lead too
    assert segments(f"{LEAD}\n\n{body}\n\n{DISCLAIMER}") == 4
    assert fit(body, DISCLAIMER, LEAD) == f"{body}\n\n{DISCLAIMER}"


@pytest.mark.parametrize("filler", ["words", "wörds", "w{rd", "w😀rd", "w’rd"])
def test_fit_cuts_at_a_word_boundary_and_keeps_the_disclaimer(filler: str) -> None:
    body = " ".join(f"{filler}{index}," for index in range(200))
    result = fit(body, DISCLAIMER, LEAD)
    assert segments(result) <= 3
    assert result.endswith(f"{ELLIPSIS}\n\n{DISCLAIMER}")
    kept = result[: -len(f"{ELLIPSIS}\n\n{DISCLAIMER}")]
    assert body.startswith(kept) and body[len(kept) + 1] == " "  # whole words; trailing comma dropped
    assert not result.startswith(LEAD)
    next_word = body[len(kept) + 2 :].split(" ")[0].rstrip(",")
    longer = body[: len(kept) + 2 + len(next_word)]
    assert segments(f"{longer}{ELLIPSIS}\n\n{DISCLAIMER}") > 3  # not cut needlessly short


def test_fit_of_text_without_spaces_still_fits() -> None:
    result = fit("x" * 1000, DISCLAIMER)
    assert segments(result) == 3 and result.endswith(DISCLAIMER) and "x" in result


def test_fit_honours_another_limit() -> None:
    result = fit(" ".join(["word"] * 100), DISCLAIMER, max_segments=1)
    assert segments(result) == 1 and result.endswith(DISCLAIMER)
