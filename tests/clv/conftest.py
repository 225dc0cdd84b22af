"""The CLV model file, loaded once for the CLV tests."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.clv.simulation import load_clv_model


@pytest.fixture(scope="session")
def clv() -> ModuleType:
    return load_clv_model()
