"""The start page shows what needs attention: crisis and emergency first, then call-backs, then unhelped
patients; previews show the flagged message and links open the transcript at it."""

from __future__ import annotations

import re

import pytest

from stores.callbacks import CallbackRequest
from tests.review.helpers import PASSWORD, PHONE, conversation_ids, csrf_token, login

ROW = re.compile(r'<td class="preview"><a href="/conversations/(\d+)\?back=%2F#turn-(\d+)">(.*?)</a></td>', re.S)


@pytest.fixture
def reviewer(client, accounts):
    login(client, "rita", PASSWORD)
    client.get("/conversations")
    return client


def section(body: str, key: str) -> str:
    start = body.index(f'id="{key}"')
    return body[start:body.index("</section>", start)]


def test_crisis_and_emergency_come_first_oldest_first(reviewer, review_db) -> None:
    ids = conversation_ids(review_db)
    body = reviewer.get("/").get_data(as_text=True)
    assert body.index('id="urgent"') < body.index('id="callbacks"') < body.index('id="unhelped"')
    urgent = [int(cid) for cid, _, _ in ROW.findall(section(body, "urgent"))]
    # the crisis conversation started first
    assert urgent == [ids["rest-patient-crisis"], ids["rest-patient-emergency"]]
    unhelped = {int(cid) for cid, _, _ in ROW.findall(section(body, "unhelped"))}
    assert {ids["rest-patient-pii"], ids["rest-patient-fallback"]} <= unhelped
    assert ids["rest-patient-crisis"] not in unhelped
    token = csrf_token(reviewer, f"/conversations/{ids['rest-patient-crisis']}")
    reviewer.post(f"/conversations/{ids['rest-patient-crisis']}/review", data={"csrf_token": token, "reviewed": "1"})
    body = reviewer.get("/").get_data(as_text=True)
    assert [int(cid) for cid, _, _ in ROW.findall(section(body, "urgent"))] == [ids["rest-patient-emergency"]]


def test_previews_show_the_flagged_message_masked(reviewer, review_db) -> None:
    ids = conversation_ids(review_db)
    body = reviewer.get("/").get_data(as_text=True)
    previews = {int(cid): text for cid, _, text in ROW.findall(body)}
    crisis = previews[ids["rest-patient-crisis"]]
    assert "i want to kill myself" in crisis and "hello" not in crisis
    assert "[phone]" in previews[ids["rest-patient-pii"]] and PHONE not in body
    listing = reviewer.get("/conversations", query_string={"flag": "crisis"}).get_data(as_text=True)
    assert "flagged:</span> i want to kill myself" in listing


def test_the_link_opens_the_transcript_at_the_flagged_turn(reviewer, review_db) -> None:
    ids = conversation_ids(review_db)
    body = reviewer.get("/").get_data(as_text=True)
    anchor = {int(cid): int(turn) for cid, turn, _ in ROW.findall(body)}[ids["rest-patient-crisis"]]
    transcript = reviewer.get(f"/conversations/{ids['rest-patient-crisis']}").get_data(as_text=True)
    article = re.search(rf'<article class="turn user flagged" id="turn-{anchor}">(.*?)</article>', transcript, re.S)
    assert article and "i want to kill myself" in article.group(1) and "flag-crisis" in article.group(1)
    assert transcript.count("turn user flagged") == 1


def test_new_call_back_requests_come_second(reviewer, review_db, app) -> None:
    store = app.extensions["review"].callbacks
    first = store.add(CallbackRequest("rest", "rest-patient-handoff", "Jo Bloggs", "07700 900461", "mornings"))
    store.add(CallbackRequest("rest", "someone-else", "Sam Patient", "07700 900462", "any time"))
    body = reviewer.get("/").get_data(as_text=True)
    callbacks = section(body, "callbacks")
    assert callbacks.count("<tr>") == 3 and f"request {first}" in callbacks
    assert "07700" not in body and "Jo Bloggs" not in body  # a reviewer never sees names or numbers
    assert f'/conversations/{conversation_ids(review_db)["rest-patient-handoff"]}' in callbacks
    store.set_status(first, "called", "nurse")
    assert section(reviewer.get("/").get_data(as_text=True), "callbacks").count("<tr>") == 2


def test_dashboard_counts_link_to_their_lists(reviewer, review_db) -> None:
    ids = conversation_ids(review_db)
    body = reviewer.get("/dashboard").get_data(as_text=True)
    crisis = re.search(r'<a href="([^"]+)"><span class="figure">1</span> crisis</a>', body)
    assert crisis, body[:3000]
    listing = reviewer.get(crisis.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert [int(cid) for cid in re.findall(r'<td class="preview"><a href="/conversations/(\d+)', listing)] == \
        [ids["rest-patient-crisis"]]
