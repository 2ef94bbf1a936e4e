"""The `--json` shapes of `stats` and `verdict`: the one place that says which keys they carry.

Unrounded floats (finite, or null), money as exact decimal strings. The figures' types are
imported for type checking only, so importing this module costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migraine_diary.analysis.preventive import PreventiveResult, WindowStats
    from migraine_diary.analysis.stats import (
        AcuteVerdict,
        Effect,
        ReliefEstimate,
        Share,
        TherapyStats,
    )
    from migraine_diary.analysis.verdicts import TherapyVerdicts

__all__ = [
    "acute_json",
    "courses_json",
    "preventive_json",
    "stats_json",
    "therapy_json",
    "verdict_json",
]

CENT = Decimal("0.01")
SHARES = ("any_relief", "important_relief", "half_reduction", "pain_free", "worse")


def _ci(ci: tuple[float, float | None] | None) -> list[float | None] | None:
    return None if ci is None else [ci[0], ci[1]]


def _share_json(share: Share) -> dict[str, Any]:
    return {"k": share.k, "n": share.n, "share": share.share, "ci": _ci(share.ci)}


def _effect_json(effect: Effect | None) -> dict[str, Any] | None:
    return None if effect is None else {"estimate": effect.estimate, "ci": _ci(effect.ci)}


def _relief_json(rel: ReliefEstimate) -> dict[str, Any]:
    return {
        "n": rel.n,
        "mean": rel.mean,
        "ci": _ci(rel.ci),
        "median": rel.median,
        "median_ci": _ci(rel.median_ci),
        "all_same": rel.all_same,
        "sign_p": rel.sign_p,
        "autocorrelation": rel.autocorrelation,
        "effective_n": rel.effective_n,
        "assumed_autocorrelation": rel.assumed_autocorrelation,
    }


def therapy_json(stats: TherapyStats) -> dict[str, Any]:
    """The `stats --json` object for one therapy's session figures."""
    rel, lvn, dur, cost = stats.relief, stats.length_vs_number, stats.durability, stats.cost
    fragile = (
        None
        if lvn.fragile_session_number is None
        else {"id": lvn.fragile_session_id, "number": lvn.fragile_session_number}
    )
    return {
        "therapy": stats.therapy,
        "sessions": stats.sessions,
        "excluded_no_pain": stats.excluded_no_pain,
        "relief": _relief_json(rel),
        "shares": {name: _share_json(getattr(stats.shares, name)) for name in SHARES},
        "by_length": [
            {
                "label": g.label,
                "minutes_low": g.minutes_low,
                "minutes_high": g.minutes_high,
                "n": g.n,
                "mean_relief": g.mean_relief,
            }
            for g in stats.by_length
        ],
        "by_session_number": [
            {"number": g.number, "n": g.n, "mean_relief": g.mean_relief}
            for g in stats.by_session_number
        ],
        "points": [
            {
                "number": p.number,
                "id": p.id,
                "when": p.when.isoformat(),
                "minutes": p.minutes,
                "relief": p.relief,
            }
            for p in stats.points
        ],
        "length_vs_number": {
            "verdict": lvn.verdict,
            "n": lvn.n,
            "r": lvn.r,
            "per_15_min": _effect_json(lvn.per_15_min),
            "per_session": _effect_json(lvn.per_session),
            "message": lvn.message,
            "next_step": lvn.next_step,
            "note": lvn.note,
            "fragile_session": fragile,
        },
        "durability": {
            "n": dur.n,
            "held": dur.held,
            "share": dur.share,
            "ci": _ci(dur.ci),
            "mean_rebound": dur.mean_rebound,
            "relieved": dur.relieved,
            "without_later": dur.without_later,
        },
        "cost": {
            "total": f"{cost.total.quantize(CENT):.2f}",
            "per_relief_point": cost.per_relief_point,
            "per_relief_point_range": _ci(cost.per_relief_point_range),
            "per_important_relief_session": cost.per_important_relief_session,
        },
    }


def acute_json(acute: AcuteVerdict) -> dict[str, Any]:
    """The `acute` object: the verdict, the relief it rests on, and the two sides."""
    return {
        "verdict": acute.verdict,
        "basis": acute.basis,
        "relief": _relief_json(acute.relief),
        "during_attack": _relief_json(acute.during_attack),
        "other": _relief_json(acute.other),
        "message": acute.message,
    }


def _json_float(value: float | None) -> float | None:
    """Plain finite float or null: JSON must never carry NaN or infinity."""
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _window_json(window: WindowStats) -> dict[str, object]:
    """JSON shape of one window (the issue's contract)."""
    return {
        "from": window.start.isoformat(),
        "to": window.end.isoformat(),
        "recorded_days": window.recorded_days,
        "migraine_days": window.migraine_days,
        "mmd": _json_float(window.mmd),
    }


def _pair_json(pair: tuple[float | None, float | None] | None) -> list[float | None] | None:
    """An interval as two finite numbers or null ends (null: unbounded)."""
    return None if pair is None else [_json_float(pair[0]), _json_float(pair[1])]


def preventive_json(result: PreventiveResult) -> dict[str, object]:
    """One course's JSON object: the issue's keys, finite numbers or null, unrounded."""
    rate = result.rate
    return {
        "first_session": result.first_session.isoformat(),
        "last_session": result.last_session.isoformat(),
        "sessions": result.sessions,
        "verdict": result.verdict,
        "baseline": _window_json(result.baseline),
        "treatment": _window_json(result.treatment),
        "treatment_planned_to": result.planned_end.isoformat(),
        "change": {"estimate": _json_float(result.change), "ci": _pair_json(result.change_ci)},
        "rate_ratio": {
            "estimate": None if rate is None else _json_float(rate.estimate),
            "ci": None if rate is None else _pair_json(rate.ci),
            "p": None if rate is None else _json_float(rate.p),
            "dispersion": None if rate is None else _json_float(rate.dispersion),
            "weeks": None if rate is None else rate.weeks,
        },
        "percent_change": _json_float(result.percent_change),
        "responder": result.responder,
        "cost_per_migraine_day_avoided": _json_float(result.cost_per_migraine_day_avoided),
        "cost_range": _pair_json(result.cost_range),
        "cost_reason": result.cost_reason,
        "message": result.message,
        "context": list(result.context),
    }


def courses_json(results: Sequence[PreventiveResult]) -> list[dict[str, object]]:
    """Every course of a therapy, newest first."""
    return [preventive_json(r) for r in results]


def stats_json(results: Sequence[TherapyVerdicts]) -> dict[str, Any]:
    """The whole `stats --json` document: each therapy's figures with its two verdicts."""
    return {
        "therapies": [
            {
                **therapy_json(r.stats),
                "acute": acute_json(r.acute),
                "preventive": None if r.prevention is None else preventive_json(r.prevention),
                "courses": courses_json(r.courses),
            }
            for r in results
        ]
    }


def verdict_json(result: TherapyVerdicts) -> dict[str, Any]:
    """One therapy's line of `verdict --json`."""
    return {
        "therapy": result.stats.therapy,
        "sessions": result.stats.sessions,
        "acute": {"verdict": result.acute.verdict, "message": result.acute.message},
        "preventive": {
            "verdict": result.preventive_word,
            "message": result.preventive_message,
        },
        "courses": courses_json(result.courses),
        "total_cost": f"{result.stats.cost.total:.2f}",
    }
