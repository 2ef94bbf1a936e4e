"""Across clients (`stats --all-clients`): relief by session length and session number in one
mixed model over a practice's clients of one therapy; pure, no I/O.

The model is ``relief ~ minutes/15 + session_number + (1 | client)``, fitted by REML with
statsmodels' MixedLM (imported inside `fit_model` only: it is an optional extra). The rules it
keeps, each documented in the README ("Across clients"):

- Gate: at least MIN_CLIENTS clients with at least MIN_SESSIONS sessions of the therapy that
  began with pain; clients with fewer are listed apart and left out of the model.
- Intervals: Wald intervals from the REML fit, with a t quantile on the within-client degrees
  of freedom (sessions - clients - 2): the normal quantile covered too little at 5 clients
  (benchmarks/calibration.py, `--parts practice`). The per-session interval is widened for
  correlated consecutive sessions within clients (see `within_autocorrelation`).
- A failed fit says so: when MixedLM does not converge, or puts the between-client variance on
  the boundary (0), the figures come from least squares with one intercept per client (client
  fixed effects: the same two slopes, estimated within clients only), and the result names the
  fallback and why. No figure of a failed fit is ever returned.
- Sensitivity: a client "stopped before the course ended" when they had fewer sessions than
  the therapy's usual course (the median number of sessions per client, rounded up) and none
  in the last QUIET_DAYS days of the data; the refit counts each such client's missing
  sessions, up to the usual course, as not improved (relief 0, at the length of their last
  session).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from migraine_diary.domain.words import plural, verb
from migraine_diary.errors import DiaryError

__all__ = [
    "ClientRow",
    "ClientSeries",
    "ClientSession",
    "ModelFit",
    "PracticeResult",
    "Sensitivity",
    "Slope",
    "analyse_practice",
    "fit_model",
]

MIN_CLIENTS = 5
MIN_SESSIONS = 5
CONFIDENCE = 0.95
BIN_MINUTES = 15
MAX_AUTOCORRELATION = 0.9
QUIET_DAYS = 28  # the gap that ends a course elsewhere too (analysis.preventive)
EDGE_SESSIONS = 2  # the first and last sessions compared in the per-client table
# The between-client variance counts as on the boundary below this share of the residual
# variance: there it is 0 for every purpose, and MixedLM's Hessian is unreliable.
BOUNDARY_SHARE = 1e-4
INSTALL = "the model across clients needs statsmodels: pip install 'migraine-diary[practice]'"

FloatArray = npt.NDArray[np.float64]
Direction = Literal["more_relief", "less_relief", "no_clear_effect", "exact"]
Method = Literal["mixed", "client_fixed_effects"]

#: The words for each slope's verdict: an effect only when its 95% interval excludes 0.
WORDS: dict[str, dict[str, str]] = {
    "per_15_min": {
        "more_relief": "longer sessions: more relief",
        "less_relief": "longer sessions: less relief",
        "no_clear_effect": "longer sessions: no clear effect",
        "exact": "longer sessions: an exact straight line, no margin of error",
    },
    "per_session": {
        "more_relief": "later sessions: more relief",
        "less_relief": "later sessions: less relief",
        "no_clear_effect": "later sessions: no clear effect",
        "exact": "later sessions: an exact straight line, no margin of error",
    },
}


@dataclass(frozen=True, slots=True)
class ClientSession:
    """One session of the therapy as the model needs it."""

    when: datetime
    minutes: int
    pain_before: int
    pain_after: int

    @property
    def relief(self) -> int:
        return self.pain_before - self.pain_after

    @property
    def began_with_pain(self) -> bool:
        """A session that began at pain 0 cannot show relief (the rule of `stats`)."""
        return self.pain_before > 0


@dataclass(frozen=True, slots=True)
class ClientSeries:
    """One client's sessions of the therapy; the session number is the place in time order
    (sessions that began at pain 0 count for the number, not for relief)."""

    client: str
    sessions: tuple[ClientSession, ...]

    def ordered(self) -> list[ClientSession]:
        return sorted(self.sessions, key=lambda s: s.when)

    def with_pain(self) -> list[tuple[int, ClientSession]]:
        """(session number, session) of the sessions that began with pain."""
        return [(i, s) for i, s in enumerate(self.ordered(), start=1) if s.began_with_pain]


@dataclass(frozen=True, slots=True)
class Slope:
    """A fixed effect in points of relief, with its 95% interval (None on an exact fit)."""

    estimate: float
    ci: tuple[float, float] | None
    verdict: Direction


@dataclass(frozen=True, slots=True)
class ModelFit:
    """The two slopes and what they rest on. ``fallback`` says why the figures come from
    client fixed effects instead of the mixed model ("not_converged", "boundary"), or None."""

    method: Method
    per_15_min: Slope
    per_session: Slope
    clients: int
    sessions: int
    df: float | None  # of the t quantile; None on an exact fit
    between_client_sd: float | None  # None when the mixed model was not used
    within_sd: float
    fallback: str | None = None
    autocorrelation: float | None = None  # within clients, when it widened the per-session one


@dataclass(frozen=True, slots=True)
class ClientRow:
    """One line of the per-client table."""

    client: str
    sessions: int
    with_pain: int
    mean_relief: float | None
    first_relief: float | None  # mean of the first EDGE_SESSIONS sessions with pain
    last_relief: float | None  # mean of the last EDGE_SESSIONS (None below 2 x EDGE_SESSIONS)
    in_model: bool
    stopped_early: bool


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """The refit that counts clients who stopped before the course ended as not improved."""

    course_length: int  # the usual course: median sessions per client, rounded up
    quiet_days: int
    stopped: tuple[str, ...]
    imputed_sessions: int
    fit: ModelFit | None
    problem: str | None  # why there is no refit (nobody stopped early, or it cannot be fitted)


@dataclass(frozen=True, slots=True)
class PracticeResult:
    therapy: str
    verdict: Literal["estimated", "not_enough_data", "cannot_fit"]
    message: str | None  # why there are no figures; None when estimated
    fit: ModelFit | None
    clients: tuple[ClientRow, ...]
    sensitivity: Sensitivity | None
    eligible_clients: int
    sessions_in_model: int


# --- fitting ------------------------------------------------------------------------------------


def _direction(ci: tuple[float, float] | None) -> Direction:
    if ci is None:
        return "exact"
    return "more_relief" if ci[0] > 0 else "less_relief" if ci[1] < 0 else "no_clear_effect"


def _slope(estimate: float, se: float | None, t: float | None, scale: float = 1.0) -> Slope:
    if se is None or t is None:
        return Slope(estimate * scale, None, "exact")
    ci = ((estimate - t * se) * scale, (estimate + t * se) * scale)
    return Slope(estimate * scale, ci, _direction(ci))


def within_df(sessions: int, clients: int) -> float:
    """Degrees of freedom of the slopes' t quantile: sessions less one intercept per client
    less the two slopes (what least squares with client fixed effects has)."""
    return float(sessions - clients - 2)


def _t(df: float) -> float:
    import scipy.stats  # type: ignore[import-untyped]

    return float(scipy.stats.t.ppf(0.5 + CONFIDENCE / 2, df))


def _design(
    rows: Sequence[tuple[str, int, int, float]],
) -> tuple[FloatArray, FloatArray, list[str]]:
    """(y, X with intercept, minutes/15 and session number, client of each row)."""
    y = np.array([r[3] for r in rows], dtype=np.float64)
    x = np.array([[1.0, r[2] / BIN_MINUTES, float(r[1])] for r in rows], dtype=np.float64)
    return y, x, [r[0] for r in rows]


def within_autocorrelation(residuals: FloatArray, groups: list[str]) -> float | None:
    """Lag-1 autocorrelation of the residuals within clients (rows in session order per
    client), pooled, plus (1 + 4r)/m for the small-sample bias of the estimator in series of
    m sessions (Kendall 1954, as for one person's diary); None without spread."""
    top = bottom = 0.0
    lengths: dict[str, int] = {}
    for g in groups:
        lengths[g] = lengths.get(g, 0) + 1
    start = 0
    for g in dict.fromkeys(groups):
        r = residuals[start : start + lengths[g]]
        start += lengths[g]
        top += float(r[:-1] @ r[1:])
        bottom += float(r @ r)
    if bottom == 0.0:
        return None
    raw = top / bottom
    mean_length = len(groups) / len(lengths)
    return min(raw + (1 + 4 * max(raw, 0.0)) / mean_length, MAX_AUTOCORRELATION)


def _widened(fit: ModelFit, rho: float | None) -> ModelFit:
    """The per-session slope's interval widened for correlated consecutive sessions: the
    variance of a trend's slope under AR(1) noise grows by (1 + r) / (1 - r). Session length
    varies from session to session, so its slope needs no such allowance."""
    slope = fit.per_session
    if rho is None or rho <= 0 or slope.ci is None or fit.df is None:
        return fit
    low, high = slope.ci
    half = (high - low) / 2 * math.sqrt((1 + rho) / (1 - rho))
    ci = (slope.estimate - half, slope.estimate + half)
    wide = Slope(slope.estimate, ci, _direction(ci))
    return replace(fit, per_session=wide, autocorrelation=rho)


def _within(
    y: FloatArray, x: FloatArray, groups: list[str]
) -> tuple[FloatArray, FloatArray, FloatArray] | None:
    """Least squares with one intercept per client, by the within transformation: y and the
    two slopes' columns less their client's mean give the same slopes, residuals and slope
    covariance as the design with one dummy per client (Frisch-Waugh-Lovell), in O(rows)
    memory where the dummies take rows x clients. (slopes, residuals, the demeaned columns),
    or None when the slopes are not identified within clients."""
    codes = np.unique(np.array(groups, dtype=object), return_inverse=True)[1].ravel()
    counts = np.bincount(codes).astype(np.float64)

    def demeaned(column: FloatArray) -> FloatArray:
        return column - (np.bincount(codes, weights=column) / counts)[codes]

    columns = np.column_stack([demeaned(x[:, 1]), demeaned(x[:, 2])])
    if int(np.linalg.matrix_rank(columns)) < 2:
        return None
    target = demeaned(y)
    coef = np.asarray(np.linalg.lstsq(columns, target, rcond=None)[0], dtype=np.float64)
    return coef, target - columns @ coef, columns


def _fixed_effects(
    y: FloatArray, x: FloatArray, groups: list[str], fallback: str | None
) -> ModelFit | None:
    """Least squares with one intercept per client; None when the slopes are not identified
    within clients (length or number never varies apart from the client)."""
    within = _within(y, x, groups)
    if within is None:
        return None
    coef, residuals, columns = within
    clients = len(set(groups))
    df = within_df(len(y), clients)
    if np.allclose(residuals, 0.0, atol=1e-9) or df <= 0:
        return ModelFit(
            "client_fixed_effects",
            _slope(float(coef[0]), None, None),
            _slope(float(coef[1]), None, None),
            clients,
            len(y),
            None,
            None,
            0.0,
            fallback,
        )
    sigma2 = float(residuals @ residuals) / df
    cov = sigma2 * np.linalg.inv(columns.T @ columns)
    t = _t(df)
    return ModelFit(
        "client_fixed_effects",
        _slope(float(coef[0]), math.sqrt(cov[0, 0]), t),
        _slope(float(coef[1]), math.sqrt(cov[1, 1]), t),
        clients,
        len(y),
        df,
        None,
        math.sqrt(sigma2),
        fallback,
    )


def fit_model(rows: Sequence[tuple[str, int, int, float]]) -> ModelFit | None:
    """`_fit` with the per-session interval widened for correlated sessions within clients
    (estimated from the residuals of client fixed effects)."""
    fit = _fit(rows)
    if fit is None or fit.df is None:
        return fit
    y, x, groups = _design(rows)
    within = _within(y, x, groups)
    if within is None:
        return fit
    return _widened(fit, within_autocorrelation(within[1], groups))


def _fit(rows: Sequence[tuple[str, int, int, float]]) -> ModelFit | None:
    """Fit ``relief ~ minutes/15 + session_number + (1 | client)`` by REML to rows of
    (client, session number, minutes, relief); None when no honest fit exists.

    An exact fit (no residual at all) has no margin of error: its slopes come without an
    interval. A MixedLM fit that does not converge, warns that it did not, or puts the
    between-client variance on the boundary is not used: the slopes come from client fixed
    effects, and `fallback` says why.
    """
    y, x, groups = _design(rows)
    clients = len(set(groups))
    if int(np.linalg.matrix_rank(x)) < x.shape[1]:
        return None
    exact = _fixed_effects(y, x, groups, None)
    if exact is not None and exact.df is None:
        return exact  # MixedLM cannot fit zero residual variance
    try:
        from statsmodels.regression.mixed_linear_model import (  # type: ignore[import-untyped]
            MixedLM,
        )
    except ImportError:
        raise DiaryError(INSTALL) from None
    codes = {g: i for i, g in enumerate(sorted(set(groups)))}
    scale = between = math.nan
    fe = se = np.full(3, np.nan)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = MixedLM(y, x, groups=np.array([codes[g] for g in groups])).fit(
                reml=True, method=["powell", "lbfgs"]
            )
            failed = not bool(result.converged)
            scale = float(result.scale)
            between = float(np.asarray(result.cov_re)[0, 0])
            fe = np.asarray(result.fe_params, dtype=np.float64)
            se = np.asarray(result.bse_fe, dtype=np.float64)
        except (np.linalg.LinAlgError, ValueError):
            failed = True
    said = " ".join(str(w.message) for w in caught).lower()
    failed = failed or "converge" in said or "hessian" in said or "singular" in said
    if "boundary" in said or (math.isfinite(between) and between <= BOUNDARY_SHARE * scale):
        # at the boundary MixedLM often cannot converge or invert its Hessian either
        return _fixed_effects(y, x, groups, "boundary")
    usable = math.isfinite(scale) and scale > 0 and bool(np.all(np.isfinite(se)))
    if failed or not usable:
        return _fixed_effects(y, x, groups, "not_converged")
    df = within_df(len(y), clients)
    t = _t(df)
    return ModelFit(
        "mixed",
        _slope(float(fe[1]), float(se[1]), t),
        _slope(float(fe[2]), float(se[2]), t),
        clients,
        len(y),
        df,
        math.sqrt(between),
        math.sqrt(scale),
    )


# --- the result ---------------------------------------------------------------------------------


def _mean(values: Sequence[float]) -> float | None:
    return float(np.mean(values)) if values else None


def _rows(series: ClientSeries) -> list[tuple[str, int, int, float]]:
    return [(series.client, n, s.minutes, float(s.relief)) for n, s in series.with_pain()]


def course_length(series: Sequence[ClientSeries]) -> int:
    """The usual course of the therapy: the median number of sessions per client, rounded up."""
    return math.ceil(float(np.median([len(s.sessions) for s in series])))


def stopped_early(series: Sequence[ClientSeries]) -> list[ClientSeries]:
    """Clients with fewer sessions than the usual course and none in the last QUIET_DAYS days
    of the data (counted back from the practice's latest session of the therapy)."""
    if not series:
        return []
    usual = course_length(series)
    end = max(s.when for c in series for s in c.sessions)
    quiet_from = end - timedelta(days=QUIET_DAYS)
    return [
        c
        for c in series
        if len(c.sessions) < usual and max(s.when for s in c.sessions) <= quiet_from
    ]


def _imputed(series: ClientSeries, usual: int) -> list[tuple[str, int, int, float]]:
    """The client's sessions with pain, then relief 0 for each missing session up to the usual
    course, at the length of their last session."""
    last = series.ordered()[-1].minutes
    missing = range(len(series.sessions) + 1, usual + 1)
    return _rows(series) + [(series.client, n, last, 0.0) for n in missing]


def _sensitivity(series: Sequence[ClientSeries], used: Sequence[ClientSeries]) -> Sensitivity:
    usual = course_length(series)
    early = stopped_early(series)
    names = tuple(c.client for c in early)
    if not early:
        return Sensitivity(usual, QUIET_DAYS, (), 0, None, "no client stopped early")
    early_names = set(names)
    rows = [r for c in used if c.client not in early_names for r in _rows(c)]
    imputed = 0
    for c in early:
        rows += _imputed(c, usual)
        imputed += max(usual - len(c.sessions), 0)
    fit = fit_model(rows)
    problem = None if fit is not None else "the refit cannot be made"
    return Sensitivity(usual, QUIET_DAYS, names, imputed, fit, problem)


def _client_row(series: ClientSeries, in_model: bool, early: bool) -> ClientRow:
    reliefs = [float(s.relief) for _, s in series.with_pain()]
    edges = len(reliefs) >= 2 * EDGE_SESSIONS
    return ClientRow(
        series.client,
        len(series.sessions),
        len(reliefs),
        _mean(reliefs),
        _mean(reliefs[:EDGE_SESSIONS]) if edges else None,
        _mean(reliefs[-EDGE_SESSIONS:]) if edges else None,
        in_model,
        early,
    )


def not_enough_data(therapy: str, eligible: int, clients: int) -> str:
    """What the gate needs and what there is."""
    some = f"{eligible} of {plural(clients, 'client')}"
    return (
        f"Not enough data across clients for {therapy}: the model needs at least "
        f"{MIN_CLIENTS} clients with at least {MIN_SESSIONS} sessions that began with pain "
        f"each; {some} {verb(eligible, 'has', 'have')} that many."
    )


def analyse_practice(therapy: str, series: Sequence[ClientSeries]) -> PracticeResult:
    """The model, the per-client table and the sensitivity refit for one therapy."""
    series = [s for s in series if s.sessions]
    used = [s for s in series if len(s.with_pain()) >= MIN_SESSIONS]
    early = {c.client for c in stopped_early(series)}
    used_names = {c.client for c in used}
    table = tuple(
        _client_row(c, c.client in used_names and len(used) >= MIN_CLIENTS, c.client in early)
        for c in sorted(series, key=lambda c: (-len(c.sessions), c.client))
    )
    n_rows = sum(len(c.with_pain()) for c in used)
    if len(used) < MIN_CLIENTS:
        message = not_enough_data(therapy, len(used), len(series))
        return PracticeResult(therapy, "not_enough_data", message, None, table, None, len(used), 0)
    fit = fit_model([r for c in used for r in _rows(c)])
    if fit is None:
        message = (
            f"The model across clients cannot be fitted for {therapy}: session length or "
            "session number never varies within a client apart from the other, so their "
            "effects cannot be told apart."
        )
        return PracticeResult(therapy, "cannot_fit", message, None, table, None, len(used), n_rows)
    return PracticeResult(
        therapy, "estimated", None, fit, table, _sensitivity(series, used), len(used), n_rows
    )
