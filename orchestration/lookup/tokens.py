"""A new API token and the SHA-256 the clients file holds for it:

    python -m orchestration.lookup.tokens

The token goes to the client and nowhere else; only the hash goes in the clients file."""

from __future__ import annotations

import secrets
import sys

from orchestration.lookup.clients import token_sha256


def main() -> int:
    token = secrets.token_urlsafe(32)
    sys.stdout.write(f"token:        {token}\ntoken_sha256: {token_sha256(token)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
