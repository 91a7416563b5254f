"""What the seeder draws from: patients' messages (the NLU examples) and the assistant's real replies.

Patient messages are the NLU training examples: every ``*.yml`` under ``data/nlu/``
when that folder exists (one file per topic), else ``data/nlu.yml``. Replies are the
real answers of ``content/``, composed with the disclaimer by ``core.replies``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from core.content import ContentStore
from core.replies import Reply, reply_text
from core.vocabulary import SERVED_IDS, SMS_CHANNEL, TOPIC_IDS, WIDGET_CHANNEL
from review.config import ROOT

# Relative weights of the non-topic intents (topics get 5 down to 2, most asked first).
SERVICE_WEIGHTS = {
    "greeting": 8, "thanks": 5, "goodbye": 3, "contact_clinic": 3, "capabilities": 1, "bot_identity": 1,
    "out_of_scope": 2, "crisis_support": 1, "emergency_symptoms": 0.5, "personal_medical_advice": 3,
    "non_english": 0.3, "nlu_fallback": 6,
}
GIBBERISH = (
    "asdfgh", "can you book me a taxi", "what is the weather tomorrow", "my cat is ill", "hello??? anyone",
    "is the pharmacy on main street open", "how much does parking cost", "ok", "what", "blah blah",
)
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")


@dataclass
class Pools:
    """Texts the generator draws from."""

    examples: Dict[str, List[str]]
    replies: Dict[Tuple[str, bool], str]
    intents: List[str]
    weights: List[float]


def nlu_files(root: Path = ROOT) -> List[Path]:
    """The NLU training files: ``data/nlu/*.yml`` (sorted) if that folder exists, else ``data/nlu.yml``."""
    folder = root / "data" / "nlu"
    if folder.is_dir():
        return sorted(folder.glob("*.yml"))
    return [root / "data" / "nlu.yml"]


def nlu_examples(files: List[Path]) -> Dict[str, List[str]]:
    """Intent -> its example messages (entity mark-up removed), from every file."""
    examples: Dict[str, List[str]] = {}
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if not isinstance(block, dict) or "intent" not in block:
                continue
            lines = [line.strip()[2:].strip() for line in str(block.get("examples", "")).splitlines()
                     if line.strip().startswith("- ")]
            examples.setdefault(block["intent"], []).extend(ENTITY_MARKUP.sub(r"\1", line) for line in lines if line)
    return examples


def load_pools(root: Path = ROOT) -> Pools:
    """Patient messages from the NLU data and the assistant's replies from content/."""
    examples = nlu_examples(nlu_files(root))
    examples["nlu_fallback"] = list(GIBBERISH)
    store = ContentStore.load(root / "content", required_ids=SERVED_IDS)
    replies = {
        (content_id, sms): reply_text(store, Reply(content_id), SMS_CHANNEL if sms else WIDGET_CHANNEL)
        for content_id in SERVED_IDS for sms in (False, True)
    }
    intents = [*TOPIC_IDS, *SERVICE_WEIGHTS]
    weights = [5.0 - 3.0 * index / len(TOPIC_IDS) for index in range(len(TOPIC_IDS))] + list(SERVICE_WEIGHTS.values())
    return Pools(examples, replies, intents, weights)
