from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from actions.server import build_actions
from core.content import ContentStore
from core.vocabulary import CONTEXT_INTENTS, INTENT_IDS, NLU_FALLBACK_INTENT
from tests.conftest import ROOT, make_tracker

DOMAIN_ACTIONS = yaml.safe_load((ROOT / "domain.yml").read_text())["actions"]
DOMAIN_INTENTS = yaml.safe_load((ROOT / "domain.yml").read_text())["intents"]


def test_server_registers_exactly_the_domain_actions(store: ContentStore) -> None:
    assert sorted(action.name() for action in build_actions(store)) == sorted(DOMAIN_ACTIONS)


@pytest.mark.parametrize("action_name", DOMAIN_ACTIONS)
@pytest.mark.parametrize("intent", [*DOMAIN_INTENTS, NLU_FALLBACK_INTENT])
@pytest.mark.parametrize("channel", ["rest", "socketio", "twilio"])
def test_every_action_and_intent_ends_with_the_disclaimer(
    store: ContentStore, action_name: str, intent: str, channel: str
) -> None:
    executor = ActionExecutor()
    for action in build_actions(store):
        executor.register_action(action)
    tracker = make_tracker(intent, channel=channel)
    call = {"next_action": action_name, "tracker": tracker.current_state(), "domain": {}, "version": "3.6.2"}
    result = asyncio.run(executor.run(call))
    disclaimer = store.disclaimer.sms if channel == "twilio" else store.disclaimer.text
    assert len(result["responses"]) == 1
    [response] = result["responses"]
    assert response["text"].endswith(disclaimer)
    assert response["content_id"] in store.answers


def test_domain_intents_are_exactly_the_answerable_ids_and_the_context_intents() -> None:
    assert sorted(DOMAIN_INTENTS) == sorted([*INTENT_IDS, *CONTEXT_INTENTS])


def test_bad_content_stops_start_up_naming_file_record_and_field(content_copy: Path) -> None:
    path = content_copy / "answers.yml"
    path.write_text(path.read_text().replace("id: alcohol", "id: Alcohol!", 1))
    result = subprocess.run(
        [sys.executable, "-m", "actions.server", "--content", str(content_copy), "--port", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0
    assert "Content error, action server not started" in result.stderr
    assert "answers.yml: record 'Alcohol!': field 'id'" in result.stderr
