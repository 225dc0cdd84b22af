"""Reading a request: its write key (HTTP Basic username, or `writeKey` in the body) and its
JSON body, plain or gzip (`Content-Encoding: gzip`, as both Python libraries can send), within
the size limits of Segment's HTTP Tracking API."""

from __future__ import annotations

import base64
import binascii
import hmac
import zlib
from collections.abc import AsyncIterator, Iterable

# Segment: "a maximum of 500KB per batch request and 32KB per call"; its Python library
# counts 32 << 10 bytes per message. Sizes of the decompressed JSON.
MAX_BATCH_BYTES = 500 << 10
MAX_EVENT_BYTES = 32 << 10


class BadRequest(Exception):
    """A request refused as a whole: `code` for the JSON error, status 400 (or 401)."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class WriteKeys:
    """The configured write keys; compared in constant time, never logged."""

    def __init__(self, keys: Iterable[str]) -> None:
        self._keys = [key.encode() for key in keys if key]
        if not self._keys:
            raise ValueError("no write key configured")
        # the header Segment's and RudderStack's libraries send, checked without decoding
        self._headers = {"Basic " + base64.b64encode(key + b":").decode() for key in self._keys}

    def __len__(self) -> int:
        return len(self._keys)

    def valid(self, key: str | bytes | None) -> bool:
        if not key:
            return False
        given = key.encode() if isinstance(key, str) else key
        return any(hmac.compare_digest(given, known) for known in self._keys)

    def valid_header(self, header: str) -> bool:
        """An `Authorization: Basic base64(key:)` header (a key without colon also passes)."""
        if header in self._headers:
            return True
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(encoded.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        return self.valid(decoded.partition(b":")[0])


async def read_body(
    stream: AsyncIterator[bytes], content_length: str | None, encoding: str | None, limit: int
) -> bytes:
    """The request body, decompressed, refused past `limit` bytes (compressed or not)."""
    if content_length and content_length.isdigit() and int(content_length) > limit:
        raise BadRequest("payload_too_large", f"the request is larger than {limit} bytes")
    encoding = (encoding or "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise BadRequest("unsupported_encoding", "Content-Encoding must be gzip or none")
    inflate = zlib.decompressobj(16 + zlib.MAX_WBITS) if encoding == "gzip" else None
    parts: list[bytes] = []
    size = 0
    try:
        async for chunk in stream:
            if inflate is not None:
                chunk = inflate.decompress(chunk, limit + 1 - size)
                if inflate.unconsumed_tail:
                    size = limit + 1
            size += len(chunk)
            if size > limit:
                raise BadRequest("payload_too_large", f"the request is larger than {limit} bytes")
            parts.append(chunk)
        if inflate is not None and not inflate.eof:
            raise BadRequest("invalid_gzip", "the gzip body is incomplete")
    except zlib.error:
        raise BadRequest("invalid_gzip", "the body is not valid gzip") from None
    return b"".join(parts)
