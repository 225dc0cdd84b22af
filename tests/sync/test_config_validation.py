"""destinations.yml is read by pydantic models: every problem of the file is reported at once,
one line each naming the file, the field and what was expected; what could be a secret is never
repeated."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.sync.config import RetryPolicy, SyncConfigError, load_config


def load(tmp_path: Path, text: str):
    path = tmp_path / "destinations.yml"
    path.write_text(text)
    return path, lambda: load_config(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("retries: {}\ndestinations: {}",
         "the top level: unknown keys ['retries']; expected ['destinations', 'retry']"),
        ("retry: {max_attempts: 2.5}\ndestinations: {}",
         "retry.max_attempts: expected a positive whole number, got 2.5"),
        ("retry: {timeout_seconds: true}\ndestinations: {}",
         "retry.timeout_seconds: expected a positive number, got True"),
        ("retry: {timeout_seconds: '30'}\ndestinations: {}",
         "retry.timeout_seconds: expected a positive number, got '30'"),
        ("retry: {jitter: 1}\ndestinations: {}",
         "retry: unknown keys ['jitter']; expected ['base_delay_seconds', 'deadline_seconds', "
         "'max_attempts', 'max_delay_seconds', 'timeout_seconds']"),
        ("retry: 3\ndestinations: {}", "retry: expected a mapping, got int"),
        ("destinations: {Meta: {base_url: x}}",
         "destinations: expected names of lowercase letters, digits and '_' starting with a "
         "letter, got 'Meta'"),
        ("destinations: {m: }", "destinations.m: expected a mapping, got NoneType"),
        ("destinations: {m: {base_url: x, audiences: {2026: a}}}",
         "destinations.m.audiences: expected keys that are text, got 2026"),
        ("destinations: {m: {base_url: 5}}",
         "destinations.m.base_url: expected a URL or a directory, got 5"),
        ("destinations: {m: {base_url: x, options: [a]}}",
         "destinations.m.options: expected a mapping, got list"),
        ("destinations: {m: {base_url: x, credentials: [A]}}",
         "destinations.m.credentials: expected a mapping, got list"),
        ("destinations: {m: {base_url: x, audiences: {churn_risk: [1]}}}",
         "destinations.m.audiences.churn_risk: expected a valid string or a valid integer, "
         "got [1]"),
        ("destinations: {m: {base_url: x, requests_per_second: false}}",
         "destinations.m.requests_per_second: expected a positive number, got False"),
    ],
)  # fmt: skip
def test_a_bad_field_is_named_with_what_was_expected(tmp_path, text, message):
    path, read = load(tmp_path, text)
    with pytest.raises(SyncConfigError) as raised:
        read()
    assert str(raised.value) == f"{path}: {message}"


def test_every_problem_is_reported_at_once_and_a_pasted_secret_is_not_repeated(tmp_path):
    path, read = load(
        tmp_path,
        "retry: {max_attempts: 0}\n"
        "destinations:\n"
        "  m: {base_url: x, mode: often, credentials: {token: 'EAAB-sk/live+xyz=='}}\n",
    )
    with pytest.raises(SyncConfigError) as raised:
        read()
    lines = str(raised.value).splitlines()
    assert lines == [
        f"{path}: retry.max_attempts: expected a positive whole number, got 0",
        f"{path}: destinations.m.credentials.token: expected the name of an environment variable"
        " in capitals, digits and '_' (the secret itself never goes in this file)",
        f"{path}: destinations.m.mode: expected one of ['mirror', 'upsert', 'additive', "
        "'full_replace'], got 'often'",
    ]
    assert "EAAB" not in str(raised.value)


def test_a_numeric_audience_id_is_read_as_text_and_retry_defaults_hold(tmp_path):
    _, read = load(
        tmp_path, "retry: {max_attempts: 3}\ndestinations: {m: {base_url: x/, audiences: {a: 42}}}"
    )
    config = read()["m"]
    assert config.audiences == {"a": "42"}
    assert config.base_url == "x"
    assert config.retry == RetryPolicy(max_attempts=3)
