"""HTTP for destinations: one client per destination that

- sends only to the configured origin: links and redirects to another host (or scheme, or port)
  are refused, so credentials never leave for another host;
- gives every request an overall deadline (a body trickled in byte by byte cannot hold it);
- retries 408, 429, 5xx, timeouts, dropped connections, malformed or truncated bodies and answers
  without the documented success shape, with exponential backoff and full jitter, honouring
  Retry-After; a client-side request rate limit;
- turns a refusal into an error holding only the status, the path without query string and the
  platform's documented error code and message, redacted (orchestration/sync/redact.py).

Retries, backoff and the rate limiter are hand-written; the libraries were tried:
- urllib3's Retry runs before the body is read (a malformed, truncated or trickled 200 is not
  retried), skips POST by default, adds jitter instead of full jitter, does not back off before
  the first retry, and hides its retries from the run's counts;
- tenacity does what the loop in HttpClient.request does, in 16 more lines (a wait for
  Retry-After, a before_sleep to count and log, a retry_error_callback for the final error);
- pyrate-limiter 4 (GCRA, burst 1) takes whole requests per whole milliseconds, adds 50 ms to
  each wait, cannot be given a sleep and runs a leak thread per bucket;
- urllib3's Retry-After parser takes whole seconds only and cannot be given the time.
The standard library parses Retry-After dates (email.utils), as urllib3 does."""

from __future__ import annotations

import email.utils
import json
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3
from pydantic import BaseModel, ValidationError
from requests.adapters import HTTPAdapter
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from orchestration.sync import redact
from orchestration.sync.config import DestinationConfig
from orchestration.sync.errors import DestinationError, DestinationUnavailable, PayloadTooLarge

log = redact.logger(__name__)
redact.install_http_log_filters()
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
SENSITIVE_HEADERS = ("authorization", "key", "token", "secret", "signature", "cookie")
MAX_REDIRECTS = 5
READ_SIZE = 1 << 16
Model = TypeVar("Model", bound=BaseModel)
# The documented code and message fields of a platform's error body: (code, message)
ErrorFields = Callable[[Any], tuple[Any, Any]]


def origin(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of `url` as urllib3 will connect to it, or None when Python's own
    parser reads another origin (a backslash or an '@' can make them disagree) or when the URL
    does not parse: such a URL is never followed."""
    try:
        connected, read = parse_url(url), urlsplit(url)
        read_port = read.port
    except (LocationParseError, ValueError):
        return None
    default = {"https": 443, "http": 80}.get(connected.scheme or "")
    found = (connected.scheme, (connected.host or "").lower(), connected.port or default)
    if found != (read.scheme, (read.hostname or "").lower(), read_port or default):
        return None
    return found


class OtherHost(requests.RequestException):
    """A redirect or link pointing away from the configured origin."""


class _PinnedSession(requests.Session):
    """A session that follows redirects only within one origin. requests calls rebuild_auth on
    every redirect hop before sending it; refusing there means nothing reaches another host."""

    def __init__(self, pinned: tuple[str, str, int | None]):
        super().__init__()
        self.pinned = pinned
        self.max_redirects = MAX_REDIRECTS

    def rebuild_auth(self, prepared_request, response) -> None:
        if origin(prepared_request.url) != self.pinned:
            raise OtherHost("redirect to another host refused")
        super().rebuild_auth(prepared_request, response)


@dataclass(frozen=True)
class Answer:
    """A response the client accepted: its status and its parsed JSON body (None if empty)."""

    status: int
    body: Any


class _Retry(Exception):
    def __init__(self, reason: str, delay: float | None = None):
        super().__init__(reason)
        self.reason, self.delay = reason, delay


class RateLimiter:
    """At most `per_second` requests a second across threads, evenly spaced (one request per
    interval, no bursts: the cell rate algorithm with a burst of one). Hand-written: see the
    module docstring for pyrate-limiter."""

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


def no_error_fields(body: Any) -> tuple[Any, Any]:
    return None, None


class HttpClient:
    def __init__(
        self,
        config: DestinationConfig,
        pool_size: int = 10,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        error_fields: ErrorFields = no_error_fields,
    ):
        self.config = config
        self.retry = config.retry
        self.origin = origin(config.base_url)
        self.session = _PinnedSession(self.origin)
        adapter = HTTPAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.limiter = RateLimiter(config.requests_per_second, sleep=sleep)
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.error_fields = error_fields
        self.requests_sent = 0
        self.retries = 0
        self._count_lock = threading.Lock()

    def close(self) -> None:
        self.session.close()

    def backoff(self, attempt: int) -> float:
        """Full jitter: uniform in [0, min(max, base * 2^attempt)]. The exponent stops at 64 (far
        past any max): 2 ** 1024 does not convert to a float."""
        exponential = self.retry.base_delay_seconds * 2 ** min(attempt, 64)
        ceiling = min(self.retry.max_delay_seconds, exponential)
        return self.rng.uniform(0, ceiling)

    def url(self, path: str) -> str:
        """`path` ('/...' or '') under the base URL, or an absolute link (a next page), each
        sent only when it resolves to the configured origin."""
        absolute = path.startswith(("http://", "https://"))
        url = path if absolute else f"{self.config.base_url}{path}"
        if (absolute or path == "" or path.startswith("/")) and origin(url) == self.origin:
            return url
        raise DestinationError(f"{self.config.name}: a link to another host was not followed")

    def request(
        self,
        method: str,
        path: str,
        *,
        expect: type[Model] | None = None,
        check: Callable[[Any], str | None] | None = None,
        ok_statuses: frozenset[int] = frozenset(),
        members: Sequence[Any] = (),
        **kwargs: Any,
    ) -> Any:
        """Send, retrying what may succeed later. A 2xx (or a status in ok_statuses) whose body
        parses as JSON and, with `expect`, validates as that model (then `check` may still name
        what is wrong) is returned: the model, else an Answer. A permanent refusal raises
        DestinationError (PayloadTooLarge for 413). `members` are what the request carries,
        whose values are cut from any error text."""
        url = self.url(path)
        where = f"{self.config.name}: {method} {_path(url)}"
        for header, value in (kwargs.get("headers") or {}).items():
            if any(word in header.lower() for word in SENSITIVE_HEADERS):
                redact.register_header(str(value))
        for attempt in range(self.retry.max_attempts):
            self.limiter.wait()
            with self._count_lock:
                self.requests_sent += 1
            try:
                return self._attempt(method, url, where, expect, check, ok_statuses, kwargs)
            except _Retry as retry:
                reason = retry.reason
                delay = retry.delay if retry.delay is not None else self.backoff(attempt)
                delay = min(delay, self.retry.max_delay_seconds)
            except DestinationError as error:
                raise type(error)(
                    _with_members(str(error), members), error.status, error.body
                ) from None
            if attempt + 1 == self.retry.max_attempts:
                break
            with self._count_lock:
                self.retries += 1
            log.info("%s: %s, retry %d in %.2fs", where, reason, attempt + 1, delay)
            self.sleep(delay)
        raise DestinationUnavailable(
            _with_members(f"{where}: {reason} after {self.retry.max_attempts} attempts", members)
        )

    def _attempt(self, method, url, where, expect, check, ok_statuses, kwargs) -> Any:
        deadline = time.monotonic() + self.retry.deadline_seconds
        try:
            response = self.session.request(
                method,
                url,
                stream=True,
                timeout=(self.retry.timeout_seconds, self.retry.timeout_seconds),
                **kwargs,
            )
        except OtherHost as error:
            raise DestinationError(f"{where}: {error}") from None
        except requests.TooManyRedirects:
            raise DestinationError(f"{where}: more than {MAX_REDIRECTS} redirects") from None
        except requests.Timeout:
            raise _Retry("timeout") from None
        except requests.RequestException as error:
            raise _Retry(f"connection failed ({type(error).__name__})") from None
        try:
            raw = _read(response, deadline)
        except BaseException:
            response.close()  # drops the connection: it may still carry part of this answer
            raise
        response.raw.release_conn()
        status = response.status_code
        if status < 300 or status in ok_statuses:
            return _accepted(status, raw, expect, check)
        body = _parsed(raw)
        if status == 413:
            raise PayloadTooLarge(f"{where} answered 413 (payload too large)", status, body)
        if status in RETRYABLE_STATUSES:
            waited = retry_after_seconds(response.headers.get("Retry-After"))
            raise _Retry(f"HTTP {status}", waited)
        raise DestinationError(f"{where} answered {status}{self._described(body)}", status, body)

    def _described(self, body: Any) -> str:
        try:
            code, message = self.error_fields(body)
        except (AttributeError, LookupError, TypeError, ValueError):
            code, message = None, None
        parts = [redact.safe(part) for part in (code, message) if part not in (None, "")]
        return ": " + " ".join(parts) if parts else ""


def _with_members(message: str, members: Sequence[Any]) -> str:
    """Cut the words of the request's members from a message (names, ids)."""
    if not members:
        return message
    values = [(getattr(m, "identity", m), getattr(m, "attributes", {})) for m in members]
    return redact.scrub(message, redact.member_words(values))


def _path(url: str) -> str:
    return redact.safe(urlsplit(url).path or "/")


def _read(response: requests.Response, deadline: float) -> bytes:
    """The whole body, or a retry once the request's deadline has passed. Each read waits at
    most until the deadline, so a trickled body cannot hold the request."""
    chunks = []
    raw = response.raw
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _Retry("deadline exceeded")
            sock = getattr(raw.connection, "sock", None) if raw.connection else None
            if sock is not None:
                sock.settimeout(remaining)
            chunk = raw.read1(READ_SIZE, decode_content=True)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        reason = "timeout" if "timed out" in str(error) else "truncated answer"
        if time.monotonic() >= deadline:
            reason = "deadline exceeded"
        raise _Retry(reason) from None


def _parsed(raw: bytes) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return raw.decode("utf-8", "replace")


def _accepted(status: int, raw: bytes, expect, check) -> Any:
    """The answer as the destination reads it, or a retry: a body that is not JSON, one without
    the documented fields (`expect`), or one `check` finds wrong."""
    try:
        body = json.loads(raw) if raw.strip() else None
    except (ValueError, UnicodeDecodeError):
        raise _Retry(f"HTTP {status} with a body that is not JSON") from None
    try:
        answer = expect.model_validate(body) if expect else Answer(status, body)
    except ValidationError as error:
        raise _Retry(f"HTTP {status} without the documented answer ({_missing(error)})") from None
    problem = check(answer) if check else None
    if problem:
        raise _Retry(f"HTTP {status} with an answer other than documented ({problem})")
    return answer


def _missing(error: ValidationError) -> str:
    """Where the answer differs from the documented shape, never the values it held."""
    first = error.errors(include_input=False, include_url=False)[0]
    location = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{location}: {first['msg']}"
