"""Customer lifetime value to date and predicted over the next var clv_horizon_days.

One row per customer (a person with at least one completed order up to the end of the as-of
date). Purchases are predicted with a BG/NBD model (Fader, Hardie & Lee 2005) and the value of a
purchase with a Gamma-Gamma model (Fader & Hardie 2013), both fitted by maximum likelihood on
every build. The method, its decisions and its validation on held-out time are in
_clv__docs.md (doc `clv_method`).

The file is self-contained on purpose: dbt Python models cannot import each other, and tests
import the functions below by file path. Only numpy, pandas and scipy are used; the same data
gives the same numbers (no randomness, inputs sorted before fitting).
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from scipy import optimize, special

DAYS_PER_WEEK = 7.0
# Both models are fitted on customers with repeat purchases: fewer than this and the fit is not
# attempted (clv_model_status `insufficient_data`).
MIN_REPEAT_CUSTOMERS = 30
# Parameters are fitted as logs within +-LOG_PARAM_BOUND; an optimum on a bound is a failed fit.
LOG_PARAM_BOUND = 12.0
# Largest gradient component (of the mean log-likelihood in log parameters) of a converged fit.
GRADIENT_TOLERANCE = 1e-5
STATUS_FITTED = "fitted"
STATUS_INSUFFICIENT_DATA = "insufficient_data"
STATUS_FIT_FAILED = "fit_failed"
# BG/NBD fitted, Gamma-Gamma not: the value of a purchase is the customer's mean spend shrunk
# towards the population's (see shrunk_mean_spend).
STATUS_MEAN_SPEND = "fitted_mean_spend"
PREDICTING_STATUSES = (STATUS_FITTED, STATUS_MEAN_SPEND)
BGNBD_PARAMS = ("r", "alpha", "a", "b")
GAMMA_GAMMA_PARAMS = ("p", "q", "gamma")

SUMMARY_DTYPES = {
    "person_id": "string",
    "orders": "int64",
    "purchase_days": "int64",
    "repeat_purchase_days": "int64",
    "recency_weeks": "float64",
    "tenure_weeks": "float64",
    "clv_to_date": "float64",
    "average_order_value": "float64",
    "repeat_purchase_day_value": "float64",
}
OUTPUT_COLUMNS = (
    "person_id",
    "as_of_date",
    "orders",
    "purchase_days",
    "repeat_purchase_days",
    "recency_weeks",
    "tenure_weeks",
    "clv_to_date",
    "average_order_value",
    "probability_alive",
    "predicted_purchases_12_months",
    "predicted_average_order_value",
    "predicted_clv_12_months",
    "clv_model_status",
)


# --- Customer summary -------------------------------------------------------------------------


def _purchase_dates(ordered_at: pd.Series) -> pd.Series:
    """UTC calendar day of each timestamp, as a naive midnight timestamp."""
    stamps = pd.to_datetime(ordered_at)
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps.dt.floor("D").astype("datetime64[us]")


def summarize_customers(orders: pd.DataFrame, as_of_date: datetime.date) -> pd.DataFrame:
    """One row per customer of `orders` (columns person_id, ordered_at, order_total: completed
    orders of known persons placed before the end of as_of_date), sorted by person_id.

    Time runs on a grid of UTC days: a purchase day is a day with at least one order. x
    (repeat_purchase_days) is purchase days - 1; recency (t_x) is from the first to the last
    purchase day and tenure (T) from the first purchase day to as_of_date, both in weeks. The
    value of a purchase day is the sum of its orders; repeat_purchase_day_value is the mean value
    of the repeat purchase days (null without one), the spend the Gamma-Gamma model sees.
    """
    as_of = pd.Timestamp(as_of_date).normalize()
    days = pd.DataFrame(
        {
            "person_id": orders["person_id"].astype("string"),
            "purchase_date": _purchase_dates(orders["ordered_at"]),
            "value": pd.to_numeric(orders["order_total"], errors="coerce").astype("float64"),
        }
    )
    days = days[days["purchase_date"] <= as_of]  # callers filter already; never a negative T
    days = (
        days.groupby(["person_id", "purchase_date"], sort=True)
        .agg(
            orders=("value", "size"),
            priced_orders=("value", "count"),
            value=("value", "sum"),
        )
        .reset_index()
    )
    days["value"] = days["value"].where(days["priced_orders"] > 0)
    is_repeat = days.groupby("person_id", sort=False).cumcount() > 0
    per_person = days.groupby("person_id", sort=True)
    summary = per_person.agg(
        orders=("orders", "sum"),
        priced_orders=("priced_orders", "sum"),
        purchase_days=("purchase_date", "size"),
        first_date=("purchase_date", "min"),
        last_date=("purchase_date", "max"),
        clv_to_date=("value", "sum"),
    )
    repeat_value = days[is_repeat].groupby("person_id", sort=True)["value"].mean()
    summary["repeat_purchase_day_value"] = repeat_value.reindex(summary.index)
    summary["repeat_purchase_days"] = summary["purchase_days"] - 1
    summary["recency_weeks"] = (
        summary["last_date"] - summary["first_date"]
    ).dt.days / DAYS_PER_WEEK
    summary["tenure_weeks"] = (as_of - summary["first_date"]).dt.days / DAYS_PER_WEEK
    summary["average_order_value"] = summary["clv_to_date"] / summary["priced_orders"].where(
        summary["priced_orders"] > 0
    )
    summary = summary.reset_index()
    return summary[list(SUMMARY_DTYPES)].astype(SUMMARY_DTYPES)


# --- Fitting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FitResult:
    """A maximum-likelihood fit: params is None unless `converged`."""

    params: dict[str, float] | None
    converged: bool
    message: str
    log_likelihood: float = float("nan")
    customers: int = 0


def _minimize(objective, start: np.ndarray, names: tuple[str, ...], customers: int) -> FitResult:
    """Minimize objective(log_params) -> (mean negative log-likelihood, gradient).

    Converged means L-BFGS-B reports success, or it stopped in a line search (which happens at
    the optimum once the gradient is down to rounding noise) with every gradient component under
    GRADIENT_TOLERANCE; and no parameter is on its bound.
    """
    bounds = [(-LOG_PARAM_BOUND, LOG_PARAM_BOUND)] * len(start)
    options = {"maxiter": 5000, "ftol": 1e-13, "gtol": 1e-8}
    with np.errstate(all="ignore"):
        result = optimize.minimize(
            objective, start, jac=True, method="L-BFGS-B", bounds=bounds, options=options
        )
        if not result.success:  # restart once from where the line search stopped
            result = optimize.minimize(
                objective, result.x, jac=True, method="L-BFGS-B", bounds=bounds, options=options
            )
    log_params = np.asarray(result.x, dtype=float)
    gradient = np.asarray(result.jac, dtype=float)
    if not (np.all(np.isfinite(log_params)) and np.isfinite(result.fun)):
        return FitResult(None, False, f"non-finite result: {result.message}", customers=customers)
    if not (result.success or np.all(np.abs(gradient) <= GRADIENT_TOLERANCE)):
        return FitResult(None, False, f"did not converge: {result.message}", customers=customers)
    if np.any(np.abs(log_params) >= LOG_PARAM_BOUND - 1e-6):
        return FitResult(None, False, "a parameter reached its bound", customers=customers)
    params = {name: float(np.exp(value)) for name, value in zip(names, log_params, strict=True)}
    return FitResult(params, True, "converged", -float(result.fun) * customers, customers)


def _weighted_unique(*columns: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """The distinct rows of the given columns (sorted) and how often each occurs."""
    stacked = np.column_stack([np.asarray(c, dtype=float) for c in columns])
    unique, counts = np.unique(stacked, axis=0, return_counts=True)
    return [unique[:, i] for i in range(unique.shape[1])], counts.astype(float)


# --- BG/NBD -----------------------------------------------------------------------------------


def bgnbd_log_likelihood(
    params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """Log-likelihood of each customer's (x, t_x, T) under BG/NBD (FHL 2005, eq. 6)."""
    return _bgnbd_terms(np.log([params[n] for n in BGNBD_PARAMS]), x, t_x, T)[0]


def _bgnbd_terms(log_params, x, t_x, T, gradient: bool = False):
    r, alpha, a, b = np.exp(log_params)
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    repeat = x > 0
    b_x1 = np.where(repeat, b + x - 1, 1.0)
    log_a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    log_a2 = (
        special.gammaln(a + b)
        + special.gammaln(b + x)
        - special.gammaln(b)
        - special.gammaln(a + b + x)
    )
    log_a3 = -(r + x) * np.log(alpha + T)
    log_a4 = np.where(repeat, np.log(a) - np.log(b_x1) - (r + x) * np.log(alpha + t_x), -np.inf)
    log_mix = np.logaddexp(log_a3, log_a4)
    ll = log_a1 + log_a2 + log_mix
    if not gradient:
        return ll, None
    w3 = np.exp(log_a3 - log_mix)
    w4 = np.exp(log_a4 - log_mix)
    d_r = (
        special.digamma(r + x)
        - special.digamma(r)
        + np.log(alpha)
        - w3 * np.log(alpha + T)
        - w4 * np.log(alpha + t_x)
    )
    d_alpha = r / alpha - w3 * (r + x) / (alpha + T) - w4 * (r + x) / (alpha + t_x)
    d_ab = special.digamma(a + b) - special.digamma(a + b + x)
    d_a = d_ab + w4 / a
    d_b = d_ab + special.digamma(b + x) - special.digamma(b) - w4 / b_x1
    # Derivatives with respect to the log parameters.
    return ll, np.stack([d_r * r, d_alpha * alpha, d_a * a, d_b * b])


def fit_bgnbd(x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> FitResult:
    """Maximum-likelihood r, alpha, a, b (time in the unit of t_x and T)."""
    (ux, ut, uT), weights = _weighted_unique(x, t_x, T)
    total = weights.sum()

    def objective(log_params):
        ll, grad = _bgnbd_terms(log_params, ux, ut, uT, gradient=True)
        return -(weights @ ll) / total, -(grad @ weights) / total

    # Start at r = 1, a = 1, b = 1 and alpha giving the observed mean repeat rate.
    rate = max(float(np.average(ux, weights=weights)), 1e-3) / max(
        float(np.average(uT, weights=weights)), 1e-3
    )
    start = np.array([0.0, np.log(1.0 / rate), 0.0, 0.0]).clip(-LOG_PARAM_BOUND + 1, 11)
    return _minimize(objective, start, BGNBD_PARAMS, int(total))


def bgnbd_probability_alive(
    params: dict[str, float], x: np.ndarray, t_x: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """P(still active at T | x, t_x, T) (FHL 2005 / 2008 note); 1 when x = 0."""
    r, alpha, a, b = (params[n] for n in BGNBD_PARAMS)
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    repeat = x > 0
    log_odds_dead = np.where(
        repeat,
        np.log(a)
        - np.log(np.where(repeat, b + x - 1, 1.0))
        + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)),
        -np.inf,
    )
    return special.expit(-log_odds_dead)


def bgnbd_expected_purchases(
    params: dict[str, float], t: float, x: np.ndarray, t_x: np.ndarray, T: np.ndarray
) -> np.ndarray:
    """E[purchases in (T, T + t] | x, t_x, T] (FHL 2005, eq. 10).

    The printed form multiplies ((alpha + T) / (alpha + T + t))^(r + x) by
    2F1(r + x, b + x; a + b + x - 1; z), z = t / (alpha + T + t), which underflow and overflow in
    turn (nan or inf) for frequent buyers and long horizons. Euler's transformation
    2F1(A, B; C; z) = (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z) turns the product into
    (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z): the first two parameters no
    longer grow with x, z stays in [0, 1) and every factor stays bounded.
    """
    r, alpha, a, b = (params[n] for n in BGNBD_PARAMS)
    if abs(a - 1.0) < 1e-7:  # removable singularity at a = 1
        a = 1.0 + 1e-7
    x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
    log_kept = np.log(alpha + T) - np.log(alpha + T + t)  # log(1 - z)
    hyp = special.hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, -np.expm1(log_kept))
    alive_purchases = (a + b + x - 1.0) / (a - 1.0) * (1.0 - np.exp((a - 1.0) * log_kept) * hyp)
    return alive_purchases * bgnbd_probability_alive(params, x, t_x, T)


# --- Gamma-Gamma ------------------------------------------------------------------------------


def gamma_gamma_log_likelihood(
    params: dict[str, float], x: np.ndarray, m: np.ndarray
) -> np.ndarray:
    """Log-density of each mean spend m over x purchases (Fader & Hardie 2013, eq. 4)."""
    return _gamma_gamma_terms(np.log([params[n] for n in GAMMA_GAMMA_PARAMS]), x, m)[0]


def _gamma_gamma_terms(log_params, x, m, gradient: bool = False):
    p, q, gamma = np.exp(log_params)
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    px = p * x
    log_total = np.log(gamma + m * x)
    ll = (
        special.gammaln(px + q)
        - special.gammaln(px)
        - special.gammaln(q)
        + q * np.log(gamma)
        + (px - 1) * np.log(m)
        + px * np.log(x)
        - (px + q) * log_total
    )
    if not gradient:
        return ll, None
    psi = special.digamma(px + q)
    d_p = x * (psi - special.digamma(px) + np.log(m) + np.log(x) - log_total)
    d_q = psi - special.digamma(q) + np.log(gamma) - log_total
    d_gamma = q / gamma - (px + q) / (gamma + m * x)
    return ll, np.stack([d_p * p, d_q * q, d_gamma * gamma])


def fit_gamma_gamma(x: np.ndarray, m: np.ndarray) -> FitResult:
    """Maximum-likelihood p, q, gamma from customers with x >= 1 purchases of mean value m > 0.

    Spend is scaled by its median while fitting (gamma scales with it; p and q do not).
    """
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    if len(m) and np.all(m == m[0]):
        # the likelihood grows without end as p and q do: where the optimizer stops is noise
        return FitResult(None, False, "every mean spend is the same", customers=len(m))
    scale = float(np.median(m)) if len(m) else 1.0
    (ux, um), weights = _weighted_unique(x, m / scale)
    total = weights.sum()

    def objective(log_params):
        ll, grad = _gamma_gamma_terms(log_params, ux, um, gradient=True)
        return -(weights @ ll) / total, -(grad @ weights) / total

    fit = _minimize(objective, np.array([0.0, np.log(2.0), 0.0]), GAMMA_GAMMA_PARAMS, int(total))
    if not fit.converged:
        return fit
    params = {**fit.params, "gamma": fit.params["gamma"] * scale}
    # Undo the scaling in the likelihood too: each density picks up 1 / scale.
    log_likelihood = fit.log_likelihood - float(total * np.log(scale))
    if params["q"] <= 1.0:
        return FitResult(None, False, "q <= 1: mean spend is unbounded", customers=int(total))
    return FitResult(params, True, fit.message, log_likelihood, int(total))


def gamma_gamma_expected_value(
    params: dict[str, float], x: np.ndarray, m: np.ndarray
) -> np.ndarray:
    """E[value of a purchase | x purchases of mean m] (FH 2013, eq. 5); with x = 0 (or m null)
    the population mean p * gamma / (q - 1)."""
    p, q, gamma = (params[n] for n in GAMMA_GAMMA_PARAMS)
    x, m = np.asarray(x, dtype=float), np.asarray(m, dtype=float)
    known = (x > 0) & np.isfinite(m)
    x, m = np.where(known, x, 0.0), np.where(known, m, 0.0)
    return p * (gamma + x * m) / (p * x + q - 1.0)


# --- Both models together ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClvFit:
    status: str
    message: str
    bgnbd: FitResult | None = None
    gamma_gamma: FitResult | None = None
    repeat_customers: int = 0
    params: dict[str, float] = field(default_factory=dict)


def fit_clv(summary: pd.DataFrame, min_repeat_customers: int = MIN_REPEAT_CUSTOMERS) -> ClvFit:
    """Fit BG/NBD on every customer and Gamma-Gamma on the repeat customers of a summary."""
    x = summary["repeat_purchase_days"].to_numpy(dtype=float)
    spend = summary["repeat_purchase_day_value"].to_numpy(dtype=float)
    spenders = (x > 0) & np.isfinite(spend) & (spend > 0)
    repeat_customers = int((x > 0).sum())
    if repeat_customers < min_repeat_customers or int(spenders.sum()) < min_repeat_customers:
        return ClvFit(
            STATUS_INSUFFICIENT_DATA,
            f"{repeat_customers} customers with repeat purchases (with a positive value:"
            f" {int(spenders.sum())}), {min_repeat_customers} needed",
            repeat_customers=repeat_customers,
        )
    try:
        bgnbd = fit_bgnbd(
            x, summary["recency_weeks"].to_numpy(float), summary["tenure_weeks"].to_numpy(float)
        )
        gamma_gamma = fit_gamma_gamma(x[spenders], spend[spenders]) if bgnbd.converged else None
    except (ArithmeticError, ValueError) as error:  # a failed fit must not fail the build
        return ClvFit(STATUS_FIT_FAILED, f"error while fitting: {error!r}")
    if not bgnbd.converged:
        return ClvFit(STATUS_FIT_FAILED, f"BG/NBD: {bgnbd.message}", bgnbd, None, repeat_customers)
    if not gamma_gamma.converged:
        return ClvFit(
            STATUS_MEAN_SPEND,
            f"Gamma-Gamma: {gamma_gamma.message}; value per purchase from the shrunk mean spend",
            bgnbd,
            gamma_gamma,
            repeat_customers,
            {**bgnbd.params, "mean_spend": float(spend[spenders].mean())},
        )
    return ClvFit(
        STATUS_FITTED,
        "converged",
        bgnbd,
        gamma_gamma,
        repeat_customers,
        {**bgnbd.params, **gamma_gamma.params},
    )


def shrunk_mean_spend(mean_spend: float, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Value of a purchase when Gamma-Gamma cannot be fitted (for instance q <= 1 when spend is
    spread wider than a Gamma mixture allows): the customer's mean repeat spend m over x repeat
    purchase days weighted against the population's mean as one more purchase,
    (x * m + mean) / (x + 1), which has the shape of the Gamma-Gamma estimate; the population
    mean for one-time buyers."""
    known = (x > 0) & np.isfinite(m)
    x, m = np.where(known, x, 0.0), np.where(known, m, 0.0)
    return (x * m + mean_spend) / (x + 1.0)


def predict_clv(summary: pd.DataFrame, fit: ClvFit, horizon_days: float) -> pd.DataFrame:
    """The summary with probability_alive, predicted purchases (purchase days) over horizon_days,
    predicted value per purchase day and their product, predicted CLV (undiscounted); null
    predictions unless fit.status is `fitted` or `fitted_mean_spend`."""
    out = summary.copy()
    n = len(out)
    predictions = {
        "probability_alive": np.full(n, np.nan),
        "predicted_purchases_12_months": np.full(n, np.nan),
        "predicted_average_order_value": np.full(n, np.nan),
    }
    if fit.status in PREDICTING_STATUSES and n:
        x = out["repeat_purchase_days"].to_numpy(float)
        t_x = out["recency_weeks"].to_numpy(float)
        T = out["tenure_weeks"].to_numpy(float)
        with np.errstate(all="ignore"):
            predictions["probability_alive"] = bgnbd_probability_alive(fit.params, x, t_x, T)
            predictions["predicted_purchases_12_months"] = bgnbd_expected_purchases(
                fit.params, horizon_days / DAYS_PER_WEEK, x, t_x, T
            )
            spend = out["repeat_purchase_day_value"].to_numpy(float)
            predictions["predicted_average_order_value"] = (
                gamma_gamma_expected_value(fit.params, x, spend)
                if fit.status == STATUS_FITTED
                else shrunk_mean_spend(fit.params["mean_spend"], x, spend)
            )
    status = fit.status
    if status in PREDICTING_STATUSES and not all(
        np.isfinite(v).all() for v in predictions.values()
    ):
        status = STATUS_FIT_FAILED  # a prediction came out nan or inf: publish none
        predictions = {name: np.full(n, np.nan) for name in predictions}
    for name, values in predictions.items():
        out[name] = np.asarray(values, dtype="float64")
    out["predicted_clv_12_months"] = (
        out["predicted_purchases_12_months"] * out["predicted_average_order_value"]
    )
    out["clv_model_status"] = pd.Series([status] * n, index=out.index, dtype="string")
    return out


# --- Validation on held-out time --------------------------------------------------------------


def _accuracy(predicted: np.ndarray, actual: np.ndarray) -> dict[str, float]:
    total_predicted, total_actual = float(predicted.sum()), float(actual.sum())
    spread = len(actual) > 1 and np.std(predicted) > 0 and np.std(actual) > 0
    return {
        "total_predicted": total_predicted,
        "total_actual": total_actual,
        "aggregate_error": (total_predicted - total_actual) / total_actual
        if total_actual
        else float("nan"),
        "mean_absolute_error": float(np.mean(np.abs(predicted - actual)))
        if len(actual)
        else float("nan"),
        "correlation": float(np.corrcoef(predicted, actual)[0, 1]) if spread else float("nan"),
    }


def validate_holdout(
    orders: pd.DataFrame,
    calibration_end_date: datetime.date,
    holdout_days: int,
    min_repeat_customers: int = MIN_REPEAT_CUSTOMERS,
) -> dict:
    """Fit on the orders up to the end of calibration_end_date and compare, per customer of that
    period, the predicted with the actual purchase days and value of the next holdout_days.

    orders: person_id, ordered_at, order_total (completed orders of known persons). The naive
    baseline repeats each customer's calibration rate (repeat purchase days per week of tenure,
    0 when the tenure is 0) at their mean value per purchase day. Returns the fit, the accuracy of
    model and baseline for purchases and value (total predicted and actual, aggregate error as a
    share of the actual, mean absolute error per customer, Pearson correlation) and, per number
    of repeat purchase days in calibration (7 = 7 or more), the mean actual and predicted
    purchases.
    """
    calibration_end = pd.Timestamp(calibration_end_date).normalize()
    holdout_end = calibration_end + pd.Timedelta(days=holdout_days)
    dates = _purchase_dates(orders["ordered_at"])
    calibration = orders[(dates <= calibration_end).to_numpy()]
    summary = summarize_customers(calibration, calibration_end.date())
    fit = fit_clv(summary, min_repeat_customers)
    predicted = predict_clv(summary, fit, holdout_days)

    holdout = orders[((dates > calibration_end) & (dates <= holdout_end)).to_numpy()]
    holdout = pd.DataFrame(
        {
            "person_id": holdout["person_id"].astype("string"),
            "purchase_date": _purchase_dates(holdout["ordered_at"]),
            "value": pd.to_numeric(holdout["order_total"], errors="coerce").astype("float64"),
        }
    )
    actual = holdout.groupby("person_id").agg(
        purchases=("purchase_date", "nunique"), value=("value", "sum")
    )
    actual = actual.reindex(predicted["person_id"]).fillna(0.0)

    x = predicted["repeat_purchase_days"].to_numpy(float)
    T = predicted["tenure_weeks"].to_numpy(float)
    weeks = holdout_days / DAYS_PER_WEEK
    baseline_purchases = np.where(T > 0, x / np.where(T > 0, T, 1.0), 0.0) * weeks
    day_value = (predicted["clv_to_date"] / predicted["purchase_days"]).fillna(0.0).to_numpy()
    result = {
        "status": fit.status,
        "message": fit.message,
        "calibration_end_date": calibration_end.date(),
        "holdout_days": holdout_days,
        "customers": len(predicted),
        "repeat_customers": fit.repeat_customers,
        "params": fit.params,
        "holdout_purchases_per_customer": float(actual["purchases"].mean())
        if len(actual)
        else float("nan"),
    }
    spenders = (x > 0) & (predicted["repeat_purchase_day_value"].to_numpy(float) > 0)
    result["frequency_value_correlation"] = (
        float(np.corrcoef(x[spenders], predicted["repeat_purchase_day_value"][spenders])[0, 1])
        if spenders.sum() > 1
        else float("nan")
    )
    if fit.status not in PREDICTING_STATUSES:
        return result
    model_purchases = predicted["predicted_purchases_12_months"].to_numpy(float)
    model_value = predicted["predicted_clv_12_months"].to_numpy(float)
    actual_purchases = actual["purchases"].to_numpy(float)
    actual_value = actual["value"].to_numpy(float)
    result["purchases"] = {
        "model": _accuracy(model_purchases, actual_purchases),
        "baseline": _accuracy(baseline_purchases, actual_purchases),
    }
    result["value"] = {
        "model": _accuracy(model_value, actual_value),
        "baseline": _accuracy(baseline_purchases * day_value, actual_value),
    }
    result["by_repeat_purchase_days"] = (
        pd.DataFrame(
            {
                "repeat_purchase_days": np.minimum(x, 7).astype("int64"),
                "actual": actual_purchases,
                "model": model_purchases,
                "baseline": baseline_purchases,
            }
        )
        .groupby("repeat_purchase_days")
        .agg(
            customers=("actual", "size"),
            actual=("actual", "mean"),
            model=("model", "mean"),
            baseline=("baseline", "mean"),
        )
    )
    return result


# --- dbt --------------------------------------------------------------------------------------


def customers_clv(
    orders: pd.DataFrame,
    as_of_date: datetime.date,
    horizon_days: int,
    min_repeat_customers: int = MIN_REPEAT_CUSTOMERS,
) -> pd.DataFrame:
    """The model's rows (OUTPUT_COLUMNS, stable dtypes) from a summary of `orders`."""
    summary = summarize_customers(orders, as_of_date)
    predicted = predict_clv(summary, fit_clv(summary, min_repeat_customers), horizon_days)
    predicted["as_of_date"] = pd.Series(
        [pd.Timestamp(as_of_date).date()] * len(predicted),
        index=predicted.index,
        dtype=pd.ArrowDtype(pa.date32()),
    )
    return predicted[list(OUTPUT_COLUMNS)].reset_index(drop=True)


def model(dbt, session):
    horizon_days = dbt.config.meta_get("clv_horizon_days")
    if horizon_days is None:
        raise ValueError("config meta clv_horizon_days is not set (see _clv__models.yml)")
    as_of = dbt.ref("int_persons_profiled").project("as_of_date").df()
    # only the three columns the fit reads leave DuckDB, not every column of every order
    orders = (
        dbt.ref("int_completed_orders_filtered")
        .project("person_id, ordered_at, order_total_reporting as order_total")
        .df()
    )
    return customers_clv(
        orders, pd.Timestamp(as_of["as_of_date"].iloc[0]).date(), int(horizon_days)
    )
