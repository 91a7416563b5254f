import re

import pytest

from scripts import production_preflight
from tests.deploy.checks import (
    DEPLOY,
    compose_references,
    compose_schema_problems,
    compose_secret_problems,
    compose_structure_problems,
    compose_variable_problems,
    env_example_problems,
    environment_of,
    interpolate,
    rasa_services,
)


def test_compose_matches_the_compose_specification(compose):
    assert compose_schema_problems(compose) == []


def test_schema_check_reports_an_unknown_key(compose):
    compose["services"]["redis"]["publish"] = ["6379:6379"]
    problems = compose_schema_problems(compose)
    assert any("services/redis" in problem and "publish" in problem for problem in problems)


def test_schema_check_reports_a_bad_healthcheck(compose):
    compose["services"]["widget"]["healthcheck"]["test"] = 5
    assert any("healthcheck/test" in problem for problem in compose_schema_problems(compose))


def test_compose_structure(compose):
    assert compose_structure_problems(compose) == []


def test_every_service_needs_an_image_or_build(compose):
    del compose["services"]["postgres"]["image"]
    assert "service postgres: neither image nor build" in compose_structure_problems(compose)


def test_every_service_needs_a_healthcheck(compose):
    del compose["services"]["review"]["healthcheck"]
    assert "service review: no healthcheck" in compose_structure_problems(compose)


def test_a_published_database_port_is_reported(compose):
    compose["services"]["postgres"]["ports"] = ["5432:5432"]
    assert "service postgres: a data store must not publish ports" in compose_structure_problems(compose)


def test_redis_on_a_routed_network_is_reported(compose):
    compose["services"]["redis"]["networks"] = ["frontend"]
    assert "service redis: network 'frontend' is not internal" in compose_structure_problems(compose)


def test_data_stores_are_on_the_internal_network_only(compose):
    for name in ("postgres", "redis"):
        assert compose["services"][name]["networks"] == ["backend"]
    assert compose["networks"]["backend"]["internal"] is True


def test_there_are_two_rasa_replicas_with_identical_store_settings(compose):
    replicas = rasa_services(compose)
    assert sorted(replicas) == ["rasa-1", "rasa-2"]
    first, second = (environment_of(service) for service in replicas.values())
    assert first == second
    assert first["DB_HOST"] == "postgres" and first["REDIS_HOST"] == "redis"


def test_replicas_with_different_tracker_stores_are_reported(compose):
    environment = dict(compose["services"]["rasa-2"]["environment"], DB_HOST="other-postgres")
    compose["services"]["rasa-2"]["environment"] = environment
    problems = compose_structure_problems(compose)
    assert any(problem.startswith("DB_HOST: Rasa replicas disagree") for problem in problems)


def test_a_replica_without_a_lock_store_is_reported(compose):
    environment = dict(compose["services"]["rasa-1"]["environment"])
    del environment["REDIS_HOST"]
    compose["services"]["rasa-1"]["environment"] = environment
    assert any(problem.startswith("REDIS_HOST: not set") for problem in compose_structure_problems(compose))


def test_a_single_replica_is_reported(compose):
    del compose["services"]["rasa-2"]
    assert "1 Rasa replica service(s); at least 2 expected" in compose_structure_problems(compose)


def test_no_literal_secrets(compose):
    assert compose_secret_problems(compose) == []


def test_a_literal_password_is_reported(compose):
    compose["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"] = "hunter2hunter2"
    assert "service postgres: POSTGRES_PASSWORD has a literal value" in compose_secret_problems(compose)


def test_a_literal_password_inside_a_url_is_reported(compose):
    compose["services"]["review"]["environment"]["REVIEW_DB_URL"] = "postgresql://review:hunter2@postgres:5432/review"
    problems = compose_secret_problems(compose)
    assert any("literal password in URL" in problem and "REVIEW_DB_URL" in problem for problem in problems)


def test_secrets_are_required_not_defaulted(compose_text):
    # ${VAR:?message}: compose refuses to start without them (no silent empty password).
    for name in ("POSTGRES_PASSWORD", "DB_PASSWORD", "REDIS_PASSWORD", "RASA_AUTH_TOKEN", "REVIEW_SECRET_KEY"):
        assert re.search(r"\$\{" + name + r":\?", compose_text), name


def test_every_variable_is_documented(compose, documented):
    assert compose_variable_problems(compose, documented) == []


def test_references_are_found_and_escaped_dollars_ignored(compose):
    references = compose_references(compose)
    assert {"DB_PASSWORD", "RASA_AUTH_TOKEN", "PUBLIC_URL", "REVIEW_BIND"} <= references
    # The redis service's "$$REDIS_PASSWORD" is for the container's shell, not compose.
    assert compose_references({"x": ["$${NOT_COMPOSE}", "${YES:-1}"]}) == {"YES"}


def test_an_undocumented_variable_is_reported(compose, documented):
    compose["services"]["proxy"]["image"] = "nginx:${MYSTERY_SETTING}"
    compose["services"]["widget"]["environment"]["WIDGET_THEME"] = "dark"
    problems = compose_variable_problems(compose, documented)
    assert "${MYSTERY_SETTING} is used but not documented in deploy/README.md" in problems
    assert "service widget: WIDGET_THEME is not documented in deploy/README.md" in problems


def test_the_documented_table_marks_secrets(documented):
    assert documented["RASA_AUTH_TOKEN"] is True
    assert documented["DB_PASSWORD"] is True
    assert documented["DB_HOST"] is False


def test_env_example_lists_documented_names_with_empty_secrets(documented):
    text = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    assert env_example_problems(text, documented) == []
    assert "RASA_AUTH_TOKEN=" in text


def test_env_example_with_a_filled_in_secret_is_reported(documented):
    problems = env_example_problems("PUBLIC_URL=https://a.example\nRASA_AUTH_TOKEN=abc\nNOPE=1\n", documented)
    assert problems == [
        "line 2: secret RASA_AUTH_TOKEN has a value",
        "line 3: NOPE is not documented in deploy/README.md",
    ]


def test_env_file_and_tls_keys_are_git_ignored():
    assert ".env" in (DEPLOY / ".gitignore").read_text(encoding="utf-8").split()
    assert "*" in (DEPLOY / "tls" / ".gitignore").read_text(encoding="utf-8").split()


SETTINGS = {  # what deploy/.env would hold
    "PUBLIC_URL": "https://assistant.example-clinic.org", "WIDGET_ORIGIN": "https://www.example-clinic.org",
    "POSTGRES_PASSWORD": "a" * 48, "DB_PASSWORD": "b" * 48, "REVIEW_DB_PASSWORD": "c" * 48,
    "REDIS_PASSWORD": "d" * 48, "RASA_AUTH_TOKEN": "e" * 48, "REVIEW_SECRET_KEY": "f" * 64,
    "REST_CHANNEL_TOKEN": "g" * 48, "WIDGET_RESUME_KEY": "h" * 48,
    "CALLBACK_KEY": "aGVsbG8td29ybGQtY2FsbGJhY2sta2V5LTMyYnl0ZXM=",
}


def resolved(compose, service):
    return {key: interpolate(value, SETTINGS) for key, value in environment_of(compose["services"][service]).items()}


def test_interpolation_follows_compose_rules():
    assert interpolate("${A:-x}/${B}/$${C}", {"B": "b"}) == "x/b/${C}"
    with pytest.raises(KeyError, match="A: set A"):
        interpolate("${A:?set A}", {})


def test_compose_refuses_to_start_without_a_secret(compose):
    settings = dict(SETTINGS, RASA_AUTH_TOKEN="")
    with pytest.raises(KeyError, match="RASA_AUTH_TOKEN: set RASA_AUTH_TOKEN in deploy/.env"):
        interpolate(environment_of(compose["services"]["rasa-1"])["RASA_AUTH_TOKEN"], settings)


@pytest.mark.parametrize("service", ["rasa-1", "rasa-2"])
def test_rasa_environment_passes_the_production_preflight(compose, service):
    # The same checks scripts/run.sh and deploy/entrypoint.sh run before Rasa starts.
    environment = resolved(compose, service)
    assert production_preflight.problems_for(environment, "rasa") == []
    assert environment["SMS_STATE_DB_URL"] == f"postgresql://rasa:{'b' * 48}@postgres:5432/rasa"


def test_the_preflight_catches_a_broken_compose_environment(compose):
    environment = resolved(compose, "rasa-1")
    del environment["REDIS_KEY_PREFIX"]
    problems = production_preflight.problems_for(environment, "rasa")
    assert any("REDIS_KEY_PREFIX is not set" in problem for problem in problems)


def test_sms_is_off_without_twilio_settings_and_uses_the_shared_database_when_on(compose):
    from channels.sms_config import load_settings
    from tests.deploy.checks import DEPLOY, load_yaml

    entry = load_yaml(DEPLOY / "credentials.production.yml")["channels.twilio_sms.TwilioSmsInput"]
    assert load_settings(entry, resolved(compose, "rasa-1")) is None
    settings = dict(SETTINGS, TWILIO_AUTH_TOKEN="g" * 32, SMS_PSEUDONYM_KEY="h" * 32,
                    TWILIO_WEBHOOK_URL="https://assistant.example-clinic.org/webhooks/twilio_sms/webhook")
    service = environment_of(compose["services"]["rasa-2"])
    environment = {key: interpolate(value, settings) for key, value in service.items()}
    assert load_settings(entry, environment).state_db_url.startswith("postgresql://rasa:")


def test_the_review_app_trusts_exactly_the_proxys_hop(compose):
    # Without it, 20 bad log-ins by anyone lock out every staff member (all share the
    # proxy's address) and the audit log records only the proxy.
    review = environment_of(compose["services"]["review"])
    assert review["REVIEW_PROXY_HOPS"] == "1"


def test_the_review_app_checks_rasas_health_and_shares_the_callback_key(compose):
    review = environment_of(compose["services"]["review"])
    assert review["REVIEW_ASSISTANT_HEALTH_URL"] == "http://rasa-1:5005/webhooks/health/"
    for service in ("review", "rasa-1", "rasa-2"):
        assert environment_of(compose["services"][service])["CALLBACK_KEY"].startswith("${CALLBACK_KEY:?"), service


def test_rest_token_and_widget_resume_key_are_required_for_rasa(compose_text, compose):
    for name in ("REST_CHANNEL_TOKEN", "WIDGET_RESUME_KEY", "CALLBACK_KEY"):
        assert re.search(r"\$\{" + name + r":\?", compose_text), name
        assert name in environment_of(compose["services"]["rasa-1"]), name


def test_call_back_requests_go_to_the_review_apps_database(compose) -> None:
    review_db = environment_of(compose["services"]["review"])["REVIEW_DB_URL"]
    for service in ("rasa-1", "rasa-2"):
        assert environment_of(compose["services"][service])["CALLBACK_DB_URL"] == review_db, service
