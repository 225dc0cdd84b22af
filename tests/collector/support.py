"""A collector in a subprocess on a free port of 127.0.0.1, with its own raw and spool folders."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import requests

from tests.support import PROJECT_DIR, free_port

WRITE_KEY = "test-write-key"


class CollectorProcess:
    def __init__(self, folder: Path, *options: str, keys: str = WRITE_KEY) -> None:
        self.raw = folder / "raw"
        self.spool = folder / "spool"
        self.log = folder / "collector.log"
        self.options = options
        self.keys = keys
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 20.0) -> CollectorProcess:
        command = [sys.executable, "-m", "orchestration.collector", "--port", str(self.port)]
        command += ["--raw-path", str(self.raw), "--spool", str(self.spool), *self.options]
        env = {**os.environ, "AUDIENCE_COLLECT_WRITE_KEYS": self.keys}
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"collector exited: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("collector did not start in time")

    def stop(self) -> None:
        """SIGTERM: the collector lands every acknowledged event before it exits (uvicorn
        exits by the signal it handled, as systemd expects)."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        assert code in (0, -signal.SIGTERM), self.log.read_text()[-3000:]
        assert "collector stopped" in self.log.read_text()

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    def post(self, path: str, body: bytes | dict, key: str | None = WRITE_KEY, **kwargs):
        headers = kwargs.pop("headers", {})
        data = body if isinstance(body, bytes) else None
        return requests.post(
            f"{self.url}{path}",
            data=data,
            json=None if data is not None else body,
            auth=(key, "") if key is not None else None,
            headers=headers,
            timeout=10,
            **kwargs,
        )

    def landed(self, table: str) -> pa.Table | None:
        """Every row landed in a raw table (None when it has no file)."""
        files = sorted((self.raw / table).glob("*.parquet"))
        return pa.concat_tables([pq.read_table(f) for f in files]) if files else None

    def landed_ids(self, table: str) -> list[str]:
        data = self.landed(table)
        return [] if data is None else data.column("id").to_pylist()
