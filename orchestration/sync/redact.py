"""Redaction, in one place: what an error message or a log line about a destination may say.

Errors about a platform's answer carry its HTTP status, the endpoint path without query string,
and the platform's documented error code and message fields, truncated. Those fields are the
platform's words, and a platform (or anything between) may echo the request into them, so they
are scrubbed before they are kept anywhere: every credential the process has read, the values
of the members in the request, and anything shaped like an email address, a phone number or a
hash. Query strings are cut from every URL. The loggers of urllib3 and requests, which log
request lines at DEBUG, go through the same scrubbing."""

from __future__ import annotations

import base64
import binascii
import logging
import re
import threading
from collections.abc import Iterable
from typing import Any

MAX_LENGTH = 300
_QUERY = re.compile(r"(?<=[\w/])\?[^\s\"'<>]+")
_EMAIL = re.compile(r"[^\s@\"'<>(),;:]+@[^\s@\"'<>(),;:]+")
_HEX = re.compile(r"\b[0-9a-fA-F]{24,}\b")
# E.164 or a run of 9+ digits (national numbers, Meta's digits-only phones); 7-digit error
# subcodes survive
_PHONE = re.compile(r"\+\d[\d\s().-]{5,}\d|\b\d{9,}\b")
_BASE64 = re.compile(r"\b[A-Za-z0-9+/]{16,}={0,2}")
_WORD = re.compile(r"\w[\w'-]*\w|\w", re.UNICODE)
_LOCK = threading.Lock()
_SECRETS: set[str] = set()


def register_secret(value: str) -> None:
    """Never show `value` again, nor its Basic-auth encodings."""
    if not value or len(value) < 4:
        return
    with _LOCK:
        _SECRETS.add(value)
        _SECRETS.add(base64.b64encode(value.encode()).decode())


def register_header(value: str) -> None:
    """An Authorization-like header value: the whole, each part, and a Basic pair decoded."""
    register_secret(value)
    for part in value.split():
        register_secret(part)
        if _BASE64.fullmatch(part):
            try:
                decoded = base64.b64decode(part, validate=True).decode()
            except (binascii.Error, UnicodeDecodeError):
                continue
            register_secret(decoded)
            register_secret(decoded.partition(":")[2])


def member_words(values: Iterable[Any]) -> frozenset[str]:
    """The words of members' values (names, ids, postal codes), to be cut from platform text."""
    words: set[str] = set()
    stack = list(values)
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
        elif isinstance(value, str) and value:
            words.add(value.casefold())
            words.update(w.casefold() for w in _WORD.findall(value) if len(w) >= 2)
    return frozenset(words)


def scrub(text: str, words: frozenset[str] = frozenset()) -> str:
    """`text` with secrets, members' values, emails, phones, hashes and query strings cut."""
    with _LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "[secret]")
    text = _QUERY.sub("?[query]", text)
    text = _EMAIL.sub("[email]", text)
    text = _HEX.sub("[hash]", text)
    text = _PHONE.sub("[number]", text)
    if words:
        text = _WORD.sub(lambda m: "[member]" if m.group().casefold() in words else m.group(), text)
    return text


def truncate(text: str, limit: int = MAX_LENGTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def safe(text: Any, words: frozenset[str] = frozenset()) -> str:
    """Any text bound for an error, a log or a table: scrubbed, on one line, truncated. Scrubbing
    comes first so truncation never leaves half a secret."""
    return truncate(scrub(str(text)[:4_000], words))


class RedactingFilter(logging.Filter):
    """Rewrites a record's message through `scrub` (its arguments are merged in first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg, record.args = scrub(message), None
        return True


_FILTER = RedactingFilter()


def logger(name: str) -> logging.Logger:
    """A logger whose records are scrubbed, for the sync's own modules."""
    found = logging.getLogger(name)
    if _FILTER not in found.filters:
        found.addFilter(_FILTER)
    return found


def install_http_log_filters() -> None:
    """Scrub the records of urllib3's and requests' loggers (request lines with query strings
    at DEBUG). Filters act on the logger a record is made on, so every such logger gets one."""
    names = [
        name
        for name in list(logging.root.manager.loggerDict)
        if name.split(".")[0] in ("urllib3", "requests")
    ]
    for name in {"urllib3", "requests", *names}:
        logger(name)
