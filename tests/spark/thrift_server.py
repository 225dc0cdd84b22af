"""A Spark Thrift server (HiveServer2 protocol) on 127.0.0.1, as a cluster exposes one: Spark's
own HiveThriftServer2, started on a Spark session of this process, so what a client builds
through it lands in that session's metastore and warehouse folder. Stopped when the block ends."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

from pyspark.sql import SparkSession

from tests.support import free_port

START_SECONDS = 60


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def serving(spark: SparkSession) -> Iterator[int]:
    """The port of a Thrift server on `spark`; its sessions are new sessions of its context."""
    port = free_port()
    # the server reads its settings from the session's Hadoop configuration, which carries these
    spark.conf.set("hive.server2.thrift.port", str(port))
    spark.conf.set("hive.server2.thrift.bind.host", "127.0.0.1")
    servers = spark.sparkContext._jvm.org.apache.spark.sql.hive.thriftserver.HiveThriftServer2
    server = servers.startWithContext(spark._jsparkSession.sqlContext())
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _listening(port):
            assert time.monotonic() < deadline, "the Thrift server did not start"
            time.sleep(0.2)
        yield port
    finally:
        server.stop()
