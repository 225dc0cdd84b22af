"""The `spark` extra leaves the rest of the project working in the same environment."""

from __future__ import annotations

import subprocess
import sys


def test_a_process_without_a_main_file_imports_great_expectations() -> None:
    """pyspark exits such a process (Dagster's run workers are started so) with status 0 when it
    imports Spark Connect's modules without their packages; the `spark` extra installs them."""
    result = subprocess.run(
        [sys.executable, "-c", "import great_expectations; print('imported')"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("imported"), result.stdout[-3000:]
