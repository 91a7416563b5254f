"""The curated content store: clinician-owned answers, disclaimer, clinic settings.

Everything the assistant says comes from the YAML files in ``content/``. They are
loaded and validated once, at start-up; a bad file stops start-up with a
:class:`ContentError` naming the file, the record and the field.

An answer is stored in parts so a channel can show the direct answer first:
``summary`` (the direct answer to the title question) and ``details`` (short
paragraphs, or bullet lists written as ``{bullets: [...]}``), plus a short ``sms``.
"""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Tuple, Type, TypeVar, Union

import yaml
from pydantic import BaseModel, Extra, HttpUrl, ValidationError, conlist, constr, validator

SMS_MAX_CHARS = 300
TITLE_MAX_CHARS = 60
PLACEHOLDERS = (
    "clinic_name",
    "clinic_phone",
    "opening_hours",
    "emergency_number",
    "urgent_care_line",
    "crisis_line",
)
PARAGRAPH = "\n\n"
BULLET = "- "

NonEmpty = constr(strip_whitespace=True, min_length=1)
ContentId = constr(regex=r"^[a-z][a-z0-9_]*$")
# A phone number as patients dial it: digits with optional spaces, a leading "+".
PHONE_NUMBER = re.compile(r"\+?\d[\d ]{1,18}\d")
_HTML = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>|&(?:[a-zA-Z]+|#\d+);")


def phone_number_in(text: str) -> str:
    """The first phone number written in ``text`` ("" if none)."""
    match = PHONE_NUMBER.search(text)
    return match.group(0) if match else ""


class ContentError(Exception):
    """A content file is missing, malformed or inconsistent."""


class StrictModel(BaseModel):
    """A content model: unknown fields are errors, strings are stripped."""

    class Config:  # noqa: D106 (pydantic settings)
        extra = Extra.forbid
        anystr_strip_whitespace = True


def _phone_only(value: str) -> str:
    if not PHONE_NUMBER.fullmatch(value):
        raise ValueError("must be a phone number (digits and spaces, e.g. 999 or 01632 960000)")
    return value


def _contains_phone(value: str) -> str:
    if not PHONE_NUMBER.search(value):
        raise ValueError("must include a phone number (e.g. Samaritans on 116 123)")
    return value


class Settings(StrictModel):
    """Clinic settings, used to fill the placeholders in answers."""

    clinic_name: NonEmpty
    clinic_phone: NonEmpty
    opening_hours: NonEmpty
    emergency_number: NonEmpty
    urgent_care_line: NonEmpty
    crisis_line: NonEmpty

    _clinic_phone = validator("clinic_phone", allow_reuse=True)(_phone_only)
    _emergency_number = validator("emergency_number", allow_reuse=True)(_phone_only)
    _urgent_care_line = validator("urgent_care_line", allow_reuse=True)(_contains_phone)
    _crisis_line = validator("crisis_line", allow_reuse=True)(_contains_phone)


class Disclaimer(StrictModel):
    """The medical disclaimer that ends every reply, in web and SMS form."""

    text: NonEmpty
    sms: NonEmpty


class Source(StrictModel):
    """A public source an answer is written from."""

    title: NonEmpty
    url: HttpUrl | None = None


class BulletList(StrictModel):
    """A short list inside an answer's details."""

    bullets: conlist(NonEmpty, min_items=2)


Block = Union[BulletList, NonEmpty]


class Answer(StrictModel):
    """One curated answer: the direct answer, then details; a short SMS form."""

    id: ContentId
    title: constr(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_CHARS)
    summary: NonEmpty
    details: List[Block] = []
    sms: NonEmpty
    sources: conlist(NonEmpty, min_items=1)
    last_reviewed: datetime.date
    follow_ups: List[ContentId] = []

    @validator("last_reviewed")
    def _not_in_future(cls, value: datetime.date) -> datetime.date:
        if value > datetime.date.today():
            raise ValueError("date is in the future")
        return value

    def blocks(self) -> List[str | Tuple[str, ...]]:
        """The details as plain values: a paragraph is a string, a list a tuple."""
        return [tuple(block.bullets) if isinstance(block, BulletList) else block for block in self.details]

    @property
    def text(self) -> str:
        """The whole web answer as plain text: summary, paragraphs, "- " bullet lines."""
        return PARAGRAPH.join([self.summary, *(block_text(block) for block in self.blocks())])


def block_text(block: str | Tuple[str, ...]) -> str:
    """A details block as plain text (a list as "- " lines)."""
    return block if isinstance(block, str) else "\n".join(BULLET + item for item in block)


class Medicine(StrictModel):
    """A medicine the assistant recognises by name."""

    name: NonEmpty
    family: NonEmpty
    brands: List[NonEmpty] = []
    misspellings: List[NonEmpty] = []


class MedicineList(StrictModel):
    """Medicines file: the mention template and the medicines."""

    mention: NonEmpty
    medicines: conlist(Medicine, min_items=1)


class _AnswersFile(StrictModel):
    answers: conlist(Dict[str, Any], min_items=1)


class _SourcesFile(StrictModel):
    sources: Dict[ContentId, Source]


@dataclass(frozen=True)
class ContentStore:
    """Validated, rendered content. Build it with :meth:`load`."""

    settings: Settings
    disclaimer: Disclaimer
    answers: Mapping[str, Answer]
    sources: Mapping[str, Source]
    medicines: MedicineList

    @classmethod
    def load(cls, directory: Path | str, required_ids: Iterable[str] = ()) -> ContentStore:
        """Load and validate every content file in ``directory``.

        Args:
            directory: the content folder (``content/``).
            required_ids: answer ids the bot can serve; each must exist.

        Raises:
            ContentError: naming the file, the record and the field at fault.

        """
        directory = Path(directory)
        settings = parse_model(directory / "settings.yml", Settings)
        values = settings.dict()
        for name, value in values.items():
            reject_html(value, directory / "settings.yml", "settings", name)
        disclaimer_path = directory / "disclaimer.yml"
        disclaimer = parse_model(disclaimer_path, Disclaimer)
        disclaimer = Disclaimer(
            text=render_template(disclaimer.text, values, disclaimer_path, "disclaimer", "text"),
            sms=render_template(disclaimer.sms, values, disclaimer_path, "disclaimer", "sms"),
        )
        sources = parse_model(directory / "sources.yml", _SourcesFile).sources
        medicines_path = directory / "medicines.yml"
        medicines = parse_model(medicines_path, MedicineList)
        for medicine in medicines.medicines:
            for name in (medicine.name, medicine.family, *medicine.brands, *medicine.misspellings):
                reject_html(name, medicines_path, medicine.name, "medicines")
        check_template(medicines.mention, ("medicine",), medicines_path, "mention", "mention")
        answers = _load_answers(directory / "answers.yml", values, sources)
        missing = sorted(set(required_ids) - set(answers))
        if missing:
            raise ContentError(
                f"{directory / 'answers.yml'}: missing record(s) the assistant serves: "
                + ", ".join(missing)
            )
        return cls(settings, disclaimer, answers, sources, medicines)

    def answer(self, content_id: str) -> Answer:
        """Return the answer with this id.

        Raises:
            ContentError: if there is no such answer.

        """
        try:
            return self.answers[content_id]
        except KeyError:
            raise ContentError(f"no answer with id '{content_id}'") from None

    def patient_texts(self) -> List[Tuple[str, str, str]]:
        """Every patient-facing text as (record, field, text), for checks."""
        texts = [("disclaimer", "text", self.disclaimer.text), ("disclaimer", "sms", self.disclaimer.sms)]
        for answer in self.answers.values():
            texts.append((answer.id, "summary", answer.summary))
            if answer.details:
                texts.append((answer.id, "details", PARAGRAPH.join(block_text(b) for b in answer.blocks())))
            texts.append((answer.id, "sms", answer.sms))
        return texts


Model = TypeVar("Model", bound=BaseModel)


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path``; any unreadable file is a :class:`ContentError`."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except UnicodeDecodeError as error:
        raise ContentError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise ContentError(f"{path}: cannot be read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None


def parse_model(path: Path, model: Type[Model], data: Any = None, record: str = "") -> Model:
    """Validate ``data`` (or the file at ``path``) as ``model``, naming file, record and field."""
    raw = read_yaml(path) if data is None else data
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: {record or 'file'}: expected a mapping of fields")
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"] if part != "__root__")
        where = f"record '{record}': " if record else ""
        raise ContentError(f"{path}: {where}field '{field}': {first['msg']}") from None


def _render_answer(answer: Answer, values: Dict[str, str], path: Path) -> Answer:
    def render(text: str, field: str) -> str:
        return render_template(text, values, path, answer.id, field)

    details: List[Any] = []
    for index, block in enumerate(answer.details):
        field = f"details[{index}]"
        if isinstance(block, BulletList):
            details.append(BulletList(bullets=[render(item, field) for item in block.bullets]))
        else:
            details.append(render(block, field))
    return answer.copy(
        update={"summary": render(answer.summary, "summary"), "details": details, "sms": render(answer.sms, "sms")}
    )


def _load_answers(path: Path, values: Dict[str, str], sources: Mapping[str, Source]) -> Dict[str, Answer]:
    records = parse_model(path, _AnswersFile).answers
    answers: Dict[str, Answer] = {}
    for index, raw in enumerate(records):
        record = str(raw.get("id") or f"#{index + 1}")
        answer = parse_model(path, Answer, raw, record)
        reject_html(answer.title, path, answer.id, "title")
        if answer.id in answers:
            raise ContentError(f"{path}: record '{answer.id}': field 'id': duplicate id")
        unknown = [key for key in answer.sources if key not in sources]
        if unknown:
            raise ContentError(
                f"{path}: record '{answer.id}': field 'sources': unknown source key(s) "
                f"{', '.join(unknown)} (add them to sources.yml)"
            )
        answer = _render_answer(answer, values, path)
        if len(answer.sms) > SMS_MAX_CHARS:
            raise ContentError(
                f"{path}: record '{answer.id}': field 'sms': {len(answer.sms)} characters "
                f"once settings are filled in (at most {SMS_MAX_CHARS})"
            )
        answers[answer.id] = answer
    for answer in answers.values():
        for follow_up in answer.follow_ups:
            if follow_up not in answers or follow_up == answer.id:
                raise ContentError(
                    f"{path}: record '{answer.id}': field 'follow_ups': "
                    f"'{follow_up}' is not another answer's id"
                )
    return answers


def reject_html(text: str, path: Path, record: str, field: str) -> None:
    """Raise :class:`ContentError` if ``text`` holds an HTML tag or entity."""
    if _HTML.search(text):
        raise ContentError(f"{path}: record '{record}': field '{field}': HTML is not allowed; write plain text")


def check_template(text: str, allowed: Iterable[str], path: Path, record: str, field: str) -> None:
    """Raise :class:`ContentError` for a malformed or unknown ``{placeholder}``, or for HTML."""
    reject_html(text, path, record, field)
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError as error:
        raise ContentError(f"{path}: record '{record}': field '{field}': {error}") from None
    unknown = sorted(names - set(allowed))
    if unknown:
        raise ContentError(
            f"{path}: record '{record}': field '{field}': unknown placeholder(s) "
            + ", ".join("{" + name + "}" for name in unknown)
            + f"; allowed: {', '.join('{' + name + '}' for name in allowed)}"
        )


def render_template(text: str, values: Dict[str, str], path: Path, record: str, field: str) -> str:
    """Fill the clinic placeholders in ``text`` and tidy its spaces."""
    check_template(text, PLACEHOLDERS, path, record, field)
    return re.sub(r"[ \t]+", " ", text.format_map(values)).strip()
