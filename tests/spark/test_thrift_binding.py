"""The Thrift protocol binds no parameters: values become Spark literals, never text pasted
into the statement."""

from __future__ import annotations

import datetime

import pytest
import sqlglot
from sqlglot import exp

pytest.importorskip("pyhive", reason="make spark-deps installs PyHive")

from orchestration.warehouse.thrift_engine import bound


def test_each_marker_becomes_its_value_as_a_literal_in_order() -> None:
    sql = bound(
        "select * from t where a = ? and b = ? and c = ? and d = ? and e is ?",
        ["it's", 5, 1.5, datetime.datetime(2026, 1, 2, 3, 4, 5), None],
    )
    assert sql == (
        "SELECT * FROM t WHERE a = 'it\\'s' AND b = 5 AND c = 1.5 "
        "AND d = CAST('2026-01-02 03:04:05' AS TIMESTAMP) AND e IS NULL"
    )


def test_a_question_mark_inside_a_string_is_text_not_a_marker() -> None:
    assert bound("select 'why?' as q, ? as a", ["x"]) == "SELECT 'why?' AS q, 'x' AS a"


@pytest.mark.parametrize("value", ["x' or '1'='1", "a\\' or 1=1 --", "'; drop table t; --"])
def test_a_hostile_value_stays_one_string(value: str) -> None:
    condition = sqlglot.parse_one(
        bound("select count(*) from t where name = ?", [value]), read="spark"
    ).find(exp.Where)
    assert isinstance(condition.this, exp.EQ)
    assert condition.this.expression.this == value
