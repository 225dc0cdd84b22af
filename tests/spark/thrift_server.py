"""A Spark Thrift server (HiveServer2 protocol) on 127.0.0.1, as a cluster exposes one: Spark's
own HiveThriftServer2 from the pyspark installation, in a process of its own, serving a
warehouse folder and the Derby metastore in it (as the `spark` target of profiles.yml keeps
them), stopped when the block ends."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

from tests.support import free_port

START_SECONDS = 120


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def thrift_server(folder: Path, warehouse: Path) -> Iterator[int]:
    """The server's port; its log is folder/server.log. No other JVM may hold the warehouse's
    metastore meanwhile: embedded Derby lets one in."""
    import pyspark  # the `spark` extra's: imported where a test that has it runs the server

    spark_home = Path(pyspark.__file__).parent
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    metastore = f"jdbc:derby:;databaseName={warehouse}/metastore_db;create=true"
    command = [
        str(spark_home / "bin" / "spark-submit"),
        *("--class", "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"),
        *("--master", "local[2]", "--driver-memory", "2g"),
        *("--conf", f"spark.sql.warehouse.dir={warehouse}"),
        *("--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={warehouse}"),
        *("--conf", f"spark.hadoop.javax.jdo.option.ConnectionURL={metastore}"),
        *("--conf", "spark.ui.enabled=false"),
        *("--hiveconf", f"hive.server2.thrift.port={port}"),
        *("--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1"),
        "spark-internal",
    ]
    with (folder / "server.log").open("w") as log:
        server = subprocess.Popen(
            command,
            cwd=folder,
            env={**os.environ, "SPARK_HOME": str(spark_home)},
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
