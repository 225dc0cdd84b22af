"""Same arguments give byte-identical files; another seed gives other data."""

from __future__ import annotations

import hashlib
from pathlib import Path

from orchestration.generator import generate


def digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_same_arguments_give_identical_bytes(tmp_path):
    for run in ("a", "b"):
        generate(tmp_path / run, users=800, days=10, seed=3, workers=1)
    first, second = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert len(first) == 10 + 2 + 1  # one part per raw table, two truth files, manifest
    assert first == second


def test_another_seed_gives_other_data(tmp_path):
    first = generate(tmp_path / "a", users=800, days=10, seed=3, workers=1)
    second = generate(tmp_path / "b", users=800, days=10, seed=4, workers=1)
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert all(a[name] != b[name] for name in a)
    assert first["tables"] != second["tables"]


def test_rerunning_into_a_used_directory_replaces_old_parts(tmp_path):
    generate(tmp_path, users=300, days=3, seed=1, workers=1)
    (tmp_path / "raw" / "tracks" / "part-00007.parquet").write_bytes(b"stale")
    generate(tmp_path, users=300, days=3, seed=1, workers=1)
    assert not (tmp_path / "raw" / "tracks" / "part-00007.parquet").exists()


def test_defect_rate_does_not_change_the_clean_population(dataset):
    clean_out, clean = dataset(users=1000, defect_rate=0.0)
    dirty_out, dirty = dataset(users=1000, defect_rate=0.05)
    assert clean["personas"] == dirty["personas"]
    for table in ("contacts", "orders", "consents", "survey_responses", "products"):
        assert clean["tables"][table] == dirty["tables"][table]
    assert (
        digests(clean_out)["truth/persons.parquet"] == digests(dirty_out)["truth/persons.parquet"]
    )
