from __future__ import annotations

from pathlib import Path

import yaml

from core.content import ContentStore
from core.vocabulary import DOMAIN_INTENTS, INTENT_IDS, TOPIC_IDS
from scripts.merge_authored import (
    COMMON_PHRASE_WORDS,
    coverage_keys,
    held_out_keys,
    is_near_copy,
    key,
    merge,
    read_examples,
)
from tests.conftest import ROOT

DATA = ROOT / "data" / "nlu"


def training() -> dict:
    examples: dict = {}
    for path in sorted(DATA.glob("*.yml")):
        for intent, texts in read_examples(path).items():
            examples.setdefault(intent, []).extend(texts)
    return examples


def write_nlu(path: Path, blocks: dict) -> Path:
    nlu = [{"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)} for intent, texts in blocks.items()]
    data = {"version": "3.1", "nlu": nlu}
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_data_is_one_file_per_domain_intent() -> None:
    assert sorted(path.stem for path in DATA.glob("*.yml")) == sorted(DOMAIN_INTENTS)
    for path in DATA.glob("*.yml"):
        assert list(read_examples(path)) == [path.stem]


def test_every_topic_intent_has_at_least_150_examples() -> None:
    sizes = {intent: len(texts) for intent, texts in training().items()}
    assert {intent: sizes.get(intent, 0) for intent in TOPIC_IDS if sizes.get(intent, 0) < 150} == {}


def test_every_answer_title_is_an_example_of_its_intent(store: ContentStore) -> None:
    examples = training()
    missing = [answer.id for answer in store.answers.values() if answer.id in INTENT_IDS
               and key(answer.title) not in {key(text) for text in examples.get(answer.id, [])}]
    assert missing == []


def test_no_test_or_development_message_is_trained_on(store: ContentStore) -> None:
    held_out = held_out_keys() - {key(answer.title) for answer in store.answers.values()}
    leaked = [text for texts in training().values() for text in texts
              if key(text) in held_out and len(text.split()) > COMMON_PHRASE_WORDS]
    assert leaked == []


def test_merge_adds_new_examples_once_and_never_a_held_out_one(tmp_path: Path) -> None:
    data = tmp_path / "nlu"
    first = write_nlu(tmp_path / "a.yml", {"alcohol": ["Can I have a pint on it?", "wine ok?"]})
    second = write_nlu(tmp_path / "b.yml", {"alcohol": ["can i have a PINT on it", "is a glass of red fine tonight"],
                                            "thanks": ["cheers"]})
    held_out = {key("is a glass of red fine tonight")}
    assert merge([first], data, held_out) == {"alcohol": 2}
    assert merge([second], data, held_out) == {"thanks": 1}
    assert read_examples(data / "alcohol.yml") == {"alcohol": ["Can I have a pint on it?", "wine ok?"]}


def test_the_coverage_map_headings_are_held_out(tmp_path: Path) -> None:
    coverage = tmp_path / "coverage.yml"
    coverage.write_text(yaml.safe_dump({"pages": [{"source": "x", "questions": [
        {"question": "Will it affect my contraception?", "id": "sex_and_fertility"}]}]}))
    assert coverage_keys(coverage) == {key("will it affect my contraception")}
    assert key("How does amitriptyline work?") in held_out_keys()


def test_merge_skips_a_near_copy_of_a_held_out_message(tmp_path: Path) -> None:
    held_out = {key("my wife is on sertraline and now amitriptyline too, is that safe")}
    source = write_nlu(tmp_path / "a.yml", {"other_medicines": [
        "my wife is on sertraline and now amitriptyline as well, is that safe",
        "can sertraline and amitriptyline be taken together",
    ]})
    assert merge([source], tmp_path / "nlu", held_out) == {"other_medicines": 1}
    assert read_examples(tmp_path / "nlu" / "other_medicines.yml") == {
        "other_medicines": ["can sertraline and amitriptyline be taken together"]}
    typo = {key("is it ok to stop amitryptiline suddenly?")}
    assert is_near_copy(key("is it ok to stop amitriptyline suddenly"), typo)
    assert not is_near_copy(key("what is the usual dose"), {key("is it ok to stop amitriptyline suddenly")})
