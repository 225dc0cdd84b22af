"""The API's clients: a YAML file naming each client with the SHA-256 (hex) of its bearer token
and, optionally, the scopes it may use; validated with pydantic. Tokens never appear in it.

    clients:
      - name: web-personalization
        token_sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8
        scopes: [profiles]          # default: every scope
      - name: crm
        token_sha256: ...

Quote a hash YAML could read as a number (all digits): token_sha256: "0123...".
A new token and its hash: `python -m orchestration.lookup.tokens`; the hash of a token you
have: `printf %s "$TOKEN" | sha256sum`."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from orchestration.settings import Setting, as_setting, resolve

Scope = Literal["profiles", "segments"]
SCOPES: tuple[Scope, ...] = ("profiles", "segments")
CLIENTS_VARIABLE = "AUDIENCE_API_CLIENTS_FILE"


class Client(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]
    token_sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    scopes: tuple[Scope, ...] = SCOPES


class ClientsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    clients: Annotated[list[Client], Field(min_length=1)]

    @field_validator("clients")
    @classmethod
    def unique(cls, clients: list[Client]) -> list[Client]:
        names = [client.name for client in clients]
        hashes = [client.token_sha256 for client in clients]
        if len(set(names)) < len(names) or len(set(hashes)) < len(hashes):
            raise ValueError("expected every client name and token_sha256 to be unique")
        return clients


class ClientsFileError(ValueError):
    """The clients file is missing, not YAML, or not what ClientsFile expects."""


def clients_file_setting(given: Path | None = None) -> Setting[Path] | None:
    return resolve(given, "--clients-file", CLIENTS_VARIABLE, Path)


def describe(error: ValidationError) -> str:
    """Each problem as `field: what was expected`, without the values (they may be secrets)."""
    return "; ".join(
        f"{'.'.join(str(part) for part in problem['loc']) or '(top level)'}: {problem['msg']}"
        for problem in error.errors(include_input=False, include_url=False)
    )


def load_clients(path: Setting[Path] | Path) -> list[Client]:
    setting = as_setting(path)
    try:
        document = yaml.safe_load(setting.value.read_text())
    except (OSError, yaml.YAMLError) as error:
        raise ClientsFileError(f"clients file {setting}: cannot read it: {error}") from None
    try:
        return ClientsFile.model_validate(document).clients
    except ValidationError as error:
        raise ClientsFileError(f"clients file {setting}: {describe(error)}") from None


def token_sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Authenticator:
    clients: tuple[Client, ...]

    def client(self, authorization: str | None) -> Client | None:
        """The client whose token the `Authorization: Bearer` header carries, else None; every
        client's hash is compared in constant time, so timing tells nothing of which matched."""
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        digest = token_sha256(token.strip())
        found = None
        for client in self.clients:
            if hmac.compare_digest(digest, client.token_sha256):
                found = client
        return found
