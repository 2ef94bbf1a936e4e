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

__all__ = ["acute_json", "preventive_json", "stats_json", "therapy_json", "verdict_json"]

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
        "recorded_days": window.recorded_days,
        "migraine_days": window.migraine_days,
        "mmd": _json_float(window.mmd),
    }


def preventive_json(result: PreventiveResult) -> dict[str, object]:
    """The ``preventive`` JSON object: the issue's keys, finite numbers or null, unrounded."""
    weekly = result.weekly
    ci = [_json_float(weekly.ci[0]), _json_float(weekly.ci[1])] if weekly.ci is not None else None
    return {
        "verdict": result.verdict,
        "baseline": _window_json(result.baseline),
        "treatment": _window_json(result.treatment),
        "after": _window_json(result.after) if result.after is not None else None,
        "change": _json_float(result.change),
        "percent_change": _json_float(result.percent_change),
        "responder": result.responder,
        "weekly": {
            "change": _json_float(weekly.change),
            "ci": ci,
            "p": _json_float(weekly.p),
            "weeks_before": weekly.weeks_before,
            "weeks_after": weekly.weeks_after,
        },
        "cost_per_migraine_day_avoided": _json_float(result.cost_per_migraine_day_avoided),
        "message": result.message,
        "context": list(result.context),
    }


def stats_json(results: Sequence[TherapyVerdicts]) -> dict[str, Any]:
    """The whole `stats --json` document: each therapy's figures with its two verdicts."""
    return {
        "therapies": [
            {
                **therapy_json(r.stats),
                "acute": acute_json(r.acute),
                "preventive": None if r.prevention is None else preventive_json(r.prevention),
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
        "total_cost": f"{result.stats.cost.total:.2f}",
    }
