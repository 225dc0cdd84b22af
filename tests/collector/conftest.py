from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.collector.support import CollectorProcess


@pytest.fixture
def collector(tmp_path: Path) -> Iterator[CollectorProcess]:
    """A started collector; stopped (or killed) after the test."""
    process = CollectorProcess(tmp_path).start()
    yield process
    if process.process and process.process.poll() is None:
        process.kill()
