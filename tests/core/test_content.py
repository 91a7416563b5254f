from __future__ import annotations

import datetime
from pathlib import Path

import pytest
import yaml

from core.content import SMS_MAX_CHARS, ContentError, ContentStore
from core.vocabulary import SERVED_IDS


def edit_answer(content: Path, answer_id: str, **fields: object) -> None:
    path = content / "answers.yml"
    data = yaml.safe_load(path.read_text())
    record = next(item for item in data["answers"] if item["id"] == answer_id)
    record.update(fields)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_real_content_has_every_served_id(store: ContentStore) -> None:
    assert set(SERVED_IDS) <= set(store.answers)


def test_placeholders_are_filled_from_settings(store: ContentStore) -> None:
    contact = store.answer("contact_clinic")
    assert store.settings.clinic_phone in contact.text
    assert "{" not in contact.text and "}" not in contact.text
    assert store.settings.emergency_number in store.disclaimer.text


def test_disclaimer_says_general_not_advice_and_emergency(store: ContentStore) -> None:
    text = store.disclaimer.text.lower()
    assert "general" in text and "not medical advice" in text and "emergency" in text
    assert "not medical advice" in store.disclaimer.sms.lower()


def test_every_sms_fits_the_limit(store: ContentStore) -> None:
    assert all(len(answer.sms) <= SMS_MAX_CHARS for answer in store.answers.values())


def test_every_answer_cites_a_known_source(store: ContentStore) -> None:
    for answer in store.answers.values():
        assert answer.sources and set(answer.sources) <= set(store.sources), answer.id


def test_sms_too_long_names_file_record_and_field(content_copy: Path) -> None:
    edit_answer(content_copy, "missed_dose", sms="word " * 80)
    with pytest.raises(ContentError, match=r"answers\.yml: record 'missed_dose': field 'sms'"):
        ContentStore.load(content_copy)


def test_missing_field_names_the_record(content_copy: Path) -> None:
    edit_answer(content_copy, "alcohol", title=None)
    with pytest.raises(ContentError, match=r"answers\.yml: record 'alcohol': field 'title'"):
        ContentStore.load(content_copy)


def test_duplicate_id_is_rejected(content_copy: Path) -> None:
    edit_answer(content_copy, "alcohol", id="missed_dose")
    with pytest.raises(ContentError, match="record 'missed_dose': field 'id': duplicate id"):
        ContentStore.load(content_copy)


def test_unknown_placeholder_is_rejected(content_copy: Path) -> None:
    edit_answer(content_copy, "thanks", summary="Call {clinic_fax} any time.")
    expected = r"record 'thanks': field 'summary': unknown placeholder\(s\) \{clinic_fax\}"
    with pytest.raises(ContentError, match=expected):
        ContentStore.load(content_copy)


def test_unknown_source_key_is_rejected(content_copy: Path) -> None:
    edit_answer(content_copy, "alcohol", sources=["a_blog_post"])
    with pytest.raises(ContentError, match="record 'alcohol': field 'sources': unknown source key"):
        ContentStore.load(content_copy)


def test_follow_up_must_be_another_answer(content_copy: Path) -> None:
    edit_answer(content_copy, "alcohol", follow_ups=["alcohol"])
    with pytest.raises(ContentError, match="record 'alcohol': field 'follow_ups'"):
        ContentStore.load(content_copy)


def test_review_date_in_future_is_rejected(content_copy: Path) -> None:
    future = datetime.date.today() + datetime.timedelta(days=30)
    edit_answer(content_copy, "alcohol", last_reviewed=future)
    with pytest.raises(ContentError, match="record 'alcohol': field 'last_reviewed'"):
        ContentStore.load(content_copy)


def test_missing_served_id_is_reported(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    data = yaml.safe_load(path.read_text())
    data["answers"] = [item for item in data["answers"] if item["id"] != "non_english"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(ContentError, match="missing record.*non_english"):
        ContentStore.load(content_copy, required_ids=SERVED_IDS)


def test_bad_settings_field_names_the_file(content_copy: Path) -> None:
    path = content_copy / "settings.yml"
    data = yaml.safe_load(path.read_text())
    data["clinic_phone"] = "   "
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=r"settings\.yml: field 'clinic_phone'"):
        ContentStore.load(content_copy)


def test_invalid_yaml_names_the_file(content_copy: Path) -> None:
    (content_copy / "disclaimer.yml").write_text("text: [unclosed\n")
    with pytest.raises(ContentError, match=r"disclaimer\.yml: not valid YAML"):
        ContentStore.load(content_copy)


def test_unknown_answer_id_raises(store: ContentStore) -> None:
    with pytest.raises(ContentError, match="no answer with id 'nope'"):
        store.answer("nope")


def test_answer_text_is_summary_then_paragraphs_and_bullet_lines(content_copy: Path) -> None:
    edit_answer(content_copy, "alcohol", summary="Short answer.", details=["A paragraph.", {"bullets": ["one", "two"]}])
    answer = ContentStore.load(content_copy).answer("alcohol")
    assert answer.blocks() == ["A paragraph.", ("one", "two")]
    assert answer.text == "Short answer.\n\nA paragraph.\n\n- one\n- two"


@pytest.mark.parametrize("text", ["<b>Bold</b> advice", "Click <a href='x'>here</a>", "Fish &amp; chips", "<script>"])
def test_html_in_a_text_is_rejected(content_copy: Path, text: str) -> None:
    edit_answer(content_copy, "alcohol", details=[text])
    with pytest.raises(ContentError, match=r"record 'alcohol': field 'details\[0\]': HTML is not allowed"):
        ContentStore.load(content_copy)


@pytest.mark.parametrize(
    ("field", "value"),
    [("emergency_number", "TBC"), ("emergency_number", "call us"), ("clinic_phone", "ring reception"),
     ("crisis_line", "Samaritans (number to follow)"), ("urgent_care_line", "NHS")],
)
def test_settings_numbers_must_look_like_phone_numbers(content_copy: Path, field: str, value: str) -> None:
    path = content_copy / "settings.yml"
    data = yaml.safe_load(path.read_text())
    data[field] = value
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match=rf"settings\.yml: field '{field}': must"):
        ContentStore.load(content_copy)


def test_a_file_that_is_not_utf8_is_a_content_error(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("British", "Britísh").encode("latin-1", "replace"))
    with pytest.raises(ContentError, match=r"answers\.yml: not UTF-8 text"):
        ContentStore.load(content_copy)


def test_an_unreadable_file_is_a_content_error(content_copy: Path) -> None:
    (content_copy / "sources.yml").unlink()
    (content_copy / "sources.yml").mkdir()
    with pytest.raises(ContentError, match=r"sources\.yml: cannot be read"):
        ContentStore.load(content_copy)


def test_html_in_a_title_a_setting_or_a_medicine_name_is_rejected(content_copy: Path) -> None:
    edit_answer(content_copy, "alcohol", title="<i>Alcohol</i>")
    with pytest.raises(ContentError, match="record 'alcohol': field 'title': HTML is not allowed"):
        ContentStore.load(content_copy)
    edit_answer(content_copy, "alcohol", title="Alcohol")
    settings = content_copy / "settings.yml"
    settings.write_text(settings.read_text().replace('"Riverside Pain Clinic"', '"Riverside <b>Pain</b> Clinic"'))
    with pytest.raises(ContentError, match="settings.yml: record 'settings': field 'clinic_name': HTML"):
        ContentStore.load(content_copy)
