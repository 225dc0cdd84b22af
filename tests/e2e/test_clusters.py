"""int_persons_clustered and dim_clusters as dbt builds them."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.clusters.synthetic import load_clusters_model
from tests.support import BuiltWarehouse

# The documented population, written here independently of the model's code.
POPULATION = """
    select person_id from analytics.dim_persons
    where orders >= 1
        or (is_known and sessions_last_90_days >= 1)
        or sessions_last_90_days >= 2
"""


def test_clusters_cover_the_documented_population_with_contiguous_unique_clusters(
    defective_warehouse: BuiltWarehouse,
):
    clusters = load_clusters_model()
    with duckdb.connect(str(defective_warehouse.duckdb_path), read_only=True) as con:
        built = con.execute("select * from intermediate.int_persons_clustered").df()
        population = set(con.execute(POPULATION).df()["person_id"])
        described = con.execute("select * from analytics.dim_clusters order by cluster_id").df()
        users = con.execute(
            f"select {', '.join(clusters.INPUT_COLUMNS)} from analytics.dim_persons"
        ).df()

    assert len(population) > 100
    assert set(built["person_id"]) == population
    assert len(built) == len(population)
    assert set(built["cluster_model_status"]) == {"clustered"}
    k = built["cluster_id"].nunique()
    assert 3 <= k <= 8
    assert sorted(built["cluster_id"].unique()) == list(range(k))
    assert described["cluster_id"].tolist() == list(range(k))
    assert (described["k"] == k).all()
    assert described["cluster_name"].is_unique
    assert built.groupby("cluster_id")["cluster_name"].nunique().eq(1).all()
    assert described["members"].sum() == len(built)
    assert float(described["member_share"].sum()) == pytest.approx(1.0)

    # The table dbt built is what the model's functions give on the same dim_persons, here.
    expected = clusters.cluster_persons(users)
    built = built.sort_values("person_id", ignore_index=True)
    pd.testing.assert_frame_equal(
        built.astype(expected.dtypes.to_dict()), expected, check_exact=False, rtol=1e-9
    )
