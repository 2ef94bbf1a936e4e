"""The `--json` shapes of `stats`, `verdict`, `plan`, `acute` and `score list`: the one place
that says their keys.

Unrounded floats (finite, or null), money as exact decimal strings. The figures' types are
imported for type checking only, so importing this module costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from migraine_diary.analysis.acute import Comparison, DoseRatings, Endpoint, TreatmentRow
    from migraine_diary.analysis.plans import Difference, Outcome
    from migraine_diary.analysis.preventive import PreventiveResult, WindowStats
    from migraine_diary.analysis.stats import (
        AcuteVerdict,
        Effect,
        ReliefEstimate,
        Share,
        TherapyStats,
    )
    from migraine_diary.analysis.verdicts import TherapyVerdicts
    from migraine_diary.domain.acute import Score, Treatment
    from migraine_diary.domain.plan import Plan, Slot

__all__ = [
    "acute_json",
    "acute_outcomes_json",
    "acute_row_json",
    "attack_ratings_json",
    "courses_json",
    "endpoint_json",
    "plan_json",
    "plan_result_json",
    "preventive_json",
    "ratings_json",
    "scores_json",
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


def stats_json(
    results: Sequence[TherapyVerdicts], plans: Mapping[str, Sequence[Any]] | None = None
) -> dict[str, Any]:
    """The whole `stats --json` document: each therapy's figures with its two verdicts, and
    the results of its finished randomised plans (diary.plans.PlanResult)."""
    from migraine_diary.render.plans import cent_items

    plans = plans or {}
    return {
        "therapies": [
            {
                **therapy_json(r.stats),
                "acute": acute_json(r.acute),
                "preventive": None if r.prevention is None else preventive_json(r.prevention),
                "courses": courses_json(r.courses),
                "plans": [
                    plan_result_json(p.plan, p.outcome, cent_items(p.plan, p.outcome))
                    for p in plans.get(r.stats.therapy, ())
                ],
                "acute_endpoints": None if r.endpoints is None else acute_row_json(r.endpoints),
            }
            for r in results
        ]
    }


def verdict_json(result: TherapyVerdicts) -> dict[str, Any]:
    """One therapy's line of `verdict --json`: the acute verdict and message from what
    `source` says the column rests on."""
    from migraine_diary.render.acute import pain_free_sentence

    return {
        "therapy": result.stats.therapy,
        "sessions": result.stats.sessions,
        "acute": {
            "verdict": result.acute_verdict,
            "message": result.acute.message
            if result.acute_source != "pain_free_2h" or result.pain_free_2h is None
            else pain_free_sentence(result.pain_free_2h),
            # What the acute column rests on: "pain_free_2h" (sessions during attacks rated
            # at 2 hours, at least 3) or "session_relief" (relief right after a session).
            "source": result.acute_source,
            "pain_free_2h": None
            if result.pain_free_2h is None
            else endpoint_json(result.pain_free_2h),
        },
        "preventive": {
            "verdict": result.preventive_word,
            "message": result.preventive_message,
        },
        "courses": courses_json(result.courses),
        "total_cost": f"{result.stats.cost.total:.2f}",
    }


# ------------------------------------------------------------------------------ plans


def _plan_head(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "therapy": plan.therapy,
        "kind": plan.kind,
        "arms": list(plan.arms),
        "design": plan.design,
        "seed": plan.seed,
    }


def plan_created_json(plan: Plan) -> dict[str, Any]:
    """`plan new --json`: the plan without its future sequence."""
    return {
        **_plan_head(plan),
        "n_blocks": plan.n_blocks,
        "mid": plan.mid,
        "blocks_for_80_power": plan.blocks_for_80_power,
    }


def _slot_json(plan: Plan, slot: Slot) -> dict[str, Any]:
    data: dict[str, Any] = {"slot": slot.slot, "arm": plan.arms[slot.arm]}
    if plan.kind == "periods":
        first, last = plan.period(slot.block, slot.slot)
        data["from"], data["to"] = first.isoformat(), last.isoformat()
        data["recorded_days"] = slot.recorded_days
        data["analysed_days"] = slot.analysed_days
    else:
        data["session_id"] = slot.session_id
    data["outcome"] = _json_float(slot.outcome)
    data["deviation"] = slot.deviation
    return data


def _blocks_json(plan: Plan, slots: Sequence[Slot]) -> list[dict[str, Any]]:
    blocks: dict[int, list[dict[str, Any]]] = {}
    for slot in slots:
        blocks.setdefault(slot.block, []).append(_slot_json(plan, slot))
    return [{"block": block, "slots": shown} for block, shown in sorted(blocks.items())]


def _deviations_json(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "at": d.at.isoformat(),
            "what": d.what,
            "block": d.block,
            "slot": d.slot,
            "session_id": d.session_id,
        }
        for d in plan.deviations
    ]


def plan_json(plan: Plan, slots: Sequence[Slot], status: str) -> dict[str, Any]:
    """`plan show --json`, and one plan in a whole-diary document: `slots` are those that may
    be shown (Plan.shown_slots), so the future sequence stays concealed."""
    return {
        **_plan_head(plan),
        "algorithm": plan.algorithm,
        "n_blocks": plan.n_blocks,
        "mid": plan.mid,
        "status": status,
        "created": plan.created.isoformat(),
        "period_days": plan.period_days,
        "washout_days": plan.washout_days,
        "blocks_for_80_power": plan.blocks_for_80_power,
        "power_basis": plan.power_basis,
        "revealed": plan.revealed,
        "abandoned": plan.abandoned.isoformat() if plan.abandoned else None,
        "reason": plan.reason,
        "blocks": _blocks_json(plan, slots),
        "deviations": _deviations_json(plan),
    }


def _difference_json(diff: Difference) -> dict[str, Any]:
    return {
        "mean": _json_float(diff.mean),
        "ci": None if diff.ci is None else [diff.ci[0], diff.ci[1]],
        "p_randomisation": diff.p_randomisation,
        "n_blocks": diff.n_blocks,
        "blocks": list(diff.blocks),
    }


def plan_result_json(
    plan: Plan, outcome: Outcome, cent: Sequence[tuple[str, str]]
) -> dict[str, Any]:
    """`plan result --json`; a withheld result (too_early) carries no figures."""
    early = outcome.verdict == "too_early"
    return {
        **_plan_head(plan),
        "blocks": [] if early else _blocks_json(plan, plan.slots),
        "difference": None if early else _difference_json(outcome.difference),
        "as_given": None if early else _difference_json(outcome.as_given),
        "verdict": outcome.verdict,
        "favoured_arm": (None if outcome.favoured_arm is None else plan.arms[outcome.favoured_arm]),
        "reaches_mid": outcome.reaches_mid,
        "mid": plan.mid,
        "deviations": _deviations_json(plan),
        "missing_blocks": list(outcome.missing),
        "interim": outcome.interim,
        "cent": {name.lower().replace(" ", "_"): text for name, text in cent},
    }


def plan_next_json(plan: Plan, today: date) -> dict[str, Any]:
    """`plan next --json`: only the next slot (for periods: the one running, or the first)."""
    data: dict[str, Any] = {"plan": plan.id, "status": plan.status(today)}
    if data["status"] != "active":
        return {**data, "block": None, "slot": None, "arm": None}
    if plan.kind != "periods":
        slot = plan.next_slot()
        assert slot is not None
        return {**data, "block": slot.block, "slot": slot.slot, "arm": plan.arms[slot.arm]}
    running = plan.period_on(today)
    current = running if running is not None else plan.slots[0]
    stored = next(s for s in plan.slots if (s.block, s.slot) == (current.block, current.slot))
    first, last = plan.period(current.block, current.slot)
    return {
        **data,
        "block": current.block,
        "slot": current.slot,
        "arm": plan.arms[current.arm],
        "from": first.isoformat(),
        "to": last.isoformat(),
        "sessions_planned": plan.arms[current.arm] == "on",
        "running": running is not None,
        "counted_from": plan.analysed(current.block, current.slot)[0].isoformat(),
        "recorded_days": stored.recorded_days or 0,
    }


def plan_status_json(plan: Plan, today: date, end: date | None) -> dict[str, Any]:
    """`plan status --json`."""
    if plan.kind == "periods":
        over = [s for s in plan.slots if plan.period(s.block, s.slot)[1] < today]
        done, planned = len(over), len(plan.slots) - len(over)
        missing = [[s.block, s.slot] for s in over if s.outcome is None]
    else:
        done = sum(1 for s in plan.slots if s.session_id is not None)
        planned = len(plan.slots) - done
        missing = []
    return {
        "id": plan.id,
        "therapy": plan.therapy,
        "status": plan.status(today),
        "slots_done": done,
        "slots_planned": planned,
        "deviations": _deviations_json(plan),
        "missing_outcomes": missing,
        "expected_end": end.isoformat() if end else None,
    }


# --- acute outcomes and scores (issue 18): the shapes `acute`, `attack due` and `score list`
# print with --json, and the whole-diary export carries.


def endpoint_json(ep: Endpoint) -> dict[str, Any]:
    return {"k": ep.k, "n": ep.n, "share": ep.share, "ci": _ci(ep.ci), "too_few": ep.too_few}


def acute_row_json(row: TreatmentRow) -> dict[str, Any]:
    from migraine_diary.analysis.acute import ENDPOINTS

    return {
        "kind": row.kind,
        "name": row.name,
        "attacks": row.attacks,
        "unrated_2h": row.unrated_2h,
        **{name: endpoint_json(getattr(row, name)) for name in ENDPOINTS},
        "relapse": row.relapse,
    }


def acute_outcomes_json(
    rows: Sequence[TreatmentRow],
    comparison: Comparison | None,
    doses: int,
    unrated: int,
    untimed: int = 0,
) -> dict[str, Any]:
    """The `migraine acute --json` document."""
    return {
        "treatments": [acute_row_json(r) for r in rows],
        "doses": doses,
        "doses_without_2h_rating": unrated,
        "doses_untimed": untimed,
        "comparison": None
        if comparison is None
        else {
            "first": comparison.first,
            "second": comparison.second,
            "pain_free_2h_difference": comparison.difference,
            "ci": _ci(comparison.ci),
            "method": "Newcombe hybrid score (method 10)",
            "caution": comparison.caution,
        },
    }


def ratings_json(treatments: Sequence[Treatment]) -> list[dict[str, Any]]:
    """Every dose and session during an attack with its ratings (for the export)."""
    return [t.to_json() for t in treatments]


def scores_json(scores: Sequence[Score]) -> list[dict[str, Any]]:
    """`migraine score list --json`: each score with its grade and change."""
    return [s.to_json() for s in scores]


def attack_ratings_json(mbs: str | None, doses: Sequence[DoseRatings]) -> dict[str, Any]:
    """What `attack show --json` adds: the most bothersome symptom, each dose's ratings and
    the rescue and relapse derived from them (never typed)."""
    return {
        "mbs": mbs,
        "ratings": [
            {
                **d.treatment.to_json(),
                "rescue_needed": d.outcome.rescue,
                "rescue_dose": d.rescue_dose,
                "relapse_24h": d.outcome.relapse_24h,
                "relapse_48h": d.outcome.relapse_48h,
            }
            for d in doses
        ],
    }
