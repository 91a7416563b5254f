"""Corrections: the topic that should have answered a patient turn; their export, read by Rasa's own NLU reader."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import sqlalchemy as sa
from rasa.shared.nlu.training_data.loading import load_data

from review.schema import audit, corrections
from tests.conftest import ROOT
from tests.review.helpers import PASSWORD, PHONE, conversation_ids, csrf_token, login

TURN = re.compile(r'<article class="turn user[^"]*" id="turn-(\d+)">')


@pytest.fixture
def reviewer(client, accounts):
    login(client, "rita", PASSWORD)
    client.get("/conversations")
    return client


def patient_turns(client, cid: int) -> list[int]:
    return [int(event_id) for event_id in TURN.findall(client.get(f"/conversations/{cid}").get_data(as_text=True))]


def correct(client, cid: int, event_id: object, topic: str):
    token = csrf_token(client, f"/conversations/{cid}")
    return client.post(f"/conversations/{cid}/corrections", data={"csrf_token": token, "event_id": str(event_id),
                                                                 "topic": topic})


def stored(engine) -> list:
    with engine.connect() as connection:
        return connection.execute(sa.select(corrections).order_by(corrections.c.id)).all()


def test_a_correction_is_stored_shown_changed_and_taken_back(reviewer, review_db) -> None:
    cid = conversation_ids(review_db)["rest-patient-fallback"]
    first, second = patient_turns(reviewer, cid)
    response = correct(reviewer, cid, second, "contact_clinic")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"#turn-{second}")
    page = reviewer.get(f"/conversations/{cid}").get_data(as_text=True)
    assert "Should have been: <strong>How do I contact the clinic?</strong>" in page
    [row] = stored(review_db)
    assert (row.event_id, row.topic, row.created_by) == (second, "contact_clinic", "rita")
    assert row.text == "can you book me a taxi to the airport" and row.served and row.intent
    correct(reviewer, cid, second, "none")
    assert [(row.event_id, row.topic) for row in stored(review_db)] == [(second, "none")]
    assert "Should have been: <strong>No content yet</strong>" in reviewer.get(f"/conversations/{cid}").get_data(
        as_text=True)
    correct(reviewer, cid, second, "")
    assert stored(review_db) == []
    with review_db.connect() as connection:
        actions = [row[0] for row in connection.execute(sa.select(audit.c.action).order_by(audit.c.id))]
    assert actions.count("correction_saved") == 2 and actions.count("correction_removed") == 1


def test_only_patient_turns_of_the_conversation_and_known_topics(reviewer, review_db) -> None:
    ids = conversation_ids(review_db)
    cid, other = ids["rest-patient-fallback"], ids["rest-patient-crisis"]
    assert correct(reviewer, cid, patient_turns(reviewer, other)[0], "alcohol").status_code == 404
    assert correct(reviewer, cid, patient_turns(reviewer, cid)[0] + 1, "alcohol").status_code == 404  # a bot event
    assert correct(reviewer, cid, "x", "alcohol").status_code == 400
    page = correct(reviewer, cid, patient_turns(reviewer, cid)[0], "made_up_topic")
    assert "choose one of the listed topics" in reviewer.get(page.headers["Location"]).get_data(as_text=True)
    assert stored(review_db) == []


def test_the_export_is_nlu_data_rasa_reads_with_masked_text(reviewer, review_db, tmp_path) -> None:
    ids = conversation_ids(review_db)
    pii, fallback = ids["rest-patient-pii"], ids["rest-patient-fallback"]
    correct(reviewer, pii, patient_turns(reviewer, pii)[0], "how_long_until_relief")
    first, second = patient_turns(reviewer, fallback)
    correct(reviewer, fallback, first, "none")
    correct(reviewer, fallback, second, "contact_clinic")
    token = csrf_token(reviewer, "/corrections")
    response = reviewer.post("/corrections/export", data={"csrf_token": token})
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith('.yml"')
    text = response.get_data(as_text=True)
    assert PHONE not in text and "jo.bloggs" not in text
    path = tmp_path / "corrections.yml"
    path.write_text(text, encoding="utf-8")
    data = load_data(str(path))
    examples = {(example.get("intent"), example.get("text")) for example in data.intent_examples}
    assert ("contact_clinic", "can you book me a taxi to the airport") in examples
    relief = [text for intent, text in examples if intent == "how_long_until_relief"]
    assert len(relief) == 1 and relief[0].startswith("my number is (phone) and my email is (email)")
    assert {intent for intent, _ in examples} == {"contact_clinic", "how_long_until_relief"}
    assert "#   - blah blah medication stuff" in text  # "no content yet": a comment for the clinicians
    assert data.entity_examples == []  # masked placeholders never read as entity mark-up
    listing = reviewer.get("/corrections").get_data(as_text=True)
    assert "How long until it helps?" in listing and "No content yet" in listing


def test_the_dashboard_shows_the_share_of_corrected_answers_by_topic(reviewer, review_db) -> None:
    cid = conversation_ids(review_db)["rest-patient-fallback"]
    first, second = patient_turns(reviewer, cid)
    correct(reviewer, cid, first, "none")
    correct(reviewer, cid, second, "contact_clinic")
    body = reviewer.get("/dashboard").get_data(as_text=True)
    start = body.index("Corrected answers by topic")
    share = body[start:body.index("</section>", start)]
    rows = re.findall(r'<tr><td>([^<]+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>', share)
    assert sum(int(corrected) for _, _, corrected in rows) == 2
    assert all(int(answered) >= int(corrected) for _, answered, corrected in rows)
    assert "No content yet 1" in share and "How do I contact the clinic? 1" in share


def test_any_message_becomes_one_safe_example(tmp_path) -> None:
    from review.corrections import Correction, nlu_yaml

    texts = ["two\nlines\tand  tabs", "[fake](entity) and {\"entity\": \"x\"}", "nul\x00 \ud800 \ufffe \u202e",
             "- starts with a dash", "ends with a colon:", "# not a comment", "   ", "é ü 😀"]
    items = [Correction(n, 1, n, text, None, None, "alcohol", "rita", 0.0) for n, text in enumerate(texts)]
    path = tmp_path / "odd.yml"
    path.write_text(nlu_yaml(items, "header\nwith two lines"), encoding="utf-8")
    examples = [example.get("text") for example in load_data(str(path)).intent_examples]
    assert examples == ["two lines and tabs", '(fake)(entity) and {"entity": "x"}', "nul", "- starts with a dash",
                        "ends with a colon:", "# not a comment", "é ü 😀"]


def test_export_corrections_on_the_command_line(backend, reviewer, review_db, tmp_path) -> None:
    cid = conversation_ids(review_db)["rest-patient-fallback"]
    correct(reviewer, cid, patient_turns(reviewer, cid)[1], "contact_clinic")
    output = tmp_path / "out.yml"
    env = {"PATH": "/usr/bin:/bin", "REVIEW_TRACKER_DB_URL": backend.tracker_url.render_as_string(False),
           "REVIEW_DB_URL": backend.review_url.render_as_string(False), "REVIEW_SECRET_KEY": "c" * 40,
           "CALLBACK_KEY": "0Z6K2dV4vJ8p8t0cE4wG1bq9m3r5x7y9A1b3C5d7E9g=", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "review", "export-corrections", "--output", str(output)], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "wrote 1 corrections" in result.stderr
    examples = load_data(str(output)).intent_examples
    assert [(e.get("intent"), e.get("text")) for e in examples] == [
        ("contact_clinic", "can you book me a taxi to the airport")]
    with review_db.connect() as connection:
        assert connection.execute(sa.select(audit.c.username).where(audit.c.action == "corrections_exported")) \
            .scalar().startswith("cli")
