import copy

import pytest

from tests.deploy.checks import (
    COMPOSE_FILE,
    HELM_EXTRA,
    HELM_VALUES,
    NGINX_CONF,
    README,
    documented_variables,
    load_yaml,
    load_yaml_documents,
    parse_nginx,
)


@pytest.fixture(scope="session")
def compose_text():
    return COMPOSE_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def _compose(compose_text):
    return load_yaml(COMPOSE_FILE)


@pytest.fixture
def compose(_compose):
    """A fresh copy: tests may break it."""
    return copy.deepcopy(_compose)


@pytest.fixture(scope="session")
def documented():
    return documented_variables(README.read_text(encoding="utf-8"))


@pytest.fixture
def helm_values():
    return load_yaml(HELM_VALUES)


@pytest.fixture
def helm_manifests():
    return load_yaml_documents(HELM_EXTRA.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nginx_text():
    return NGINX_CONF.read_text(encoding="utf-8")


@pytest.fixture
def nginx(nginx_text):
    return parse_nginx(nginx_text)
