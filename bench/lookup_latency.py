"""Benchmark: the lookup API's latency under a fixed arrival rate. Run by hand (never in CI):

    .venv/bin/python bench/lookup_latency.py --persons 1000000 --rate 1000 --seconds 30 \
        --out /some/scratch/dir [--compare-stores]

Builds a synthetic warehouse with only the serving schema (--persons persons, each with an
anonymous_id, a quarter with a user_id and another quarter with an email: 1.5M identifiers for
1M persons; profiles of ~1.3 KB of JSON; every 1000th email erased), publishes it with
orchestration.publish, starts `python -m orchestration.lookup` in a subprocess and drives it
open-loop: request i is sent at start + i / rate whatever earlier responses do (httpx
AsyncClient, bounded connection pool). Latency counts from the scheduled send time, so queueing
in the client or server is not hidden (no coordinated omission). Mix: 70% profile lookups spread
over user_id, anonymous_id, email (raw, hashed by the API) and email_hash; 20% segment
memberships; 10% unknown identifiers (404). --compare-stores first times point lookups in DuckDB
(ART index) and in the SQLite serving index on the same data.

--client raw (default) sends over keep-alive asyncio streams; --client httpx uses httpx's
AsyncClient, which on this 2-core machine tops out at ~350-700 requests/s of client CPU alone
(the generator, not the server, then sets the latency)."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lookup_data import SALT, SEGMENTS, build_warehouse, compare_stores  # noqa: E402

from orchestration.publish import publish  # noqa: E402
from tests.lookup.server import running_server  # noqa: E402

TOKEN = "bench-token-f00d"


def request_path(rng: random.Random, persons: int) -> str:
    i = rng.randrange(persons)
    draw = rng.random()
    if draw < 0.10:
        return f"/v1/profiles/user_id/nobody-{i}"
    if draw < 0.30:
        return f"/v1/segments/{rng.choice(SEGMENTS)}/members/p{i}"
    if i % 4 == 0 and draw < 0.65:
        return f"/v1/profiles/user_id/u-{i}"
    if i % 4 == 2 and draw < 0.50:
        return f"/v1/profiles/email/user{i}@example.com"
    if i % 4 == 2 and draw < 0.70:
        digest = hashlib.sha256(f"{SALT}email:user{i}@example.com".encode()).hexdigest()
        return f"/v1/profiles/email_hash/{digest}"
    return f"/v1/profiles/anonymous_id/anon-{i}"


async def raw_worker(port: int, queue: asyncio.Queue, record) -> None:
    """One keep-alive HTTP/1.1 connection on asyncio streams: ~10x less client CPU per request
    than httpx, so the generator does not starve the server of the 2 cores."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    head = f"Host: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\r\n".encode()
    while (item := await queue.get()) is not None:
        path, scheduled = item
        writer.write(b"GET " + path.encode() + b" HTTP/1.1\r\n" + head)
        response = await reader.readuntil(b"\r\n\r\n")
        length = re.search(rb"(?i)content-length: *(\d+)", response)
        await reader.readexactly(int(length[1]) if length else 0)
        record(int(response[9:12]), scheduled)
    writer.close()


async def httpx_worker(client: httpx.AsyncClient, queue: asyncio.Queue, record) -> None:
    while (item := await queue.get()) is not None:
        path, scheduled = item
        try:
            status: int | str = (await client.get(path)).status_code
        except httpx.HTTPError as error:
            status = type(error).__name__
        record(status, scheduled)


async def drive(port: int, rate: float, seconds: float, persons: int, args) -> dict:
    """Open loop: the pacer enqueues request n at start + n / rate; --connections workers (the
    bound on concurrency) send them; latency is measured from the scheduled time."""
    rng = random.Random(7)
    paths = [request_path(rng, persons) for _ in range(int(rate * seconds))]
    latencies: list[float] = []
    statuses: dict[int | str, int] = {}

    def record(status: int | str, scheduled: float) -> None:
        latencies.append(time.perf_counter() - scheduled)
        statuses[status] = statuses.get(status, 0) + 1

    queue: asyncio.Queue = asyncio.Queue()
    limits = httpx.Limits(max_connections=args.connections)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}",
        limits=limits,
        timeout=30,
        headers={"Authorization": f"Bearer {TOKEN}"},
    ) as client:
        workers = [
            asyncio.create_task(
                httpx_worker(client, queue, record)
                if args.client == "httpx"
                else raw_worker(port, queue, record)
            )
            for _ in range(args.connections)
        ]
        for path in paths[: args.connections * 4]:  # warm up connections and page cache
            queue.put_nowait((path, time.perf_counter()))
        while len(latencies) < args.connections * 4:
            await asyncio.sleep(0.01)
        latencies.clear()
        statuses.clear()
        start = time.perf_counter()
        for n, path in enumerate(paths):
            scheduled = start + n / rate
            if (delay := scheduled - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            queue.put_nowait((path, scheduled))
        for _ in workers:
            queue.put_nowait(None)
        await asyncio.gather(*workers)
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "requests": len(latencies),
        "achieved_rate": len(latencies) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000,
        "max_ms": latencies[-1] * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
        "errors": sum(n for status, n in statuses.items() if status not in (200, 404)),
        "statuses": statuses,
    }


def clients_file(out: Path) -> Path:
    """The lookup API's clients file: one client, bench, with TOKEN."""
    clients = out / "clients.yml"
    digest = hashlib.sha256(TOKEN.encode()).hexdigest()
    clients.write_text(f"clients:\n  - name: bench\n    token_sha256: {digest}\n")
    return clients


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=1000)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=18089)
    parser.add_argument("--out", type=Path, default=None, help="scratch folder (default: a temp)")
    parser.add_argument("--compare-stores", action="store_true")
    parser.add_argument("--client", choices=["raw", "httpx"], default="raw")
    parser.add_argument("--connections", type=int, default=16, help="concurrency bound")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="lookup-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    warehouse = out / "audience.duckdb"
    if not warehouse.exists():
        started = time.perf_counter()
        build_warehouse(warehouse, args.persons)
        print(f"synthetic warehouse: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    published = publish(warehouse, out / "published")
    print(
        f"publish: {time.perf_counter() - started:.1f} s, index rows "
        f"{published.manifest['lookup_index']['rows']}, "
        f"lookup.sqlite {(published.path / 'lookup.sqlite').stat().st_size / 1e6:.0f} MB"
    )
    if args.compare_stores:
        compare_stores(published.path, out, args.persons)
    with running_server(
        out / "published",
        clients_file(out),
        out / "server.log",
        env={"AUDIENCE_PII_SALT": SALT},
        port=args.port,
        startup_seconds=20,
    ):
        result = asyncio.run(drive(args.port, args.rate, args.seconds, args.persons, args))
    print(
        f"{args.client} client, {args.connections} connections, open loop {args.rate:.0f}/s "
        f"for {args.seconds:.0f} s: {result['requests']:,} requests, "
        f"achieved {result['achieved_rate']:.0f}/s; latency p50 {result['p50_ms']:.2f} ms, "
        f"p99 {result['p99_ms']:.2f} ms, max {result['max_ms']:.2f} ms, mean "
        f"{result['mean_ms']:.2f} ms; errors {result['errors']}; statuses {result['statuses']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
