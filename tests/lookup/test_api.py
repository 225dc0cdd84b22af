"""The lookup API over HTTP: every route, identifier type and error, erasure, a new published
version picked up without a restart, and a log without tokens or identifiers."""

from __future__ import annotations

import time

import duckdb
import httpx
import pytest

from orchestration.lookup.clients import token_sha256
from orchestration.lookup.hashing import identifier_hash
from orchestration.publish import publish
from tests.lookup.server import running_server
from tests.publish.small_warehouse import SALT, add_person, build_warehouse

TOKENS = {"crm": "crm-token-5b1f0e", "web": "web-token-9c2d4a", "audit": "audit-token-77ee01"}
SCOPES = {"crm": None, "web": ["profiles"], "audit": ["segments"]}
RAW_VALUES = ["u-1", "anon-1", "Ada@Example.COM", "ada@example.com", "erased@example.com", "u-3"]


@pytest.fixture(scope="module")
def api(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("api")
    warehouse = build_warehouse(folder / "audience.duckdb")
    publish(warehouse, folder / "published")
    lines = ["clients:"]
    for name, token in TOKENS.items():
        lines += [f"  - name: {name}", f"    token_sha256: {token_sha256(token)}"]
        if SCOPES[name]:
            lines.append(f"    scopes: {SCOPES[name]}")
    (folder / "clients.yml").write_text("\n".join(lines) + "\n")
    log = folder / "server.log"
    with (
        running_server(folder / "published", folder / "clients.yml", log) as base,
        httpx.Client(base_url=base) as client,
    ):
        yield {"client": client, "warehouse": warehouse, "folder": folder, "log": log}


def get(api: dict, path: str, client: str | None = "crm") -> httpx.Response:
    headers = {"Authorization": f"Bearer {TOKENS[client]}"} if client else {}
    return api["client"].get(path, headers=headers)


def warehouse_hash(api: dict, person: str, kind: str) -> str:
    with duckdb.connect(str(api["warehouse"]), read_only=True) as con:
        return con.execute(
            "select identifier_hash from serving.api_identifiers "
            "where person_id = ? and identifier_type = ?",
            [person, kind],
        ).fetchone()[0]


@pytest.mark.parametrize(
    ("kind", "raw", "person"),
    [
        ("user_id", "u-1", "p1"),
        ("anonymous_id", "anon-1", "p1"),
        ("email", "Ada@Example.COM", "p1"),
        ("email", " ada@example.com\u200b", "p1"),
        ("user_id", "u-2", "p2"),
    ],
)
def test_profile_by_every_identifier_type(api, kind, raw, person):
    assert identifier_hash(SALT, kind, raw) == warehouse_hash(api, person, kind)
    response = get(api, f"/v1/profiles/{kind}/{raw}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    profile = response.json()
    assert profile["person_id"] == person
    assert set(profile) >= {"lifecycle_stage", "scores", "segments", "personalization"}
    assert profile["personalization"]["homepage_banner"]["headline"] == f"Hello {person}"


def test_profile_by_email_hash(api):
    with duckdb.connect(str(api["warehouse"]), read_only=True) as con:
        email_hash = con.execute(
            "select email_hash from analytics.dim_persons where person_id = 'p2'"
        ).fetchone()[0]
    assert get(api, f"/v1/profiles/email_hash/{email_hash}").json()["person_id"] == "p2"
    assert get(api, f"/v1/profiles/email_hash/{email_hash.upper()}").status_code == 200
    user_id_hash = warehouse_hash(api, "p2", "user_id")  # another type's hash is no email
    assert get(api, f"/v1/profiles/email_hash/{user_id_hash}").status_code == 404


@pytest.mark.parametrize(
    ("path", "code"),
    [
        ("/v1/profiles/phone/123", "bad_identifier_type"),
        ("/v1/profiles/email_hash/abc123", "bad_email_hash"),
        ("/v1/profiles/email_hash/" + "g" * 64, "bad_email_hash"),
        ("/v1/profiles/user_id/%E2%80%8B%20", "blank_value"),
    ],
)
def test_bad_requests(api, path, code):
    response = get(api, path)
    assert response.status_code == 400
    assert response.json()["error"] == code


def test_unknown_routes_answer_json(api):
    response = get(api, "/v1/nothing/here")
    assert (response.status_code, response.json()["error"]) == (404, "not_found")
    assert api["client"].post("/v1/profiles/user_id/u-1").status_code == 405


def test_unknown_person(api):
    assert get(api, "/v1/profiles/user_id/nobody").status_code == 404
    assert get(api, "/v1/profiles/email_hash/" + "0" * 64).status_code == 404


def test_erased_person_is_never_returned(api):
    for path in (
        "/v1/profiles/email/erased@example.com",
        "/v1/profiles/user_id/u-3",
        "/v1/segments/churn_risk/members/p3",
    ):
        response = get(api, path)
        assert response.status_code == 404, path
        assert "p3" not in response.text


def test_tokens(api):
    missing = get(api, "/v1/profiles/user_id/u-1", client=None)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    unknown = api["client"].get(
        "/v1/profiles/user_id/u-1", headers={"Authorization": "Bearer not-a-token"}
    )
    assert unknown.status_code == 401
    basic = api["client"].get("/v1/profiles/user_id/u-1", headers={"Authorization": "Basic eA=="})
    assert basic.status_code == 401
    assert get(api, "/v1/segments/vip/members/p1", client="web").status_code == 403
    assert get(api, "/v1/profiles/user_id/u-1", client="audit").status_code == 403
    assert get(api, "/v1/segments/vip/members/p1", client="audit").status_code == 200


def test_segment_membership(api):
    assert get(api, "/v1/segments/vip/members/p1").json() == {
        "segment": "vip",
        "person_id": "p1",
        "is_member": True,
        "is_holdout": False,
    }
    holdout = get(api, "/v1/segments/vip/members/p2").json()
    assert (holdout["is_member"], holdout["is_holdout"]) == (True, True)
    outside = get(api, "/v1/segments/churn_risk/members/p1").json()
    assert (outside["is_member"], outside["is_holdout"]) == (False, False)
    assert get(api, "/v1/segments/nope/members/p1").json()["error"] == "unknown_segment"
    assert get(api, "/v1/segments/vip/members/p9").status_code == 404


def test_health_needs_no_token(api):
    body = api["client"].get("/health").json()
    assert body["status"] == "ok"
    assert body["version"] == (api["folder"] / "published" / "current").readlink().name


def test_new_version_is_served_without_restart(api):
    assert get(api, "/v1/profiles/user_id/u-4").status_code == 404
    add_person(api["warehouse"], "p4", [("user_id", "u-4")])
    published = publish(api["warehouse"], api["folder"] / "published")
    deadline = time.monotonic() + 5
    while get(api, "/v1/profiles/user_id/u-4").status_code != 200:
        assert time.monotonic() < deadline, "new version not picked up"
        time.sleep(0.1)
    assert api["client"].get("/health").json()["version"] == published.version
    assert get(api, "/v1/profiles/user_id/u-1").status_code == 200


def test_log_has_routes_and_clients_but_no_tokens_or_identifiers(api):
    get(api, "/v1/profiles/email/Ada@Example.COM")
    time.sleep(0.2)
    log = api["log"].read_text()
    assert "client=crm route=/v1/profiles/{identifier_type}/{value:path} status=200" in log
    assert "client=web route=/v1/segments/{name}/members/{person_id} status=403" in log
    secrets = [*TOKENS.values(), *(token_sha256(token) for token in TOKENS.values())]
    hashes = [identifier_hash(SALT, "email", "ada@example.com")]
    for needle in (*secrets, *RAW_VALUES, *hashes, "not-a-token", "Bearer"):
        assert needle not in log, needle
