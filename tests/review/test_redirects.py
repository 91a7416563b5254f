"""Open redirects: ``next`` (log-in) and ``back`` (transcript, review forms) accept only same-site relative paths.

A browser removes tabs and newlines anywhere in a URL and treats ``//host`` and
``/\\host`` as another site, so ``/%09/evil.example`` must not survive as a target.
"""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest

from review.blueprints.auth import safe_local_path
from tests.review.helpers import PASSWORD, conversation_ids, csrf_token, login

HOSTILE = [
    "/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "\t//evil.example", "/ /evil.example",
    "//evil.example/", "///evil.example", "/\\evil.example", "\\\\evil.example", "https://evil.example/",
    "https:evil.example", "javascript:alert(1)", "/\x00/evil.example", "/\u3000/evil.example", "/\u2028/evil.example",
    "evil.example", "", "/" + "a" * 3000,
]
SAFE = ["/conversations", "/conversations?flag=crisis&q=drop+table", "/dashboard?from=01%2F02%2F2025"]


def browser_target(location: str) -> str:
    """Where a browser goes for this Location header: tabs and newlines removed, resolved against the site."""
    cleaned = location.strip(" \x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f").translate(
        {ord("\t"): None, ord("\n"): None, ord("\r"): None})
    return urljoin("http://review.local/login", cleaned.replace("\\", "/"))


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_fall_back_to_the_default(target) -> None:
    assert safe_local_path(target, "/conversations") == "/conversations"


@pytest.mark.parametrize("target", SAFE)
def test_local_paths_are_kept(target) -> None:
    assert safe_local_path(target, "/") == target


def test_next_after_log_in_stays_on_this_site(client, accounts) -> None:
    for target in HOSTILE:
        response = login(client, "rita", PASSWORD, next_path=target)
        if "\x00" in target:  # NUL in any field is refused outright
            assert response.status_code == 400, repr(target)
            continue
        assert response.status_code == 302, repr(target)
        assert urlsplit(browser_target(response.headers["Location"])).netloc == "review.local", repr(target)
        assert response.headers["Location"] == "/", repr(target)  # the start page
        client.post("/logout", data={"csrf_token": csrf_token(client, "/conversations")})


def test_a_logged_in_user_is_not_redirected_off_site_at_once(client, accounts) -> None:
    login(client, "rita", PASSWORD)
    for raw in ("/%09/evil.example", "/%0A/evil.example", "%09//evil.example", "/%5C/evil.example",
                quote("//evil.example", safe=""), "https%3A%2F%2Fevil.example"):
        response = client.get(f"/login?next={raw}")
        assert response.status_code == 302, raw
        assert urlsplit(browser_target(response.headers["Location"])).netloc == "review.local", raw
    assert client.get("/login?next=/dashboard").headers["Location"] == "/dashboard"


def test_back_links_stay_on_this_site(client, accounts, review_db) -> None:
    login(client, "rita", PASSWORD)
    client.get("/conversations")
    cid = conversation_ids(review_db)["rest-patient-crisis"]
    body = client.get(f"/conversations/{cid}?back=/%09/evil.example").get_data(as_text=True)
    assert 'href="/conversations">← Back to the list' in body
    assert "evil.example" not in body
