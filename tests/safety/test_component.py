from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import skops.io as sio
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from core.vocabulary import LANGUAGE_PROPERTY, NLU_FALLBACK_INTENT, SAFETY_PROPERTY
from safety.component import CLASSIFIER_FILE, SafetyOverride
from tests.conftest import ROOT
from tests.safety.test_classifier import CORPUS


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    directory = tmp_path / "corpus"
    directory.mkdir()
    (directory / "A1.yml").write_text(CORPUS, encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, LocalModelStorage, Resource]:
    """A component trained once for the module (loading the language check takes seconds)."""
    directory = tmp_path_factory.mktemp("corpus")
    (directory / "A1.yml").write_text(CORPUS, encoding="utf-8")
    _, storage, resource = trained(directory, tmp_path_factory.mktemp("storage"))
    return directory, storage, resource


@pytest.fixture(scope="module")
def component(saved) -> SafetyOverride:
    corpus, storage, resource = saved
    return SafetyOverride.load({"corpus": str(corpus)}, storage, resource, ExecutionContext(GraphSchema({}), "t"))


def nlu_data() -> TrainingData:
    examples = [("alcohol", "can I drink alcohol"), ("side_effects", "what are the side effects"),
                ("crisis_support", "I want to die")]
    return TrainingData([Message({TEXT: text, INTENT: intent}) for intent, text in examples])


def trained(corpus: Path, storage_dir: Path) -> tuple[SafetyOverride, LocalModelStorage, Resource]:
    storage_dir.mkdir(parents=True, exist_ok=True)
    storage = LocalModelStorage(storage_dir)
    resource = Resource("safety")
    context = ExecutionContext(GraphSchema({}), "test")
    component = SafetyOverride.create({"corpus": str(corpus)}, storage, resource, context)
    component.train(nlu_data())
    return component, storage, resource


def parsed(text: str, intent: str, confidence: float = 0.9) -> Message:
    message = Message({TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": confidence})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}])
    return message


def test_trained_saved_and_loaded_it_overrides_a_crisis_message(component: SafetyOverride) -> None:
    [message] = component.process([parsed("I want to kill myself tonight", "side_effects")])
    assert message.get(INTENT)["name"] == "crisis_support"
    assert message.get(SAFETY_PROPERTY)["intent"] == "crisis_support"
    assert message.get(INTENT_RANKING_KEY)[0]["name"] == "crisis_support"


def test_an_ordinary_question_keeps_its_intent(component: SafetyOverride) -> None:
    [message] = component.process([parsed("can I drink alcohol with amitriptyline", "alcohol")])
    assert message.get(INTENT)["name"] == "alcohol" and message.get(SAFETY_PROPERTY) is None


@pytest.mark.integration  # loads lingua's language models: tens of seconds on a busy machine
def test_a_message_in_another_language_becomes_fallback_with_its_language(component: SafetyOverride) -> None:
    [message] = component.process([parsed("¿Puedo beber cerveza si tomo amitriptilina por la noche?", "alcohol")])
    assert message.get(INTENT)["name"] == NLU_FALLBACK_INTENT
    assert message.get(LANGUAGE_PROPERTY)["language"] == "es"


def test_an_unsupported_model_guess_of_crisis_is_set_aside(component: SafetyOverride) -> None:
    message = parsed("what are the side effects of nortriptyline", "crisis_support", 0.5)
    message.set(INTENT_RANKING_KEY, [{"name": "crisis_support", "confidence": 0.5},
                                     {"name": "side_effects", "confidence": 0.45}])
    [message] = component.process([message])
    assert message.get(INTENT)["name"] == "side_effects"
    assert message.get(SAFETY_PROPERTY)["source"] == "set_aside"


def test_a_saved_classifier_with_unexpected_types_is_refused(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "storage").mkdir()
    storage, resource = LocalModelStorage(tmp_path / "storage"), Resource("safety")
    with storage.write_to(resource) as directory:
        sio.dump({"payload": Path("x")}, directory / CLASSIFIER_FILE)
    with pytest.raises(ValueError, match="unexpected types"):
        SafetyOverride.load({"corpus": str(corpus)}, storage, resource, ExecutionContext(GraphSchema({}), "t"))


def test_the_fingerprint_follows_the_corpus_and_the_code(corpus: Path, tmp_path: Path) -> None:
    before = SafetyOverride.fingerprint_addon({"corpus": str(corpus)})
    assert SafetyOverride.fingerprint_addon({"corpus": str(corpus)}) == before
    (corpus / "A1.yml").write_text(CORPUS + "  - one more question\n", encoding="utf-8")
    assert SafetyOverride.fingerprint_addon({"corpus": str(corpus)}) != before
    other = tmp_path / "same"
    shutil.copytree(ROOT / "safety" / "corpus", other)
    assert SafetyOverride.fingerprint_addon({"corpus": str(other)}) == SafetyOverride.fingerprint_addon({})


def test_topic_titles_are_matched_whatever_the_case_and_punctuation() -> None:
    from safety.component import title_key, topic_titles

    titles = topic_titles()
    assert title_key("WHEN should I take it??") in titles
    assert title_key("When should I take two tonight?") not in titles
    assert title_key("Call for help now") not in titles  # not a topic: safety replies have no button
