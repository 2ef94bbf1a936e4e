"""Acute-treatment endpoints per treatment, with exact and Newcombe intervals (pure numbers)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from migraine_diary.domain.acute import AFTER, RESCUE_WINDOW, Treatment, level

MIN_RATED = 3  # fewer rated attacks than this: no percentage, only the count
Z95 = 1.959963984540054
ENDPOINTS = (
    "pain_free_2h",
    "relief_2h",
    "sustained_24h",
    "sustained_48h",
    "mbs_free_2h",
    "rescue",
)


def clopper_pearson(k: int, n: int, level_: float = 0.95) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of k successes in n, from the beta distribution."""
    from scipy.stats import beta  # type: ignore[import-untyped]

    if n <= 0 or not 0 <= k <= n:
        raise ValueError("need 0 <= k <= n and n > 0")
    alpha = 1 - level_
    low = 0.0 if k == 0 else float(beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson's score interval of k in n (no continuity correction)."""
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def newcombe_difference(k1: int, n1: int, k2: int, n2: int) -> tuple[float, float, float]:
    """p1 - p2 with Newcombe's hybrid score interval (method 10 of Newcombe 1998), built from
    the two Wilson intervals."""
    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


@dataclass(frozen=True)
class Endpoint:
    """k of n attacks rated for it; share and exact interval only from MIN_RATED on."""

    k: int
    n: int
    share: float | None
    ci: tuple[float, float] | None

    @property
    def too_few(self) -> bool:
        return self.n < MIN_RATED


def endpoint(k: int, n: int) -> Endpoint:
    if n < MIN_RATED:
        return Endpoint(k, n, None, None)
    return Endpoint(k, n, k / n, clopper_pearson(k, n))


@dataclass(frozen=True)
class Outcome:
    """One attack's result for one treatment (its first dose in that attack); None: not rated."""

    attack_id: int
    rated_2h: bool
    pain_free_2h: bool | None
    relief_2h: bool | None  # only when it began moderate or severe
    sustained_24h: bool | None
    sustained_48h: bool | None
    mbs_free_2h: bool | None
    rescue: bool | None  # None: a dose without a time, which cannot be placed
    relapse_24h: bool | None
    relapse_48h: bool | None


@dataclass(frozen=True)
class Later:
    """Something in another attack that may follow a dose: the attack's start, or one of its
    timed medication doses (`dose` True)."""

    attack_id: int
    at: dt.datetime
    dose: bool = True


def later_events(treatments: Sequence[Treatment], starts: Sequence[Later] = ()) -> list[Later]:
    """Every timed medication dose of the treatments, and the attack starts given."""
    doses = [Later(t.attack_id, t.taken_at) for t in treatments
             if t.kind == "medication" and t.timed]  # fmt: skip
    return [*starts, *doses]


def _later_dose(first: Treatment, doses: Sequence[Treatment], hours: float) -> bool:
    """Another medication dose of the attack after this one, within `hours` of it. A dose
    without a time cannot be placed: it is neither the first of such a pair nor the later."""
    end = first.taken_at + dt.timedelta(hours=hours)
    return first.timed and any(
        d is not first and d.kind == "medication" and d.timed
        and first.taken_at <= d.taken_at <= end
        and (d.taken_at, d.number) > (first.taken_at, first.number)
        for d in doses
    )  # fmt: skip


def _other_attack(
    first: Treatment, later: Sequence[Later], hours: float, *, doses_only: bool = False
) -> bool:
    """Another attack starting, or one of its doses taken, after this dose within `hours`."""
    end = first.taken_at + dt.timedelta(hours=hours)
    return first.timed and any(
        e.attack_id != first.attack_id and (e.dose or not doses_only)
        and first.taken_at < e.at <= end
        for e in later
    )  # fmt: skip


def outcome(
    first: Treatment, attack_doses: Sequence[Treatment], later: Sequence[Later] = ()
) -> Outcome:
    """The endpoints of the guidelines for one treated attack.

    Rescue: any further acute dose within 24 h (a dose of another attack too, unless this one
    was pain-free at 2 h: then it is pain again). Relapse: pain-free at 2 h, then pain again
    within 24 or 48 h of the dose: a later rating above 0, a later dose, or another attack
    starting (IHS: recurrence within 48 h). Sustained pain freedom: pain-free at 2 h, no rescue
    and no relapse up to 24 (48) h, known from a rating at that time or from a dose, rating or
    attack that already broke it. A dose without a time is never the first dose of a rescue
    pair (its rescue is unknown, None), nor a rescue, nor evidence of relapse.
    """
    p2 = first.pain_2h
    free = None if p2 is None else p2 == 0
    window = RESCUE_WINDOW.total_seconds() / 3600
    rescue = (
        _later_dose(first, attack_doses, window)
        or (not free and _other_attack(first, later, window, doses_only=True))
        if first.timed
        else None
    )
    relief = None
    if p2 is not None and level(first.at_dose) in ("moderate", "severe"):
        relief = level(p2) in ("none", "mild")
    dose24 = _later_dose(first, attack_doses, AFTER["24h"]) or _other_attack(
        first, later, AFTER["24h"]
    )
    dose48 = _later_dose(first, attack_doses, AFTER["48h"]) or _other_attack(
        first, later, AFTER["48h"]
    )
    p24, p48 = first.pain_24h, first.pain_48h
    relapse24 = relapse48 = sus24 = sus48 = None
    if free is False:
        sus24 = sus48 = False
    elif free:
        broke24 = dose24 or (p24 is not None and p24 > 0)
        broke48 = broke24 or dose48 or (p48 is not None and p48 > 0)
        relapse24 = True if broke24 else (False if p24 is not None else None)
        relapse48 = True if broke48 else (False if p48 is not None else None)
        sus24 = None if relapse24 is None else not relapse24
        sus48 = None if relapse48 is None else not relapse48
    mbs = None
    if first.mbs is not None and first.mbs_gone is not None:
        mbs = first.mbs_gone
    return Outcome(
        first.attack_id, p2 is not None, free, relief, sus24, sus48, mbs, rescue,
        relapse24, relapse48,
    )  # fmt: skip


@dataclass(frozen=True)
class TreatmentRow:
    """One row of `migraine acute`: a medicine, a class or a therapy."""

    kind: str  # "medicine", "class" or "therapy"
    name: str
    attacks: int  # attacks treated, rated or not
    unrated_2h: int  # of those, attacks whose dose has no 2-hour rating
    pain_free_2h: Endpoint
    relief_2h: Endpoint
    sustained_24h: Endpoint
    sustained_48h: Endpoint
    mbs_free_2h: Endpoint
    rescue: Endpoint
    relapse: int  # attacks pain-free at 2 h with pain again within 48 h


def _count(outcomes: Sequence[Outcome], pick: Callable[[Outcome], bool | None]) -> Endpoint:
    values = [v for v in (pick(o) for o in outcomes) if v is not None]
    return endpoint(sum(values), len(values))


def treatment_row(kind: str, name: str, outcomes: Sequence[Outcome]) -> TreatmentRow:
    return TreatmentRow(
        kind=kind,
        name=name,
        attacks=len(outcomes),
        unrated_2h=sum(not o.rated_2h for o in outcomes),
        pain_free_2h=_count(outcomes, lambda o: o.pain_free_2h),
        relief_2h=_count(outcomes, lambda o: o.relief_2h),
        sustained_24h=_count(outcomes, lambda o: o.sustained_24h),
        sustained_48h=_count(outcomes, lambda o: o.sustained_48h),
        mbs_free_2h=_count(outcomes, lambda o: o.mbs_free_2h),
        rescue=_count(outcomes, lambda o: o.rescue),
        relapse=sum(bool(o.relapse_48h) for o in outcomes),
    )


def _ordered(doses: Sequence[Treatment]) -> list[Treatment]:
    return sorted(doses, key=lambda d: (d.taken_at, d.kind != "medication", d.number))


def treatment_rows(
    treatments: Sequence[Treatment], later: Sequence[Later] = ()
) -> list[TreatmentRow]:
    """Rows per medicine by name, per class and per therapy: each attack counts once per row,
    by that treatment's first dose in it. Medicines first, most-treated first. `later`: other
    attacks' starts and doses that may follow a dose (besides the treatments' own doses)."""
    events = later_events(treatments, later)
    by_attack: dict[int, list[Treatment]] = {}
    for t in treatments:
        by_attack.setdefault(t.attack_id, []).append(t)
    groups: dict[tuple[str, str], dict[int, Outcome]] = {}
    for doses in by_attack.values():
        ordered = _ordered(doses)
        for t in ordered:
            keys = (
                [("medicine", t.name), ("class", t.med_class or "unclassified")]
                if t.kind == "medication"
                else [("therapy", t.name)]
            )
            for key in keys:
                seen = groups.setdefault(key, {})
                if t.attack_id not in seen:
                    seen[t.attack_id] = outcome(t, ordered, events)
    order = {"medicine": 0, "class": 1, "therapy": 2}
    rows = [treatment_row(kind, name, list(o.values())) for (kind, name), o in groups.items()]
    return sorted(rows, key=lambda r: (order[r.kind], -r.attacks, r.name.casefold()))


@dataclass(frozen=True)
class DoseRatings:
    """One dose (or session) of an attack with its ratings and what follows from them:
    whether it needed a rescue, relapsed, or was itself a rescue of the first dose."""

    treatment: Treatment
    outcome: Outcome
    rescue_dose: bool  # a further timed dose within 24 hours of the attack's first timed one


def dose_ratings(
    attack_doses: Sequence[Treatment], later: Sequence[Later] = ()
) -> list[DoseRatings]:
    """Each of one attack's doses and sessions in time order, with its derived outcome
    (`later`: other attacks' starts and doses that may follow them)."""
    ordered = _ordered(attack_doses)
    medicines = [t for t in ordered if t.kind == "medication" and t.timed]
    first = medicines[0] if medicines else None
    return [
        DoseRatings(
            t,
            outcome(t, ordered, later),
            first is not None
            and t.kind == "medication"
            and t.timed
            and t is not first
            and t.taken_at - first.taken_at <= RESCUE_WINDOW,
        )
        for t in ordered
    ]


@dataclass(frozen=True)
class Comparison:
    """Pain-free at 2 h, first minus second, with Newcombe's hybrid score interval."""

    first: str
    second: str
    difference: float | None
    ci: tuple[float, float] | None
    caution: str


CAUTION = (
    "the attacks were not randomised to the treatments: a difference may come from which "
    "attacks each was taken for (how bad, how early), not from the medicine"
)


def compare(first: TreatmentRow, second: TreatmentRow) -> Comparison:
    a, b = first.pain_free_2h, second.pain_free_2h
    if a.too_few or b.too_few:
        return Comparison(first.name, second.name, None, None, CAUTION)
    d, low, high = newcombe_difference(a.k, a.n, b.k, b.n)
    return Comparison(first.name, second.name, d, (low, high), CAUTION)
