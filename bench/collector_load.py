"""Benchmark: `audience collect` under load. Run by hand (never in CI):

    .venv/bin/python bench/collector_load.py --seconds 30 --connections 4 --batch 100

Starts the collector in a subprocess on 127.0.0.1 (its own temporary raw and spool folders),
then a bounded async client (httpx, --connections concurrent keep-alive connections) sends
/v1/batch requests of --batch track events for --seconds. Prints sustained acknowledged
events/s, requests/s, p50/p99/max acknowledgement latency, and the loss check: after a graceful
stop every acknowledged messageId must be in the landed Parquet exactly once. Client and server
share the machine's cores (the target, on 2 cores: >= 20,000 events/s, p99 <= 50 ms, no loss).

The baseline, in the same run: the same load against an app on the same server stack (uvicorn,
uvloop, httptools, Starlette) that reads the body and answers 200 with nothing parsed, checked
or written: the ceiling of the stack on this machine, which the collector's validation, write-ahead
log and fsync are measured against.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import httpx
import orjson
from ports import free_port
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ROOT = Path(__file__).resolve().parents[1]
WRITE_KEY = "bench-write-key"
CONTEXT = {
    "ip": "198.51.100.23",
    "userAgent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
    "Gecko) Chrome/129.0.0.0 Safari/537.36",
    "locale": "en-US",
    "library": {"name": "analytics.js", "version": "5.2.0"},
    "page": {
        "url": "https://shop.example.com/p/sku-17029",
        "path": "/p/sku-17029",
        "title": "Playfort Pro Board Game | Example Shop",
        "referrer": "https://www.google.com/",
    },
    "campaign": {"source": "newsletter", "medium": "email", "name": "winter"},
}


def templates(size: int) -> list[tuple[bytes, bytes, bytes]]:
    """Each event of a batch as JSON around its messageId and timestamp: (before the id,
    between id and time, after the time), so a request body is joined, not serialized."""
    parts = []
    for n in range(size):
        event = {
            "type": "track",
            "messageId": "\x00",
            "anonymousId": f"anon-{n % 7}",
            "userId": f"user-{n % 13}",
            "event": "Product Viewed",
            "timestamp": "\x01",
            "properties": {"product_id": f"SKU-{n:05d}", "category": "toys_games", "price": 30.99},
            "context": CONTEXT,
        }
        text = orjson.dumps(event)
        head, rest = text.split(b'"\\u0000"')
        middle, tail = rest.split(b'"\\u0001"')
        parts.append((head + b'"', b'"' + middle + b'"', b'"' + tail))
    return parts


def body(parts: list[tuple[bytes, bytes, bytes]], worker: int, seq: int) -> bytes:
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()).encode()
    prefix = f"w{worker}-{seq}-".encode()
    events = b",".join(
        head + prefix + str(n).encode() + middle + now + tail
        for n, (head, middle, tail) in enumerate(parts)
    )
    return b'{"batch":[' + events + b'],"sentAt":"' + now + b'"}'


async def load(url: str, seconds: float, connections: int, size: int) -> dict:
    latencies: list[float] = []
    acknowledged: list[tuple[int, int]] = []
    failures = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    headers = {"Content-Type": "application/json"}
    async with httpx.AsyncClient(
        base_url=url, limits=limits, auth=(WRITE_KEY, ""), timeout=30, headers=headers
    ) as client:
        end = time.monotonic() + seconds
        parts = templates(size)

        async def worker(number: int) -> None:
            nonlocal failures
            seq = 0
            while time.monotonic() < end:
                content = body(parts, number, seq)
                started = time.perf_counter()
                response = await client.post("/v1/batch", content=content)
                latencies.append(time.perf_counter() - started)
                if response.status_code == 200:
                    acknowledged.append((number, seq))
                else:
                    failures += 1
                seq += 1

        started = time.monotonic()
        await asyncio.gather(*(worker(n) for n in range(connections)))
        elapsed = time.monotonic() - started
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1)  # noqa: E731
    return {
        "seconds": round(elapsed, 1),
        "events_per_second": round(len(acknowledged) * size / elapsed),
        "requests_per_second": round(len(latencies) / elapsed),
        "p50_ms": pick(0.50),
        "p99_ms": pick(0.99),
        "max_ms": round(latencies[-1] * 1000, 1),
        "failed_requests": failures,
        "acknowledged": acknowledged,
    }


async def _noop(request: Request) -> Response:
    await request.body()
    return Response(b'{"success":true}', media_type="application/json")


noop_app = Starlette(routes=[Route("/v1/batch", _noop, methods=["POST"])])


def wait_until_up(url: str) -> None:
    for _ in range(200):
        try:
            if httpx.get(url).status_code in (200, 404, 405):
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise SystemExit(f"no server at {url}")


def baseline(args: argparse.Namespace) -> dict:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "collector_load:noop_app", "--app-dir"]
    command += [str(Path(__file__).parent), "--port", str(port), "--loop", "uvloop"]
    command += ["--http", "httptools", "--no-access-log", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{url}/v1/batch")
        result = asyncio.run(load(url, args.seconds, args.connections, args.batch))
    finally:
        server.terminate()
        server.wait()
    result.pop("acknowledged")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--flush-seconds", type=float, default=10)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="collector-bench-"))
    port = free_port()
    log = open(folder / "collector.log", "wb")  # noqa: SIM115
    command = [
        sys.executable,
        "-m",
        "orchestration.collector",
        "--port",
        str(port),
        "--raw-path",
        str(folder / "raw"),
        "--spool",
        str(folder / "spool"),
        "--flush-seconds",
        str(args.flush_seconds),
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, "AUDIENCE_COLLECT_WRITE_KEYS": WRITE_KEY},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_up(f"{url}/health")
    result = asyncio.run(load(url, args.seconds, args.connections, args.batch))
    client_cpu = resource.getrusage(resource.RUSAGE_SELF)
    server.send_signal(signal.SIGTERM)
    _, _, usage = os.wait4(server.pid, 0)  # the server's own CPU (its landing process apart)
    acknowledged = result.pop("acknowledged")
    expected = {f"w{w}-{s}-{n}" for w, s in acknowledged for n in range(args.batch)}
    landed = duckdb.sql(
        f"select id, count(*) from read_parquet('{folder}/raw/tracks/*.parquet') group by id"
    ).fetchall()
    counts = dict(landed)
    result |= {
        "cores": os.cpu_count(),
        "connections": args.connections,
        "batch": args.batch,
        "server_cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "client_cpu_seconds": round(client_cpu.ru_utime + client_cpu.ru_stime, 1),
        "acknowledged_events": len(expected),
        "landed_events": sum(counts.values()),
        "acknowledged_missing": sum(1 for mid in expected if mid not in counts),
        "duplicates": sum(1 for c in counts.values() if c > 1),
    }
    print(json.dumps({"collector": result, "baseline_noop_app": baseline(args)}, indent=2))
    shutil.rmtree(folder)
    return 0 if result["acknowledged_missing"] == 0 and result["duplicates"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
