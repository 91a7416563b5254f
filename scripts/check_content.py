"""Check the content store: ``make check-content``.

Validates the schema and unique ids (by loading the store as the action server
and the SMS channel do), that every id the bot can serve exists and every domain
intent has an answer, the reading level of every patient text, SMS texts included
(Flesch-Kincaid grade <= 8), and the answer-first shape of every topic answer: a
direct answer of at most two sentences and 35 words, then paragraphs of at most
three sentences.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import List, Tuple

import textstat
import yaml

from channels.sms_content import SmsContent
from core.content import ContentError, ContentStore
from core.vocabulary import DOMAIN_INTENTS, INTENT_IDS, SERVED_IDS, TOPIC_IDS

MAX_GRADE = 8.0
SUMMARY_MAX_WORDS = 35
SUMMARY_MAX_SENTENCES = 2
PARAGRAPH_MAX_SENTENCES = 3
_SENTENCE_END = re.compile(r"[.!?]+[\"')]*(?=\s|$)")


def sentence_count(text: str) -> int:
    """Sentences in ``text``: runs of words ending with ., ! or ? (a last one without counts too)."""
    return len([piece for piece in _SENTENCE_END.split(text) if piece.strip()])


def shape_problems(store: ContentStore, topic_ids: Tuple[str, ...] = TOPIC_IDS) -> List[str]:
    """Topic answers that do not open with a short direct answer, or have long paragraphs."""
    problems = []
    for content_id in topic_ids:
        answer = store.answers.get(content_id)
        if answer is None:
            continue
        words = len(answer.summary.split())
        sentences = sentence_count(answer.summary)
        if words > SUMMARY_MAX_WORDS or sentences > SUMMARY_MAX_SENTENCES:
            problems.append(
                f"record '{content_id}': field 'summary': {sentences} sentence(s), {words} words "
                f"(the direct answer is at most {SUMMARY_MAX_SENTENCES} sentences and {SUMMARY_MAX_WORDS} words)"
            )
        for index, block in enumerate(answer.blocks()):
            if isinstance(block, str) and sentence_count(block) > PARAGRAPH_MAX_SENTENCES:
                problems.append(
                    f"record '{content_id}': field 'details[{index}]': {sentence_count(block)} sentences "
                    f"(a paragraph is at most {PARAGRAPH_MAX_SENTENCES})"
                )
    return problems


def reading_level_problems(
    store: ContentStore, max_grade: float = MAX_GRADE, extra: List[Tuple[str, str, str]] = ()
) -> List[str]:
    """Texts whose Flesch-Kincaid grade is above ``max_grade``."""
    problems = []
    for record, field, text in [*store.patient_texts(), *extra]:
        grade = textstat.flesch_kincaid_grade(text)
        if grade > max_grade:
            problems.append(f"record '{record}': field '{field}': reading grade {grade:.1f} > {max_grade}")
    return problems


def domain_problems(domain_file: Path) -> List[str]:
    """Intents in the domain without an answer, and answers no intent reaches."""
    intents = set(yaml.safe_load(domain_file.read_text(encoding="utf-8")).get("intents", []))
    problems = [f"{domain_file}: intent '{i}' has no answer id" for i in sorted(intents - set(DOMAIN_INTENTS))]
    problems += [f"{domain_file}: answer id '{i}' has no intent" for i in sorted(set(INTENT_IDS) - intents)]
    return problems


def check(content_dir: Path, domain_file: Path) -> List[str]:
    """Every problem found; an empty list means the content is good."""
    try:
        store = ContentStore.load(content_dir, required_ids=SERVED_IDS)
        sms = SmsContent.load(content_dir, store)
    except ContentError as error:
        return [str(error)]
    sms_texts = [("sms.yml", name, getattr(sms, name)) for name in ("help", "resubscribed", "media")]
    return domain_problems(domain_file) + shape_problems(store) + reading_level_problems(store, extra=sms_texts)


def main() -> None:
    """Print the problems and exit non-zero if there are any."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=Path("content"))
    parser.add_argument("--domain", type=Path, default=Path("domain.yml"))
    args = parser.parse_args()
    problems = check(args.content, args.domain)
    for problem in problems:
        print(f"ERROR {problem}")
    if problems:
        sys.exit(f"{len(problems)} content problem(s) found")
    print(f"Content OK: {args.content} (reading grade <= {MAX_GRADE}, all {len(SERVED_IDS)} served ids present)")


if __name__ == "__main__":
    main()
