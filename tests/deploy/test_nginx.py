import pytest

from tests.deploy.checks import nginx_problems, parse_nginx, rasa_services

RASA = ("rasa-1", "rasa-2")


def test_nginx_configuration(nginx, compose):
    assert nginx_problems(nginx, rasa_services(compose)) == []


def test_the_upstream_lists_exactly_the_compose_replicas(nginx, compose):
    upstream = next(d for d in nginx.walk() if d.name == "upstream" and d.args == ["rasa"])
    servers = sorted(d.args[0].split(":")[0] for d in upstream.find("server"))
    assert servers == sorted(rasa_services(compose))
    assert upstream.find("ip_hash")


def test_socketio_without_upgrade_headers_is_reported(nginx_text):
    broken = parse_nginx(nginx_text.replace("proxy_set_header Upgrade $http_upgrade;", ""))
    assert "/socket.io/: 'proxy_set_header Upgrade $http_upgrade' missing" in nginx_problems(broken, RASA)


def test_socketio_with_http_1_0_is_reported(nginx_text):
    broken = parse_nginx(nginx_text.replace("proxy_http_version 1.1;", "proxy_http_version 1.0;"))
    assert "/socket.io/: proxy_http_version 1.1 missing" in nginx_problems(broken, RASA)


def test_a_connection_header_that_does_not_upgrade_is_reported(nginx_text):
    broken = parse_nginx(
        nginx_text.replace("proxy_set_header Connection $connection_upgrade;", 'proxy_set_header Connection "";')
    )
    assert "/socket.io/: 'proxy_set_header Connection' is not an upgrade" in nginx_problems(broken, RASA)


def test_an_upstream_without_sticky_sessions_is_reported(nginx_text):
    broken = parse_nginx(nginx_text.replace("ip_hash;", ""))
    assert "upstream rasa: no sticky sessions (ip_hash, hash or sticky)" in nginx_problems(broken, RASA)


def test_a_replica_missing_from_the_upstream_is_reported(nginx):
    assert "upstream rasa: Rasa replicas ['rasa-3'] are not in it" in nginx_problems(nginx, (*RASA, "rasa-3"))


def test_proxying_everything_to_rasa_is_reported(nginx_text):
    broken = parse_nginx(nginx_text.replace("      return 404;", "      proxy_pass http://rasa;"))
    assert "location /: proxies everything to Rasa, the HTTP API included" in nginx_problems(broken, RASA)


def test_no_socketio_location_is_reported(nginx_text):
    broken = parse_nginx(nginx_text.replace("location /socket.io/", "location /sockets/"))
    assert nginx_problems(broken, RASA) == ["no location for /socket.io/"]


def test_the_rasa_api_is_not_routed(nginx):
    proxied = [
        location.args[-1]
        for location in nginx.walk()
        if location.name == "location" and any(d.args == ["http://rasa"] for d in location.find("proxy_pass"))
    ]
    assert sorted(proxied) == ["/socket.io/", "/webhooks/rest/webhook", "/webhooks/twilio_sms/webhook"]


def test_review_app_has_its_own_tls_server(nginx):
    servers = [d for d in nginx.walk() if d.name == "server"]
    review = [s for s in servers if any(d.args[:2] == ["8443", "ssl"] for d in s.find("listen"))]
    assert len(review) == 1
    assert review[0].find("location")[0].find("proxy_pass")[0].args == ["http://review"]


@pytest.mark.parametrize(
    "text, message",
    [("http { server { listen 80; }", "missing"), ("listen 80", "missing"), ("}", "unbalanced")],
)
def test_the_parser_refuses_broken_syntax(text, message):
    with pytest.raises(ValueError, match=message):
        parse_nginx(text)
