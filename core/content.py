"""The curated content store: clinician-owned answers, disclaimer, clinic settings.

Everything the assistant says comes from the YAML files in ``content/``. They are
loaded and validated once, when the action server starts; a bad file stops start-up
with a :class:`ContentError` naming the file, the record and the field.
"""

from __future__ import annotations

import datetime
import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Tuple, Type, TypeVar

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

NonEmpty = constr(strip_whitespace=True, min_length=1)
ContentId = constr(regex=r"^[a-z][a-z0-9_]*$")


class ContentError(Exception):
    """A content file is missing, malformed or inconsistent."""


class _Strict(BaseModel):
    class Config:
        extra = Extra.forbid
        anystr_strip_whitespace = True


class Settings(_Strict):
    """Clinic settings, used to fill the placeholders in answers."""

    clinic_name: NonEmpty
    clinic_phone: NonEmpty
    opening_hours: NonEmpty
    emergency_number: NonEmpty
    urgent_care_line: NonEmpty
    crisis_line: NonEmpty


class Disclaimer(_Strict):
    """The medical disclaimer that ends every reply, in web and SMS form."""

    text: NonEmpty
    sms: NonEmpty


class Source(_Strict):
    """A public source an answer is written from."""

    title: NonEmpty
    url: HttpUrl | None = None


class Answer(_Strict):
    """One curated answer."""

    id: ContentId
    title: constr(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_CHARS)
    text: NonEmpty
    sms: NonEmpty
    sources: conlist(NonEmpty, min_items=1)
    last_reviewed: datetime.date
    follow_ups: List[ContentId] = []

    @validator("last_reviewed")
    def _not_in_future(cls, value: datetime.date) -> datetime.date:
        if value > datetime.date.today():
            raise ValueError("date is in the future")
        return value


class Medicine(_Strict):
    """A medicine the assistant recognises by name."""

    name: NonEmpty
    family: NonEmpty
    brands: List[NonEmpty] = []
    misspellings: List[NonEmpty] = []


class MedicineList(_Strict):
    """Medicines file: the mention template and the medicines."""

    mention: NonEmpty
    medicines: conlist(Medicine, min_items=1)


class _AnswersFile(_Strict):
    answers: conlist(Dict[str, Any], min_items=1)


class _SourcesFile(_Strict):
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
        settings = _parse(directory / "settings.yml", Settings)
        values = settings.dict()
        disclaimer_path = directory / "disclaimer.yml"
        disclaimer = _parse(disclaimer_path, Disclaimer)
        disclaimer = Disclaimer(
            text=_render(disclaimer.text, values, disclaimer_path, "disclaimer", "text"),
            sms=_render(disclaimer.sms, values, disclaimer_path, "disclaimer", "sms"),
        )
        sources = _parse(directory / "sources.yml", _SourcesFile).sources
        medicines_path = directory / "medicines.yml"
        medicines = _parse(medicines_path, MedicineList)
        _check_template(medicines.mention, ("medicine",), medicines_path, "mention", "mention")
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
            texts.append((answer.id, "text", answer.text))
            texts.append((answer.id, "sms", answer.sms))
        return texts


Model = TypeVar("Model", bound=BaseModel)


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError:
        raise ContentError(f"{path}: file not found") from None
    except yaml.YAMLError as error:
        raise ContentError(f"{path}: not valid YAML: {error}") from None


def _parse(path: Path, model: Type[Model], data: Any = None, record: str = "") -> Model:
    raw = _read_yaml(path) if data is None else data
    if not isinstance(raw, dict):
        raise ContentError(f"{path}: {record or 'file'}: expected a mapping of fields")
    try:
        return model.parse_obj(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        where = f"record '{record}': " if record else ""
        raise ContentError(f"{path}: {where}field '{field}': {first['msg']}") from None


def _load_answers(path: Path, values: Dict[str, str], sources: Mapping[str, Source]) -> Dict[str, Answer]:
    records = _parse(path, _AnswersFile).answers
    answers: Dict[str, Answer] = {}
    for index, raw in enumerate(records):
        record = str(raw.get("id") or f"#{index + 1}")
        answer = _parse(path, Answer, raw, record)
        if answer.id in answers:
            raise ContentError(f"{path}: record '{answer.id}': field 'id': duplicate id")
        unknown = [key for key in answer.sources if key not in sources]
        if unknown:
            raise ContentError(
                f"{path}: record '{answer.id}': field 'sources': unknown source key(s) "
                f"{', '.join(unknown)} (add them to sources.yml)"
            )
        text = _render(answer.text, values, path, answer.id, "text")
        sms = _render(answer.sms, values, path, answer.id, "sms")
        if len(sms) > SMS_MAX_CHARS:
            raise ContentError(
                f"{path}: record '{answer.id}': field 'sms': {len(sms)} characters "
                f"once settings are filled in (at most {SMS_MAX_CHARS})"
            )
        answers[answer.id] = answer.copy(update={"text": text, "sms": sms})
    for answer in answers.values():
        for follow_up in answer.follow_ups:
            if follow_up not in answers or follow_up == answer.id:
                raise ContentError(
                    f"{path}: record '{answer.id}': field 'follow_ups': "
                    f"'{follow_up}' is not another answer's id"
                )
    return answers


def _check_template(text: str, allowed: Iterable[str], path: Path, record: str, field: str) -> None:
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


def _render(text: str, values: Dict[str, str], path: Path, record: str, field: str) -> str:
    _check_template(text, PLACEHOLDERS, path, record, field)
    return re.sub(r"[ \t]+", " ", text.format_map(values)).strip()
