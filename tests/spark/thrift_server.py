"""A Spark Thrift server (HiveServer2 protocol) on 127.0.0.1, as a cluster exposes one: Spark's
own HiveThriftServer2 from the pyspark installation, in a process of its own with its own
metastore and warehouse folder, stopped when the block ends."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pyspark

from tests.support import free_port

SPARK_HOME = Path(pyspark.__file__).parent
START_SECONDS = 120


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def thrift_server(folder: Path) -> Iterator[int]:
    """The server's port; its log is folder/server.log."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    warehouse = folder / "warehouse"
    command = [
        str(SPARK_HOME / "bin" / "spark-submit"),
        *("--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"),
        *("--master", "local[2]", "--driver-memory", "2g"),
        *("--conf", f"spark.sql.warehouse.dir={warehouse}"),
        *("--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={warehouse}"),
        *("--conf", "spark.ui.enabled=false"),
        *("--hiveconf", f"hive.server2.thrift.port={port}"),
        *("--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1"),
        "spark-internal",
    ]
    with (folder / "server.log").open("w") as log:
        server = subprocess.Popen(
            command,
            cwd=folder,
            env={**os.environ, "SPARK_HOME": str(SPARK_HOME)},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _listening(port):
            assert server.poll() is None, (folder / "server.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the Thrift server did not start"
            time.sleep(1)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
