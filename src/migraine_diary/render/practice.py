"""Text and JSON for `stats --all-clients`: the model across clients in words, each figure with
the clients and sessions it rests on, the per-client table beside it, the sensitivity line."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from migraine_diary.analysis.intervals import interval_text
from migraine_diary.analysis.practice import (
    MIN_CLIENTS,
    MIN_SESSIONS,
    WORDS,
    ClientRow,
    ModelFit,
    PracticeResult,
    Sensitivity,
    Slope,
)
from migraine_diary.domain.words import plural, verb
from migraine_diary.render.format import one_decimal, signed, visible
from migraine_diary.render.stats import INDENT, say, underline, width
from migraine_diary.render.tables import Column, table

MODEL = "relief ~ minutes/15 + session_number + (1 | client)"
UNITS = {"per_15_min": "points per 15 minutes", "per_session": "points per session"}
LABELS = {"per_15_min": "per 15 minutes", "per_session": "per session"}
FALLBACK = {
    "not_converged": "the mixed model did not converge",
    "boundary": "the mixed model put the between-client variance at 0 (on its boundary)",
}
CAUTION = (
    "Keep in mind: lengths were chosen, not assigned at random, and clients who came for "
    "more sessions may differ from those who did not: these are patterns across the "
    "practice, not proof of what caused them."
)
CLIENT_COLUMNS = (
    Column("client", figure=False, narrowest=10),
    Column("sessions", justify="right"),
    Column("with pain", justify="right"),
    Column("mean relief", justify="right"),
    Column("first 2", justify="right"),
    Column("last 2", justify="right"),
    Column("in model", figure=False, narrowest=8),
)


def _rests_on(fit: ModelFit) -> str:
    return f"{plural(fit.clients, 'client')}, {plural(fit.sessions, 'session')}"


def slope_line(name: str, slope: Slope, fit: ModelFit) -> str:
    """'longer sessions: no clear effect (+0.2 points per 15 minutes, 95% interval -0.1 to
    +0.4; 7 clients, 52 sessions)': the words first, then what they rest on."""
    figure = f"{signed(slope.estimate)} {UNITS[name]}"
    if slope.ci is not None:
        figure += f", 95% interval {interval_text(*slope.ci)}"
    return f"{WORDS[name][slope.verdict]} ({figure}; {_rests_on(fit)})"


def _method_line(fit: ModelFit) -> str:
    if fit.method == "mixed":
        spread = (
            f"Clients differ by {one_decimal(fit.between_client_sd)} points of relief (SD), "
            f"sessions within a client by {one_decimal(fit.within_sd)}."
        )
        return f"REML fit of {MODEL} (statsmodels MixedLM). {spread}"
    how = (
        "the slopes come from least squares with one intercept per client (client fixed "
        "effects: the same two slopes, estimated within clients only)."
    )
    if fit.fallback is None:  # an exact fit, which the mixed model cannot make
        return f"The sessions fit the model exactly (no residual at all), so {how}"
    why = FALLBACK.get(fit.fallback, "the mixed model could not be used")
    return f"{why[0].upper()}{why[1:]}, so {how}"


def sensitivity_line(sens: Sensitivity, fit: ModelFit) -> str:
    """How the estimates move when clients who stopped early count as not improved."""
    rule = (
        f"fewer sessions than the usual course, the median of {sens.course_length} a client, "
        f"and none in the last {sens.quiet_days} days of the data"
    )
    if not sens.stopped:
        return f"Sensitivity: no client stopped before the course ended ({rule})."
    who = plural(len(sens.stopped), "client")
    head = (
        f"Sensitivity: {who} stopped before the course ended ({rule}); counting their "
        f"{plural(sens.imputed_sessions, 'missing session')} as not improved (relief 0)"
    )
    if sens.fit is None:
        return f"{head}, the refit cannot be made."
    refit = sens.fit
    moves = []
    for name in ("per_15_min", "per_session"):
        before, after = getattr(fit, name), getattr(refit, name)
        text = f"{LABELS[name]} {signed(before.estimate)} becomes {signed(after.estimate)}"
        if after.ci is not None:
            text += f" (95% interval {interval_text(*after.ci)}: {WORDS[name][after.verdict]})"
        moves.append(text)
    return f"{head}: " + "; ".join(moves) + f" ({_rests_on(refit)})."


def _client_cells(row: ClientRow) -> list[str]:
    return [
        row.client,
        str(row.sessions),
        str(row.with_pain),
        signed(row.mean_relief),
        signed(row.first_relief),
        signed(row.last_relief),
        ("yes" if row.in_model else "no") + (", stopped early" if row.stopped_early else ""),
    ]


def practice_section(result: PracticeResult) -> None:
    """One therapy across clients."""
    title = f"{visible(result.therapy)} across clients"
    if result.fit is not None:
        title += f": {_rests_on(result.fit)} in the model"
    say(Text(title, style="bold"))
    say(underline(title))
    if result.message is not None:
        say(visible(result.message))
    fit = result.fit
    if fit is not None:
        say(_method_line(fit), indent=INDENT)
        for name in ("per_15_min", "per_session"):
            say(slope_line(name, getattr(fit, name), fit), indent=INDENT)
        if fit.df is None:
            say("Data this tidy gives no margin of error.", indent=INDENT)
        if result.sensitivity is not None:
            say(sensitivity_line(result.sensitivity, fit), indent=INDENT)
        say(Text(CAUTION, style="dim"), indent=INDENT)
    if len(result.clients) > 1:
        out = sum(1 for c in result.clients if not c.in_model)
        say("")
        say(
            f"Per client ({plural(len(result.clients), 'client')}; "
            f"{out} {verb(out, 'is', 'are')} not in the model: the model needs "
            f"{MIN_SESSIONS} sessions with pain a client and {MIN_CLIENTS} such clients)"
        )
        say(table(CLIENT_COLUMNS, [_client_cells(c) for c in result.clients], width=width()))


def practice_sections(results: Sequence[PracticeResult]) -> None:
    for index, result in enumerate(results):
        if index:
            say("")
        practice_section(result)


# --- JSON ----------------------------------------------------------------------------------------


def _slope_json(slope: Slope) -> dict[str, Any]:
    ci = None if slope.ci is None else [slope.ci[0], slope.ci[1]]
    return {"estimate": slope.estimate, "ci": ci, "verdict": slope.verdict}


def _fit_json(fit: ModelFit | None) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {
        "method": fit.method,
        "fallback": fit.fallback,
        "clients": fit.clients,
        "sessions": fit.sessions,
        "df": fit.df,
        "between_client_sd": fit.between_client_sd,
        "within_sd": fit.within_sd,
        "per_15_min": _slope_json(fit.per_15_min),
        "per_session": _slope_json(fit.per_session),
    }


def practice_json(results: Sequence[PracticeResult]) -> dict[str, Any]:
    """The `stats --all-clients --json` document; numbers unrounded, a missing figure null."""
    out = []
    for r in results:
        sens = r.sensitivity
        out.append(
            {
                "therapy": r.therapy,
                "model": MODEL,
                "verdict": r.verdict,
                "message": r.message,
                "gate": {
                    "min_clients": MIN_CLIENTS,
                    "min_sessions": MIN_SESSIONS,
                    "eligible_clients": r.eligible_clients,
                },
                "fit": _fit_json(r.fit),
                "clients": [
                    {
                        "client": c.client,
                        "sessions": c.sessions,
                        "with_pain": c.with_pain,
                        "mean_relief": c.mean_relief,
                        "first_relief": c.first_relief,
                        "last_relief": c.last_relief,
                        "in_model": c.in_model,
                        "stopped_early": c.stopped_early,
                    }
                    for c in r.clients
                ],
                "sensitivity": None
                if sens is None
                else {
                    "course_length": sens.course_length,
                    "quiet_days": sens.quiet_days,
                    "stopped_early": list(sens.stopped),
                    "imputed_sessions": sens.imputed_sessions,
                    "fit": _fit_json(sens.fit),
                    "problem": sens.problem,
                },
            }
        )
    return {"across_clients": out}
