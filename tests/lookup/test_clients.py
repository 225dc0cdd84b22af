"""The clients file: validated with errors naming the file and the field, never the values;
tokens matched by their hash."""

from __future__ import annotations

import pytest

from orchestration.lookup.clients import (
    Authenticator,
    Client,
    ClientsFileError,
    load_clients,
    token_sha256,
)
from orchestration.settings import Setting

GOOD = token_sha256("a-secret-token")


def write(tmp_path, text: str):
    path = tmp_path / "clients.yml"
    path.write_text(text)
    return path


def test_a_good_file(tmp_path):
    path = write(
        tmp_path,
        f"clients:\n  - name: web\n    token_sha256: {GOOD}\n    scopes: [profiles]\n"
        f"  - name: crm\n    token_sha256: {token_sha256('other')}\n",
    )
    web, crm = load_clients(path)
    assert (web.name, web.scopes) == ("web", ("profiles",))
    assert crm.scopes == ("profiles", "segments")


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        (
            "clients:\n  - name: web\n    token_sha256: a-secret-token\n",
            "clients.0.token_sha256",
            "should match pattern",
        ),
        (
            f"clients:\n  - name: web\n    token_sha256: {GOOD}\n    scopes: [admin]\n",
            "clients.0.scopes.0",
            "'profiles' or 'segments'",
        ),
        (f"clients:\n  - token_sha256: {GOOD}\n", "clients.0.name", "Field required"),
        (
            f"clients:\n  - name: a\n    token: x\n    token_sha256: {GOOD}\n",
            "clients.0.token",
            "Extra inputs are not permitted",
        ),
        ("clients: []\n", "clients", "at least 1 item"),
        (
            f"clients:\n  - {{name: a, token_sha256: {GOOD}}}\n"
            f"  - {{name: a, token_sha256: {GOOD}}}\n",
            "clients",
            "unique",
        ),
        ("- just a list\n", "(top level)", "valid dictionary"),
    ],
)
def test_a_bad_file_names_the_file_and_field(tmp_path, text, field, expected):
    path = write(tmp_path, text)
    with pytest.raises(ClientsFileError) as raised:
        load_clients(Setting(path, "--clients-file"))
    message = str(raised.value)
    assert message.startswith(f"clients file {path} (from --clients-file): ")
    assert f"{field}: " in message
    assert expected in message
    assert "a-secret-token" not in message


def test_unreadable_files(tmp_path):
    with pytest.raises(ClientsFileError, match="cannot read it"):
        load_clients(tmp_path / "missing.yml")
    with pytest.raises(ClientsFileError, match="cannot read it"):
        load_clients(write(tmp_path, "clients: [\n"))


def test_authenticator_finds_the_client_of_a_bearer_token():
    web = Client(name="web", token_sha256=GOOD)
    other = Client(name="crm", token_sha256=token_sha256("other"))
    authenticator = Authenticator((other, web))
    assert authenticator.client("Bearer a-secret-token") == web
    assert authenticator.client("bearer  a-secret-token ") == web
    for header in (None, "", "Bearer", "Bearer ", "Basic a-secret-token", "Bearer a-secret"):
        assert authenticator.client(header) is None
