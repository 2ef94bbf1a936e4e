"""Randomised plans as use cases: make one, tell the next slot, fill slots from logged
sessions, reveal, abandon, and judge the result."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from migraine_diary import storage as db
from migraine_diary.domain import plan as rules
from migraine_diary.domain.dates import day_start, from_storage, local_day, to_storage
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.plan import Deviation, Plan, PlanSpec, Slot
from migraine_diary.errors import DiaryError, InputError, field_error

if TYPE_CHECKING:
    from migraine_diary.analysis.plans import Outcome


@dataclass(frozen=True)
class Created:
    """A new plan and what its power calculation said."""

    plan: Plan
    power: float  # with the plan's number of blocks


@dataclass(frozen=True)
class PlanResult:
    plan: Plan
    outcome: Outcome
    today: dt.date


def _no_plan(plan_id: int) -> DiaryError:
    return DiaryError(f"no plan with id {plan_id}; see the plans with: {command_line('plan')}")


def _therapy_id(conn: Any, name: str, *, allow_new: bool) -> int:
    """A therapy in use in the diary; a new one only with --new-therapy."""
    from migraine_diary.diary.therapies import in_use_keys, unknown_therapy
    from migraine_diary.domain.models import therapy_key

    key = therapy_key(name)
    known = in_use_keys(conn)
    if key not in known and not allow_new:
        raise unknown_therapy(name, known, may_add=True)
    found = db.therapy_by_key(conn, key)
    return found[0] if found is not None else db.add_therapy(conn, " ".join(name.split()), key)


# ---------------------------------------------------------------------------- making


def create_plan(
    diary: db.Diary, spec: PlanSpec, now: dt.datetime, *, new_therapy: bool = False
) -> Created:
    """Draw the whole sequence, lock it with its seed, and store it; one transaction."""
    from migraine_diary.analysis import plans as analysis

    seed = spec.seed if spec.seed is not None else secrets.randbits(32)
    with diary.transaction() as conn:
        therapy_id = _therapy_id(conn, spec.therapy, allow_new=new_therapy)
        other_id = None
        if spec.kind == rules.KIND_THERAPIES:
            other_id = _therapy_id(conn, str(spec.arms[1]), allow_new=new_therapy)
            if other_id == therapy_id:
                raise InputError(f"versus must name another therapy than {spec.therapy!r}")
        ids = [therapy_id] + ([other_id] if other_id is not None else [])
        for plan_id in db.active_plan_ids(conn, ids):
            if load_plan(conn, plan_id, now).status(local_day(now)) == rules.STATUS_ACTIVE:
                raise DiaryError(
                    f"{spec.therapy!r} already has an active plan (plan {plan_id}): finish it, "
                    f"or end it with '{command_line(f'plan abandon {plan_id} --reason TEXT')}'"
                )
        relief = [
            float(before - after)
            for _, _, _, before, after in db.therapy_sessions(conn, therapy_id)
            if before > 0
        ]
        sd, basis = analysis.block_sd(spec.kind, relief)
        needed = analysis.blocks_for_power(spec.mid, sd)
        if needed is not None and spec.design == "abba":
            needed += needed % 2
        power = analysis.power(spec.n_blocks, spec.mid, sd)
        sequence = rules.allocate(len(spec.arms), spec.n_blocks, spec.design, seed)
        start = local_day(now) + dt.timedelta(days=1) if spec.kind == rules.KIND_PERIODS else None
        plan_id = db.insert_plan(
            conn,
            {
                "therapy_id": therapy_id,
                "other_therapy_id": other_id,
                "kind": spec.kind,
                "arms": json.dumps(list(spec.arms)),
                "design": spec.design,
                "seed": seed,
                "algorithm": rules.ALGORITHM,
                "n_blocks": spec.n_blocks,
                "mid": spec.mid,
                "created": to_storage(now),
                "start": start.isoformat() if start else None,
                "period_days": spec.period_days,
                "washout_days": spec.washout_days,
                "power_blocks": needed,
                "power_basis": basis,
            },
            [
                {"block": b, "slot": s, "arm": arm}
                for b, order in enumerate(sequence, 1)
                for s, arm in enumerate(order, 1)
            ],
        )
        plan = load_plan(conn, plan_id, now)
    return Created(plan, power)


# --------------------------------------------------------------------------- reading


def _plan_from_row(row: tuple[Any, ...]) -> dict[str, Any]:
    (
        plan_id,
        therapy,
        kind,
        arms,
        design,
        seed,
        algorithm,
        n_blocks,
        mid,
        created,
        start,
        period_days,
        washout_days,
        power_blocks,
        power_basis,
        revealed,
        abandoned,
        reason,
        *_,
    ) = row
    return {
        "id": plan_id,
        "therapy": therapy,
        "kind": kind,
        "arms": tuple(json.loads(arms)),
        "design": design,
        "seed": int(seed),
        "algorithm": algorithm,
        "n_blocks": n_blocks,
        "mid": float(mid),
        "created": from_storage(created),
        "start": dt.date.fromisoformat(start) if start else None,
        "period_days": period_days,
        "washout_days": washout_days,
        "blocks_for_80_power": power_blocks,
        "power_basis": power_basis,
        "revealed": bool(revealed),
        "abandoned": from_storage(abandoned) if abandoned else None,
        "reason": reason,
    }


def load_plan(conn: Any, plan_id: int, now: dt.datetime) -> Plan:
    """A plan with its slots and deviations as the diary holds them now: a session edited or
    deleted later changes what its slot says."""
    rows = db.plan_rows(conn, plan_id)
    if not rows:
        raise _no_plan(plan_id)
    row = rows[0]
    therapy_id, other_id = row[18], row[19]
    fields = _plan_from_row(row)
    base = Plan(**fields, slots=(), deviations=())
    stored = [
        Deviation(from_storage(at), what, block, slot, session_id)
        for at, what, block, slot, session_id in db.deviation_rows(conn, plan_id)
    ]
    derived: list[Deviation] = []
    slots: list[Slot] = []
    if base.kind == rules.KIND_PERIODS:
        slots, derived = _periods(conn, base, therapy_id, now)
    else:
        for (
            block,
            number,
            arm,
            sid,
            when,
            given_tid,
            given_name,
            minutes,
            before,
            after,
        ) in db.slot_rows(conn, plan_id):
            if sid is None:
                slots.append(Slot(block, number, arm))
                continue
            moment = from_storage(when)
            if base.kind == rules.KIND_LENGTH:
                given = f"{minutes} minutes"
                planned = int(base.arms[arm])
                off = abs(minutes - planned) > rules.MINUTES_TOLERANCE
                deviation = f"{planned} minutes planned, {minutes} given" if off else None
            else:
                given = given_name
                wanted = therapy_id if arm == 0 else other_id
                deviation = (
                    f"{base.arms[arm]} planned, {given_name} given" if given_tid != wanted else None
                )
            slots.append(
                Slot(block, number, arm, sid, moment, given, float(before - after), deviation)
            )
            if deviation is not None:
                derived.append(
                    Deviation(
                        moment, f"block {block}, slot {number}: {deviation}", block, number, sid
                    )
                )
    deviations = sorted([*stored, *derived], key=lambda d: d.at)
    return Plan(**fields, slots=tuple(slots), deviations=tuple(deviations))


def _periods(
    conn: Any, base: Plan, therapy_id: int, now: dt.datetime
) -> tuple[list[Slot], list[Deviation]]:
    """Each period's recorded days and migraine days per 28 after its washout (the day rules of
    diary/days and analysis/preventive), and every session logged in an off period."""
    from migraine_diary.analysis.preventive import window_stats
    from migraine_diary.diary.days import day_table

    assert base.start is not None
    assert base.last_day is not None
    today = local_day(now)
    statuses = day_table(conn, base.start, base.last_day, now).statuses
    slots: list[Slot] = []
    for block, number, arm, *_ in db.slot_rows(conn, base.id):
        first, last = base.analysed(block, number)
        counted_to = min(last, today)
        outcome = recorded = None
        if first <= counted_to:
            window = window_stats(statuses, first, counted_to)
            recorded = window.recorded_days
            if last < today:
                outcome = window.mmd
        slots.append(
            Slot(
                block,
                number,
                arm,
                outcome=outcome,
                recorded_days=recorded or 0,
                analysed_days=(last - first).days + 1,
            )
        )
    deviations = []
    sessions = db.therapy_sessions(
        conn,
        therapy_id,
        to_storage(day_start(base.start)),
        to_storage(day_start(base.last_day + dt.timedelta(days=1))),
    )
    by_period = {(s.block, s.slot): s for s in slots}
    drawn = replace(base, slots=tuple(slots))
    for sid, when, *_ in sessions:
        moment = from_storage(when)
        period = drawn.period_on(local_day(moment))
        if period is None:
            continue
        slot = by_period[(period.block, period.slot)]
        if base.arms[slot.arm] == rules.OFF:
            deviations.append(
                Deviation(
                    moment,
                    f"block {slot.block}, period {slot.slot}: a session on "
                    f"{local_day(moment)} in an off period",
                    slot.block,
                    slot.slot,
                    sid,
                )
            )
    marked = {d.block: d.what for d in deviations}
    slots = [
        replace(s, deviation=marked[s.block])
        if base.arms[s.arm] == rules.OFF and s.block in marked
        else s
        for s in slots
    ]
    return slots, deviations


def get_plan(diary: db.Diary | None, plan_id: int, now: dt.datetime) -> Plan:
    if diary is None:
        raise _no_plan(plan_id)
    with diary.connect() as conn:
        return load_plan(conn, plan_id, now)


def list_plans(diary: db.Diary | None, now: dt.datetime) -> list[Plan]:
    if diary is None:
        return []
    with diary.connect() as conn:
        return [load_plan(conn, row[0], now) for row in db.plan_rows(conn)]


def current_plan(diary: db.Diary | None, plan_id: int | None, now: dt.datetime) -> Plan:
    """The plan asked for, or the only active one."""
    if plan_id is not None:
        return get_plan(diary, plan_id, now)
    active = [p for p in list_plans(diary, now) if p.status(local_day(now)) == "active"]
    if not active:
        raise DiaryError(
            "no active plan; make one with: " + command_line("plan new THERAPY --compare 45,30")
        )
    if len(active) > 1:
        ids = ", ".join(str(p.id) for p in active)
        raise DiaryError(
            f"{len(active)} plans are active ({ids}): name one, e.g. "
            f"'{command_line(f'plan next {active[0].id}')}'"
        )
    return active[0]


def reveal(diary: db.Diary, plan_id: int, now: dt.datetime) -> Plan:
    """Show the sequence before the plan ends: recorded as a deviation, once."""
    with diary.transaction() as conn:
        plan = load_plan(conn, plan_id, now)
        if plan.status(local_day(now)) == rules.STATUS_ACTIVE and not plan.revealed:
            db.set_revealed(conn, plan_id)
            db.add_deviation(
                conn,
                plan_id,
                {"at": to_storage(now), "what": "the sequence was revealed before the plan ended"},
            )
        return load_plan(conn, plan_id, now)


def abandon(diary: db.Diary, plan_id: int, reason: str, now: dt.datetime) -> Plan:
    text = " ".join(reason.split())
    if not text or len(text) > rules.MAX_REASON or not text.isprintable():
        raise field_error("reason", rules.RULES["reason"], reason, private=True)
    with diary.transaction() as conn:
        plan = load_plan(conn, plan_id, now)
        if plan.abandoned is not None:
            raise DiaryError(f"plan {plan_id} was abandoned already")
        if plan.status(local_day(now)) == rules.STATUS_FINISHED:
            raise DiaryError(
                f"plan {plan_id} is finished: see it with "
                f"'{command_line(f'plan result {plan_id}')}'"
            )
        db.abandon_plan(conn, plan_id, to_storage(now), text)
        return load_plan(conn, plan_id, now)


# --------------------------------------------------------------------------- logging


def fill_slot(
    conn: Any,
    session_id: int,
    therapy_id: int,
    when: dt.datetime,
    *,
    in_plan: bool,
    now: dt.datetime,
) -> str | None:
    """Called by diary.sessions inside the transaction that stores a session: the session
    fills the next slot of the active session plan on its therapy. Returns what to tell."""
    for plan_id in db.active_plan_ids(conn, [therapy_id]):
        plan = load_plan(conn, plan_id, now)
        if plan.status(local_day(now)) != rules.STATUS_ACTIVE:
            continue
        if plan.kind == rules.KIND_PERIODS:
            day = local_day(when)
            period = plan.period_on(day)
            if period is not None and plan.arms[period.arm] == rules.OFF:
                return (
                    f"plan {plan.id}: {day} is in an off period (block {period.block}, period "
                    f"{period.slot}); the session is kept as a deviation"
                )
            return None
        if not in_plan:
            return f"plan {plan.id}: logged outside the plan, as asked"
        if when < plan.created:
            return f"plan {plan.id}: not in the plan, since it took place before the plan was made"
        slot = plan.next_slot()
        if slot is None:
            return None
        db.fill_slot(conn, plan.id, slot.block, slot.slot, session_id)
        filled = next(
            s
            for s in load_plan(conn, plan.id, now).slots
            if (s.block, s.slot) == (slot.block, slot.slot)
        )
        where = f"plan {plan.id}, block {slot.block}, slot {slot.slot}"
        if filled.deviation is None:
            return f"{where}: {plan.arm_name(slot.arm)} as planned"
        return f"{where}: {filled.deviation}; kept as a deviation, analysed both ways"
    return None


# --------------------------------------------------------------------------- judging


def rows_of(plan: Plan, today: dt.date) -> list[Any]:
    """One BlockRow per block, outcomes in arm order."""
    from migraine_diary.analysis.plans import BlockRow

    deviating = plan.deviation_blocks()
    rows = []
    for block in range(1, plan.n_blocks + 1):
        slots = [s for s in plan.slots if s.block == block]
        outcomes: list[float | None] = [None] * plan.slots_per_block
        for s in slots:
            outcomes[s.arm] = s.outcome
        if plan.kind == rules.KIND_PERIODS:
            complete = plan.period(block, plan.slots_per_block)[1] < today
        else:
            complete = all(s.session_id is not None for s in slots)
        rows.append(BlockRow(block, tuple(outcomes), complete, block in deviating))
    return rows


def judge(plan: Plan, today: dt.date, *, interim: bool) -> PlanResult:
    from migraine_diary.analysis.plans import outcome

    rows = rows_of(plan, today)
    return PlanResult(plan, outcome(rows, plan.design, plan.mid, plan.kind, interim=interim), today)


def plan_result(
    diary: db.Diary | None, plan_id: int, now: dt.datetime, *, interim: bool
) -> PlanResult:
    return judge(get_plan(diary, plan_id, now), local_day(now), interim=interim)


def finished_results(diary: db.Diary | None, now: dt.datetime) -> list[PlanResult]:
    """Every finished plan's result, for stats and the doctor's report."""
    today = local_day(now)
    return [
        judge(p, today, interim=False)
        for p in list_plans(diary, now)
        if p.status(today) == rules.STATUS_FINISHED
    ]


def expected_end(plan: Plan, today: dt.date) -> dt.date | None:
    """When the plan ends at the pace so far (periods: by the calendar)."""
    if plan.kind == rules.KIND_PERIODS:
        return plan.last_day
    done = [s.when for s in plan.slots if s.when is not None]
    left = sum(1 for s in plan.slots if s.session_id is None)
    if not left:
        return max(local_day(w) for w in done) if done else None
    if not done:
        return None
    first = min(local_day(plan.created), *(local_day(w) for w in done))
    elapsed = max((today - first).days, 1)
    return today + dt.timedelta(days=round(elapsed / len(done) * left))
