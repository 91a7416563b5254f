import pytest

from tests.deploy.checks import env_by_name, helm_values_problems, manifest_problems


def test_helm_values(helm_values):
    assert helm_values_problems(helm_values) == []


def test_values_use_the_charts_documented_top_level_keys(helm_values):
    chart_keys = {
        "nameOverride", "fullnameOverride", "registry", "applicationSettings", "replicaCount", "networkPolicy",
        "args", "extraArgs", "command", "extraEnv", "image", "serviceAccount", "podAnnotations", "podLabels",
        "deploymentAnnotations", "deploymentLabels", "podSecurityContext", "securityContext", "service", "ingress",
        "resources", "autoscaling", "nodeSelector", "tolerations", "affinity", "strategy", "livenessProbe",
        "readinessProbe", "initContainers", "extraContainers", "volumes", "volumeMounts", "global", "postgresql",
        "redis", "rabbitmq", "nginx", "rasa-action-server", "duckling",
    }
    assert set(helm_values) <= chart_keys


def test_two_replicas_postgres_tracker_redis_locks(helm_values):
    assert helm_values["replicaCount"] >= 2
    endpoints = helm_values["applicationSettings"]["endpoints"]
    assert endpoints["trackerStore"]["dialect"] == "postgresql"
    assert endpoints["lockStore"]["type"] == "redis"
    environment = env_by_name(helm_values["extraEnv"])
    assert environment["RASA_ENDPOINTS"]["value"] == "deploy/endpoints.production.yml"
    assert environment["DB_NAME"]["value"] == "$(DB_DATABASE)"


def test_the_api_token_comes_from_a_secret(helm_values):
    token = env_by_name(helm_values["extraEnv"])["RASA_AUTH_TOKEN"]
    assert token["valueFrom"]["secretKeyRef"] == {"name": "assistant-secrets", "key": "rasa-auth-token"}
    assert helm_values["applicationSettings"]["token"] == ""


def test_the_ingress_is_sticky_and_routes_only_the_channels(helm_values):
    ingress = helm_values["ingress"]
    assert ingress["annotations"]["nginx.ingress.kubernetes.io/upstream-hash-by"] == "$remote_addr"
    paths = [ingress["path"]] + [path["path"] for path in ingress["extraPaths"]]
    assert paths == ["/socket.io/", "/webhooks/rest/webhook", "/webhooks/twilio_sms/webhook"]


@pytest.mark.parametrize(
    "break_it, message",
    [
        (lambda v: v.update(replicaCount=1), "replicaCount is 1; at least 2 expected"),
        (
            lambda v: v["applicationSettings"]["endpoints"]["trackerStore"].update(dialect="sqlite"),
            "applicationSettings.endpoints.trackerStore: not an enabled PostgreSQL SQL store",
        ),
        (
            lambda v: v["applicationSettings"]["endpoints"]["lockStore"].update(enabled=False),
            "applicationSettings.endpoints.lockStore: not an enabled Redis lock store",
        ),
        (
            lambda v: v["applicationSettings"].update(token="rasaToken"),
            "applicationSettings.token: a literal token (use a secretKeyRef in extraEnv)",
        ),
        (
            lambda v: v["extraEnv"].__setitem__(
                [e["name"] for e in v["extraEnv"]].index("RASA_AUTH_TOKEN"),
                {"name": "RASA_AUTH_TOKEN", "value": "s3cr3t-s3cr3t-s3cr3t-s3cr3t"},
            ),
            "extraEnv RASA_AUTH_TOKEN: not taken from a Secret",
        ),
        (lambda v: v.update(args=[]), "args: not ['rasa'] (the chart's default args pass its own generated token)"),
        (
            lambda v: v["ingress"]["annotations"].pop("nginx.ingress.kubernetes.io/upstream-hash-by"),
            "ingress: no sticky-session annotation (upstream-hash-by or affinity: cookie)",
        ),
        (
            lambda v: v["ingress"].update(path="/"),
            "ingress.path: '/' publishes the Rasa HTTP API; route the channels only",
        ),
        (lambda v: v["postgresql"]["external"].update(enabled=False), "postgresql: neither installed nor external"),
        (lambda v: v["redis"]["external"].update(enabled=False), "redis: neither installed nor external"),
        (
            lambda v: v["rasa-action-server"].update(fullnameOverride="actions"),
            "rasa-action-server.fullnameOverride: does not match the URL the rasa chart builds",
        ),
        (
            lambda v: v["extraEnv"].append({"name": "SMS_STATE_DB_URL", "value": "postgresql://rasa:pw@db:5432/rasa"}),
            "extraEnv: SMS_STATE_DB_URL: literal password in URL 'postgresql://rasa:pw@db:5432/rasa'",
        ),
    ],
)
def test_broken_values_are_reported(helm_values, break_it, message):
    break_it(helm_values)
    assert message in helm_values_problems(helm_values)


def test_cookie_affinity_also_counts_as_sticky(helm_values):
    annotations = helm_values["ingress"]["annotations"]
    del annotations["nginx.ingress.kubernetes.io/upstream-hash-by"]
    annotations["nginx.ingress.kubernetes.io/affinity"] = "cookie"
    assert helm_values_problems(helm_values) == []


def test_review_and_widget_manifests(helm_manifests):
    kinds = sorted((d["kind"], d["metadata"]["name"]) for d in helm_manifests)
    assert kinds == [
        ("Deployment", "assistant-review"),
        ("Deployment", "assistant-widget"),
        ("Ingress", "assistant-review"),
        ("Ingress", "assistant-widget"),
        ("Service", "assistant-review"),
        ("Service", "assistant-widget"),
    ]
    assert manifest_problems(helm_manifests) == []


def test_a_literal_secret_in_a_manifest_is_reported(helm_manifests):
    review = next(
        d for d in helm_manifests if d["kind"] == "Deployment" and d["metadata"]["name"] == "assistant-review"
    )
    env = review["spec"]["template"]["spec"]["containers"][0]["env"]
    env[[e["name"] for e in env].index("REVIEW_SECRET_KEY")] = {"name": "REVIEW_SECRET_KEY", "value": "x" * 40}
    assert manifest_problems(helm_manifests) == [
        "Deployment/assistant-review review: REVIEW_SECRET_KEY has a literal value instead of a secretKeyRef"
    ]


def test_the_review_ingress_is_restricted_to_the_clinic_network(helm_manifests):
    ingress = next(d for d in helm_manifests if d["kind"] == "Ingress" and d["metadata"]["name"] == "assistant-review")
    assert ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/whitelist-source-range"]


def test_sms_settings_come_and_go_together(helm_values):
    # The SMS channel refuses to start with only some of its variables set.
    env = env_by_name(helm_values["extraEnv"])
    for name in ("TWILIO_AUTH_TOKEN", "TWILIO_WEBHOOK_URL", "SMS_PSEUDONYM_KEY"):
        reference = env[name]["valueFrom"]["secretKeyRef"]
        assert reference["name"] == "assistant-secrets" and reference["optional"] is True, name


def _review_env(helm_manifests) -> dict:
    review = next(
        d for d in helm_manifests if d["kind"] == "Deployment" and d["metadata"]["name"] == "assistant-review"
    )
    return env_by_name(review["spec"]["template"]["spec"]["containers"][0]["env"])


def test_the_review_app_behind_the_ingress_trusts_one_proxy_hop(helm_manifests):
    env = _review_env(helm_manifests)
    assert env["REVIEW_PROXY_HOPS"]["value"] == "1"
    assert env["REVIEW_ASSISTANT_HEALTH_URL"]["value"].startswith("http://assistant-rasa:5005/")


def test_rasa_and_review_share_the_callback_key_and_rasa_gets_channel_secrets(helm_values, helm_manifests):
    rasa_env = env_by_name(helm_values["extraEnv"])
    assert _review_env(helm_manifests)["CALLBACK_KEY"]["valueFrom"] == rasa_env["CALLBACK_KEY"]["valueFrom"]
    for name in ("REST_CHANNEL_TOKEN", "WIDGET_RESUME_KEY"):
        assert rasa_env[name]["valueFrom"]["secretKeyRef"]["name"] == "assistant-secrets", name
