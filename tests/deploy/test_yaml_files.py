import pytest
import yaml

from tests.deploy.checks import DEPLOY, DuplicateKeyError, load_yaml_documents, yaml_files

EXPECTED = {
    "docker-compose.yml",
    "credentials.production.yml",
    "endpoints.production.yml",
    "helm/values.yaml",
    "helm/review-and-widget.yaml",
}


def test_every_deploy_file_is_found():
    found = {str(path.relative_to(DEPLOY)) for path in yaml_files()}
    assert EXPECTED <= found


@pytest.mark.parametrize("path", yaml_files(), ids=lambda path: str(path.relative_to(DEPLOY)))
def test_yaml_parses_without_duplicate_keys(path):
    documents = load_yaml_documents(path.read_text(encoding="utf-8"))
    assert documents, f"{path} is empty"
    assert all(isinstance(document, dict) for document in documents)


def test_duplicate_keys_are_refused():
    with pytest.raises(DuplicateKeyError, match="duplicate key 'replicaCount'"):
        load_yaml_documents("replicaCount: 2\nimage: x\nreplicaCount: 1\n")


def test_nested_duplicate_keys_are_refused():
    with pytest.raises(DuplicateKeyError, match="line 2"):
        load_yaml_documents("a:\n  b: 1\n  c: 2\n  b: 3\n")


def test_plain_pyyaml_would_have_kept_the_last_value():
    # What the loader protects against: safe_load silently drops the first value.
    assert yaml.safe_load("replicaCount: 2\nreplicaCount: 1\n") == {"replicaCount": 1}


def test_merge_keys_may_be_overridden():
    documents = load_yaml_documents("base: &b\n  x: 1\n  y: 2\nuse:\n  <<: *b\n  y: 3\n")
    assert documents[0]["use"] == {"x": 1, "y": 3}
