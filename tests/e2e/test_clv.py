"""int_persons_clv_predicted as dbt builds it, against the model's functions run here."""

from __future__ import annotations

import duckdb
import pandas as pd
import yaml

from tests.clv.simulation import load_clv_model
from tests.support import PROJECT_DIR, BuiltWarehouse

ORDERS = """
    select person_id, ordered_at, order_total_reporting as order_total
    from intermediate.int_completed_orders_filtered
"""


def test_clv_table_equals_the_model_functions_on_the_built_orders(
    defective_warehouse: BuiltWarehouse,
):
    clv = load_clv_model()
    horizon = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][
        "clv_horizon_days"
    ]
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        built = con.execute("select * from intermediate.int_persons_clv_predicted").df()
        types = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'intermediate'"
                " and table_name = 'int_persons_clv_predicted' order by ordinal_position"
            ).fetchall()
        )
        orders = con.execute(ORDERS).df()
        as_of_date = con.execute(
            "select as_of_date from intermediate.int_persons_profiled"
        ).fetchone()[0]
    assert types == {
        "person_id": "VARCHAR",
        "as_of_date": "DATE",
        **{c: "BIGINT" for c in ("orders", "purchase_days", "repeat_purchase_days")},
        **{
            c: "DOUBLE"
            for c in clv.OUTPUT_COLUMNS
            if c.endswith(("_weeks", "_value", "_alive", "_months", "_to_date"))
        },
        "clv_model_status": "VARCHAR",
    }
    assert len(built) == orders["person_id"].nunique() > 0
    expected = clv.customers_clv(orders, as_of_date, horizon)
    built = built.sort_values("person_id", ignore_index=True)
    pd.testing.assert_frame_equal(
        built.astype(expected.dtypes.to_dict()), expected, check_exact=False, rtol=1e-9
    )
