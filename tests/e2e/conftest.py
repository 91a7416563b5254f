"""One pair of real servers shared by the end-to-end tests."""

from __future__ import annotations

from typing import Iterator

import pytest

from tests.e2e.servers import ActionServer, RasaServer, running_assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ActionServer, RasaServer]]:
    with running_assistant(tmp_path_factory.mktemp("assistant")) as servers:
        yield servers


@pytest.fixture(scope="session")
def rasa(assistant: tuple[ActionServer, RasaServer]) -> RasaServer:
    return assistant[1]
