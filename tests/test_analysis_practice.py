"""The model across clients (analysis.practice): against statsmodels run directly, against
least squares with client dummies where they agree, known slopes without noise, the gate,
the words, failed fits and the sensitivity refit."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from migraine_diary.analysis import practice
from migraine_diary.analysis.practice import (
    ClientSeries,
    ClientSession,
    analyse_practice,
    fit_model,
    stopped_early,
)
from migraine_diary.errors import DiaryError
from migraine_diary.render.practice import practice_json, sensitivity_line, slope_line

START = datetime(2026, 1, 5, 17, tzinfo=UTC)


def series(client: str, reliefs: Sequence[int], minutes: Sequence[int], *, offset: int = 0,
           every: int = 7) -> ClientSeries:  # fmt: skip
    sessions = tuple(
        ClientSession(START + timedelta(days=offset + every * i), m, 8, 8 - r)
        for i, (r, m) in enumerate(zip(reliefs, minutes, strict=True))
    )
    return ClientSeries(client, sessions)


def noisy_practice(clients: int, seed: int, per_15: float = 0.5) -> list[ClientSeries]:
    rng = np.random.default_rng(seed)
    out = []
    for c in range(clients):
        level = 2 + rng.normal()
        n = int(rng.integers(5, 9))
        minutes = [int(m) for m in rng.choice([30, 45, 60], size=n)]
        reliefs = [
            int(np.clip(round(level + per_15 * (m - 45) / 15 + rng.normal()), -2, 8))
            for m in minutes
        ]
        out.append(series(f"c{c}", reliefs, minutes, offset=c))
    return out


def rows_of(practice_series: Sequence[ClientSeries]) -> list[tuple[str, int, int, float]]:
    return [
        (s.client, n, x.minutes, float(x.relief)) for s in practice_series for n, x in s.with_pain()
    ]


def test_matches_statsmodels_run_directly() -> None:
    import statsmodels.formula.api as smf  # type: ignore[import-untyped]

    data = noisy_practice(8, seed=5)
    result = analyse_practice("massage", data)
    fit = result.fit
    assert result.verdict == "estimated"
    assert fit is not None
    assert fit.method == "mixed"
    assert fit.fallback is None
    rows = rows_of(data)
    frame = {
        "relief": [r[3] for r in rows],
        "length": [r[2] / 15 for r in rows],
        "number": [r[1] for r in rows],
        "client": [r[0] for r in rows],
    }
    import pandas as pd

    direct = smf.mixedlm("relief ~ length + number", pd.DataFrame(frame), groups="client").fit(
        reml=True, method=["powell", "lbfgs"]
    )
    import scipy.stats

    t = scipy.stats.t.ppf(0.975, len(rows) - 8 - 2)
    rho = fit.autocorrelation or 0.0
    allowance = {"length": 1.0, "number": ((1 + rho) / (1 - rho)) ** 0.5}
    for name, slope in (("length", fit.per_15_min), ("number", fit.per_session)):
        assert slope.estimate == pytest.approx(direct.fe_params[name], abs=1e-4)
        half = t * direct.bse_fe[name] * allowance[name]
        assert slope.ci == pytest.approx(
            (direct.fe_params[name] - half, direct.fe_params[name] + half), abs=1e-3
        )
    assert fit.between_client_sd == pytest.approx(float(direct.cov_re.iloc[0, 0]) ** 0.5, rel=1e-3)
    assert fit.clients == 8
    assert fit.sessions == len(rows)
    assert fit.df == len(rows) - 8 - 2


def test_correlated_sessions_widen_only_the_per_session_interval() -> None:
    residuals = np.array([1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0])
    rho = practice.within_autocorrelation(residuals, ["a"] * 4 + ["b"] * 4)
    # pooled lag-1: (1 - 1 + 1) * 2 / 8 = 0.25, plus (1 + 4 x 0.25) / 4
    assert rho == pytest.approx(0.25 + 2 / 4)
    fit = fit_model(rows_of(noisy_practice(8, seed=5)))
    assert fit is not None
    wide = practice._widened(fit, 0.5)
    assert wide.per_15_min == fit.per_15_min
    assert fit.per_session.ci is not None
    assert wide.per_session.ci is not None
    width = fit.per_session.ci[1] - fit.per_session.ci[0]
    assert wide.per_session.ci[1] - wide.per_session.ci[0] == pytest.approx(width * 3**0.5)
    assert practice._widened(fit, -0.2) == fit


def test_balanced_design_equals_least_squares_with_client_dummies() -> None:
    """Every client has the same lengths at the same session numbers: the covariates do not
    differ between clients, so the mixed model's slopes are the within-client ones."""
    minutes = [30, 60, 45, 45, 60, 30]
    rng = np.random.default_rng(3)
    data = [
        series(f"c{c}", [int(v) for v in rng.integers(0, 6, size=6)], minutes) for c in range(6)
    ]
    fit = fit_model(rows_of(data))
    assert fit is not None
    rows = rows_of(data)
    names = sorted({r[0] for r in rows})
    x = np.array([[r[0] == c for c in names] + [r[2] / 15, r[1]] for r in rows], dtype=float)
    y = np.array([r[3] for r in rows])
    coef = np.linalg.lstsq(x, y, rcond=None)[0]
    assert fit.per_15_min.estimate == pytest.approx(coef[-2], abs=1e-6)
    assert fit.per_session.estimate == pytest.approx(coef[-1], abs=1e-6)


def test_client_fixed_effects_equal_least_squares_with_one_dummy_per_client() -> None:
    """The fallback's within transformation (O(rows) memory) gives what the design with one
    dummy column per client gives: slopes, standard errors and residuals, unbalanced too."""
    rows = rows_of(noisy_practice(9, seed=21))
    y, x, groups = practice._design(rows)
    fit = practice._fixed_effects(y, x, groups, "boundary")
    assert fit is not None
    assert fit.df is not None
    names = sorted(set(groups))
    design = np.column_stack([np.array([[g == c for c in names] for g in groups], float), x[:, 1:]])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residuals = y - design @ coef
    df = len(y) - len(names) - 2
    cov = float(residuals @ residuals) / df * np.linalg.inv(design.T @ design)
    t = practice._t(df)
    for slope, k in ((fit.per_15_min, -2), (fit.per_session, -1)):
        assert slope.estimate == pytest.approx(coef[k], abs=1e-9)
        assert slope.ci is not None
        assert (slope.ci[1] - slope.ci[0]) / 2 == pytest.approx(t * cov[k, k] ** 0.5, rel=1e-9)
    within = practice._within(y, x, groups)
    assert within is not None
    assert np.allclose(within[1], residuals, atol=1e-9)
    assert fit.within_sd == pytest.approx(float(residuals @ residuals / df) ** 0.5, rel=1e-9)


def test_known_slope_without_noise_is_recovered_with_no_margin() -> None:
    minutes = [30, 45, 60, 30, 60, 45]
    data = [
        series(f"c{c}", [c + (m - 30) // 15 for m in minutes], minutes, offset=c)
        for c in range(1, 6)
    ]
    result = analyse_practice("shiatsu", data)
    assert result.fit is not None
    assert result.fit.per_15_min.estimate == pytest.approx(1.0)
    assert result.fit.per_session.estimate == pytest.approx(0.0, abs=1e-9)
    assert result.fit.per_15_min.ci is None
    assert result.fit.per_15_min.verdict == "exact"
    assert "no margin of error" in slope_line("per_15_min", result.fit.per_15_min, result.fit)


def test_gate_needs_five_clients_of_five_sessions_and_lists_the_others_apart() -> None:
    minutes = [30, 45, 60, 45, 30]
    data = [series(f"c{c}", [1, 2, 3, 1, 2], minutes) for c in range(4)]
    data.append(series("short", [1, 2, 3, 1], minutes[:4]))
    result = analyse_practice("reiki", data)
    assert result.verdict == "not_enough_data"
    assert result.fit is None
    assert result.message is not None
    assert "at least 5 clients with at least 5 sessions" in result.message
    assert "4 of 5 clients have that many" in result.message
    assert all(not row.in_model for row in result.clients)
    # One more full client: the short one is listed apart, the five are in the model.
    data.append(series("c4", [2, 1, 3, 2, 2], minutes))
    result = analyse_practice("reiki", data)
    assert result.verdict == "estimated"
    assert result.fit is not None
    assert result.fit.clients == 5
    assert result.fit.sessions == 25
    out = {row.client: row.in_model for row in result.clients}
    assert out["short"] is False
    assert sum(out.values()) == 5


def test_one_client_is_not_enough() -> None:
    result = analyse_practice("x", [series("1", [1, 2, 3, 1, 2, 2], [30, 45, 60, 30, 45, 60])])
    assert result.verdict == "not_enough_data"
    assert result.message is not None
    assert "1 of 1 client has that many" in result.message


def test_sessions_at_pain_zero_count_for_the_number_not_for_relief() -> None:
    one = ClientSeries(
        "a",
        (
            ClientSession(START, 30, 0, 0),
            ClientSession(START + timedelta(days=7), 45, 6, 4),
        ),
    )
    assert one.with_pain() == [(2, one.sessions[1])]


def test_words_claim_an_effect_only_when_the_interval_excludes_zero() -> None:
    fit = fit_model(rows_of(noisy_practice(7, seed=11, per_15=0.0)))
    assert fit is not None
    line = slope_line("per_15_min", fit.per_15_min, fit)
    assert fit.per_15_min.ci is not None
    low, high = fit.per_15_min.ci
    if low <= 0 <= high:
        assert line.startswith("longer sessions: no clear effect (")
    assert f"{fit.clients} clients, {fit.sessions} sessions)" in line
    assert practice._direction((0.1, 0.5)) == "more_relief"
    assert practice._direction((-0.5, -0.1)) == "less_relief"
    assert practice._direction((-0.1, 0.5)) == "no_clear_effect"
    assert practice.WORDS["per_15_min"]["no_clear_effect"] == "longer sessions: no clear effect"
    strong = fit_model(rows_of(noisy_practice(12, seed=2, per_15=2.0)))
    assert strong is not None
    assert strong.per_15_min.verdict == "more_relief"
    assert slope_line("per_15_min", strong.per_15_min, strong).startswith(
        "longer sessions: more relief (+"
    )


def test_a_fit_that_warns_it_did_not_converge_is_not_used(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from statsmodels.regression import mixed_linear_model

    real_fit = mixed_linear_model.MixedLM.fit

    def failing(self: object, *args: object, **kwargs: object) -> object:
        result = real_fit(self, *args, **kwargs)
        warnings.warn("Maximum Likelihood optimization failed to converge", stacklevel=1)
        return result

    monkeypatch.setattr(mixed_linear_model.MixedLM, "fit", failing)
    data = rows_of(noisy_practice(8, seed=5))
    fit = fit_model(data)
    assert fit is not None
    assert fit.method == "client_fixed_effects"
    assert fit.fallback == "not_converged"
    assert fit.between_client_sd is None
    # the fallback's figures are least squares with client dummies
    names = sorted({r[0] for r in data})
    x = np.array([[r[0] == c for c in names] + [r[2] / 15, r[1]] for r in data], dtype=float)
    coef = np.linalg.lstsq(x, np.array([r[3] for r in data]), rcond=None)[0]
    assert fit.per_15_min.estimate == pytest.approx(coef[-2])


def test_between_client_variance_on_the_boundary_falls_back_and_says_so() -> None:
    """Every client alike: REML puts the client variance at 0."""
    minutes = [30, 45, 60, 45, 30, 60]
    reliefs = [[1, 3, 2, 2, 1, 3], [2, 2, 1, 3, 2, 1], [3, 1, 2, 1, 2, 2]]
    data = [series(f"c{c}", reliefs[c % 3], minutes) for c in range(6)]
    result = analyse_practice("x", data)
    assert result.fit is not None
    assert result.fit.fallback == "boundary"
    from migraine_diary.render.practice import _method_line

    assert "between-client variance at 0" in _method_line(result.fit)


def test_no_fit_when_length_never_varies() -> None:
    data = [series(f"c{c}", [1, 2, 1, 3, 2], [45] * 5) for c in range(5)]
    result = analyse_practice("x", data)
    assert result.verdict == "cannot_fit"
    assert result.fit is None
    assert result.sensitivity is None
    assert practice_json([result])["across_clients"][0]["fit"] is None


def test_missing_statsmodels_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "statsmodels.regression.mixed_linear_model", None)
    with pytest.raises(DiaryError) as raised:
        fit_model(rows_of(noisy_practice(6, seed=1)))
    assert "pip install 'migraine-diary[practice]'" in raised.value.message
    assert "\n" not in raised.value.message


def test_sensitivity_counts_clients_who_stopped_early_as_not_improved() -> None:
    minutes = [30, 45, 60, 45, 30, 60, 45, 30]
    rng = np.random.default_rng(8)
    data = [
        series(f"c{c}", [int(v) for v in rng.integers(1, 5, size=8)], minutes, offset=c)
        for c in range(6)
    ]
    # two clients came twice and three times, months before the practice's last session
    data.append(series("gone", [3, 4], [45, 60], offset=-200))
    data.append(series("left", [4, 3, 4], [30, 45, 60], offset=-150))
    # one came twice recently: not (yet) stopped
    data.append(series("new", [1, 2], [45, 45], offset=40))
    assert practice.course_length(data) == 8
    assert {c.client for c in stopped_early(data)} == {"gone", "left"}
    result = analyse_practice("x", data)
    sens = result.sensitivity
    assert sens is not None
    assert result.fit is not None
    assert set(sens.stopped) == {"gone", "left"}
    assert sens.imputed_sessions == (8 - 2) + (8 - 3)
    assert sens.fit is not None
    assert sens.fit.sessions == result.fit.sessions + 2 + 3 + sens.imputed_sessions
    assert sens.fit.clients == result.fit.clients + 2
    line = sensitivity_line(sens, result.fit)
    assert line.startswith("Sensitivity: 2 clients stopped before the course ended")
    assert "11 missing sessions as not improved (relief 0)" in line
    assert "becomes" in line
    rows = {r.client: r for r in result.clients}
    assert rows["gone"].stopped_early
    assert not rows["new"].stopped_early


def test_per_client_table_compares_first_and_last_sessions() -> None:
    data = [series(f"c{c}", [1, 1, 2, 3, 4, 4], [30, 45, 60, 30, 45, 60]) for c in range(5)]
    data[0] = series("c0", [1, 3, 2, 3, 4, 4], [30, 45, 60, 30, 45, 60])
    result = analyse_practice("x", data)
    row = next(r for r in result.clients if r.client == "c0")
    assert row.sessions == 6
    assert row.mean_relief == pytest.approx(17 / 6)
    assert row.first_relief == pytest.approx(2.0)
    assert row.last_relief == pytest.approx(4.0)
    short = analyse_practice("x", [series("a", [1, 2, 3], [30, 45, 60])]).clients[0]
    assert short.first_relief is None
    assert short.last_relief is None
