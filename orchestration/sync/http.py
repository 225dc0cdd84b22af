"""HTTP for destinations: retries with exponential backoff and full jitter on 429, 5xx and
timeouts, honouring Retry-After; a client-side request rate limit; errors that never carry
credentials (headers are not logged or repeated in messages)."""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter

from orchestration.sync.config import DestinationConfig

log = logging.getLogger(__name__)
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class DestinationError(RuntimeError):
    """A request the destination refused for good (4xx other than 408/429)."""

    def __init__(self, destination: str, method: str, path: str, status: int, body: Any):
        self.status = status
        self.body = body
        super().__init__(f"{destination}: {method} {path} answered {status}: {_short(body)}")


class DestinationUnavailable(RuntimeError):
    """The destination kept failing (429, 5xx or timeouts) after every retry."""


def _short(body: Any) -> str:
    text = str(body)
    return text if len(text) <= 300 else text[:300] + "..."


class RateLimiter:
    """At most `per_second` requests a second across threads (evenly spaced)."""

    def __init__(self, per_second: float | None, clock=time.monotonic, sleep=time.sleep):
        self.interval = 1.0 / per_second if per_second else 0.0
        self.next_at = 0.0
        self.lock = threading.Lock()
        self.clock, self.sleep = clock, sleep

    def wait(self) -> None:
        if not self.interval:
            return
        with self.lock:
            now = self.clock()
            start = max(now, self.next_at)
            self.next_at = start + self.interval
        if start > now:
            self.sleep(start - now)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, moment - (now if now is not None else time.time()))


class HttpClient:
    def __init__(
        self,
        config: DestinationConfig,
        pool_size: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ):
        self.config = config
        self.retry = config.retry
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.limiter = RateLimiter(config.requests_per_second, sleep=sleep)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.requests_sent = 0
        self.retries = 0
        self._count_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2^attempt)]."""
        ceiling = min(self.retry.max_delay_seconds, self.retry.base_delay_seconds * 2**attempt)
        return self.rng.uniform(0, ceiling)

    def request(
        self,
        method: str,
        path: str,
        *,
        ok_statuses: frozenset[int] = frozenset(),
        **kwargs: Any,
    ) -> requests.Response:
        """Send, retrying what may succeed later; a 2xx (or a status in ok_statuses) is
        returned, a permanent refusal raises DestinationError."""
        url = path if path.startswith("http") else f"{self.config.base_url}{path}"
        kwargs.setdefault("timeout", self.retry.timeout_seconds)
        for attempt in range(self.retry.max_attempts):
            self.limiter.wait()
            with self._count_lock:
                self.requests_sent += 1
            try:
                response = self.session.request(method, url, **kwargs)
            except (requests.Timeout, requests.ConnectionError) as error:
                reason, delay = type(error).__name__, self.backoff(attempt)
            else:
                if response.status_code < 300 or response.status_code in ok_statuses:
                    return response
                if response.status_code not in RETRYABLE_STATUSES:
                    raise DestinationError(
                        self.config.name, method, path, response.status_code, _body(response)
                    )
                reason = f"HTTP {response.status_code}"
                waited = retry_after_seconds(response.headers.get("Retry-After"))
                delay = waited if waited is not None else self.backoff(attempt)
                delay = min(delay, self.retry.max_delay_seconds)
            if attempt + 1 == self.retry.max_attempts:
                break
            with self._count_lock:
                self.retries += 1
            log.info(
                "%s: %s %s: %s, retry %d in %.2fs",
                self.config.name,
                method,
                path,
                reason,
                attempt + 1,
                delay,
            )
            self.sleep(delay)
        raise DestinationUnavailable(
            f"{self.config.name}: {method} {path}: {reason} "
            f"after {self.retry.max_attempts} attempts"
        )


def _body(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
