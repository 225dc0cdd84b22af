"""Small generated data sets shared by the generator tests (built once per session)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from orchestration.generator import generate


@pytest.fixture(scope="session")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., tuple[Path, dict]]:
    """dataset(**generate_kwargs) -> (output dir, manifest), cached by arguments."""
    cache: dict[tuple, tuple[Path, dict]] = {}

    def make(**kwargs: object) -> tuple[Path, dict]:
        args = {"users": 1500, "days": 30, "seed": 7, "workers": 1} | kwargs
        key = tuple(sorted((k, str(v)) for k, v in args.items()))
        if key not in cache:
            out = tmp_path_factory.mktemp("generated")
            manifest = generate(out, **args)
            assert json.loads((out / "manifest.json").read_text()) == manifest
            cache[key] = (out, manifest)
        return cache[key]

    return make


@pytest.fixture(scope="session")
def defective(dataset: Callable[..., tuple[Path, dict]]) -> tuple[Path, dict]:
    """A data set with a high defect rate (5% per kind)."""
    return dataset(users=2000, defect_rate=0.05)


@pytest.fixture(scope="session")
def standard(dataset: Callable[..., tuple[Path, dict]]) -> tuple[Path, dict]:
    """A data set with the default defect rate."""
    return dataset(users=2000)
