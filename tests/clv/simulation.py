"""Customers simulated from known BG/NBD and Gamma-Gamma parameters, and the CLV model file."""

from __future__ import annotations

import datetime
from types import ModuleType

import numpy as np
import pandas as pd

from tests.dbt_python_models import load_model_file

TRUE_BGNBD = {"r": 0.6, "alpha": 5.0, "a": 0.8, "b": 2.5}
TRUE_GAMMA_GAMMA = {"p": 6.0, "q": 4.0, "gamma": 30.0}


def load_clv_model() -> ModuleType:
    return load_model_file("models/intermediate/clv/int_persons_clv_predicted.py")


def simulate_bgnbd(
    rng: np.random.Generator, params: dict[str, float], tenure: np.ndarray
) -> dict[str, np.ndarray]:
    """Continuous-time BG/NBD: purchase rate lambda ~ Gamma(r, alpha), dropout probability p ~
    Beta(a, b) after each repeat purchase. Each customer is watched for tenure[i] after their
    first purchase. Returns x, t_x, T and the repeat purchase times (one array per customer)."""
    n = len(tenure)
    rate = rng.gamma(params["r"], 1.0 / params["alpha"], n)
    dropout = rng.beta(params["a"], params["b"], n)
    now = np.zeros(n)
    x = np.zeros(n, dtype=np.int64)
    t_x = np.zeros(n)
    times: list[list[float]] = [[] for _ in range(n)]
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        step = rng.exponential(1.0, len(idx)) / np.maximum(rate[idx], 1e-300)
        nxt = now[idx] + step
        bought = nxt <= tenure[idx]
        active[idx[~bought]] = False
        idx, nxt = idx[bought], nxt[bought]
        now[idx] = nxt
        x[idx] += 1
        t_x[idx] = nxt
        for i, at in zip(idx.tolist(), nxt.tolist(), strict=True):
            times[i].append(at)
        active[idx[rng.random(len(idx)) < dropout[idx]]] = False
    return {"x": x, "t_x": t_x, "T": np.asarray(tenure, dtype=float), "times": times}


def simulate_spend(
    rng: np.random.Generator, params: dict[str, float], purchases: np.ndarray
) -> list[np.ndarray]:
    """Gamma-Gamma: per-customer mean spend 1 / nu with nu ~ Gamma(q, gamma); each purchase
    ~ Gamma(p, nu). Returns each customer's purchase values."""
    nu = rng.gamma(params["q"], 1.0 / params["gamma"], len(purchases))
    values = rng.gamma(params["p"], 1.0 / np.repeat(nu, purchases))
    return np.split(values, np.cumsum(purchases)[:-1])


def simulate_orders(
    seed: int,
    customers: int,
    end_date: datetime.date,
    history_days: int,
    bgnbd: dict[str, float] = TRUE_BGNBD,
    gamma_gamma: dict[str, float] = TRUE_GAMMA_GAMMA,
) -> pd.DataFrame:
    """Orders (person_id, ordered_at, order_total) of customers whose first purchase falls
    uniformly in the history_days ending on end_date, purchasing per BG/NBD (time in weeks)
    and spending per Gamma-Gamma until end_date + 5 years (so holdout periods have actuals)."""
    rng = np.random.default_rng(seed)
    end = pd.Timestamp(end_date)
    first_day = rng.integers(0, history_days, customers)
    first_at = end - pd.Timedelta(days=history_days - 1) + pd.to_timedelta(first_day, unit="D")
    first_at = first_at + pd.to_timedelta(rng.random(customers) * 86_400, unit="s")
    horizon_weeks = ((end + pd.Timedelta(days=5 * 365) - first_at) / pd.Timedelta(weeks=1)).values
    sim = simulate_bgnbd(rng, bgnbd, np.asarray(horizon_weeks, dtype=float))
    purchases = sim["x"] + 1
    values = simulate_spend(rng, gamma_gamma, purchases)
    person = np.repeat(np.arange(customers), purchases)
    offsets = np.concatenate([np.r_[0.0, t] for t in sim["times"]])
    ordered_at = first_at[person] + pd.to_timedelta(offsets * 7 * 86_400, unit="s")
    return pd.DataFrame(
        {
            "person_id": pd.Series([f"p{i:06d}" for i in person], dtype="string"),
            "ordered_at": ordered_at.astype("datetime64[us]"),
            "order_total": np.round(np.concatenate(values), 2),
        }
    ).sort_values(["person_id", "ordered_at"], ignore_index=True)
