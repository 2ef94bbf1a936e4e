"""Randomised plans in words: the plan as made, the next slot, its status, and the result with
the CENT items (what an N-of-1 report must say, CONSORT extension 2015)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from migraine_diary.analysis.intervals import interval_text
from migraine_diary.domain import plan as rules
from migraine_diary.domain.dates import format_local
from migraine_diary.domain.hints import command_line
from migraine_diary.domain.plan import Plan, Slot
from migraine_diary.domain.words import plural
from migraine_diary.render.format import one_decimal, signed

if TYPE_CHECKING:
    from migraine_diary.analysis.plans import Difference, Outcome

VERDICT_WORDS = {
    "too_early": "too early: not every block is complete",
    "favours": "favours",
    "equivalent": "equivalent: the whole interval is within the smallest difference that matters",
    "no_clear_difference": "no clear difference",
}


def unit(plan: Plan) -> str:
    return "migraine days per 28" if plan.kind == rules.KIND_PERIODS else "points of relief"


def amount(plan: Plan, value: float) -> str:
    """'1 point of relief', '2 migraine days per 28'."""
    if plan.kind == rules.KIND_PERIODS:
        return f"{value:g} migraine {'day' if value == 1 else 'days'} per 28"
    return f"{value:g} {'point' if value == 1 else 'points'} of relief"


def outcome_words(plan: Plan) -> str:
    if plan.kind == rules.KIND_PERIODS:
        return (
            f"migraine days per 28 over each period's recorded days after its washout of "
            f"{plan.washout_days} days (a period needs 75% of those days recorded)"
        )
    return "relief of each session (pain before minus pain after)"


def question(plan: Plan) -> str:
    """The question the plan was made to answer, fixed in advance."""
    if plan.kind == rules.KIND_LENGTH:
        return (
            f"Do {plan.arms[0]}-minute {plan.therapy} sessions give more relief than "
            f"{plan.arms[1]}-minute ones?"
        )
    if plan.kind == rules.KIND_THERAPIES:
        return f"Does {plan.arms[0]} give more relief than {plan.arms[1]}?"
    return (
        f"Are there fewer migraine days in periods with {plan.therapy} sessions than in "
        "periods without?"
    )


def design_words(plan: Plan) -> str:
    each = (
        "one period with sessions and one without"
        if plan.kind == rules.KIND_PERIODS
        else ("one session of each arm")
    )
    order = (
        "each block's order drawn independently"
        if plan.design == "pairs"
        else "blocks in counterbalanced pairs (the second block of a pair reverses the first)"
    )
    days = (
        f", periods of {plan.period_days} days from {plan.start}"
        if plan.kind == rules.KIND_PERIODS
        else ""
    )
    return f"{plural(plan.n_blocks, 'block')} of {each}, {order} ({plan.design}){days}"


def slot_words(plan: Plan, slot: Slot) -> str:
    """'block 2, session 1 of 2: 30 minutes of craniosacral'."""
    of = plan.slots_per_block
    if plan.kind == rules.KIND_PERIODS:
        first, last = plan.period(slot.block, slot.slot)
        planned = "sessions planned" if plan.arms[slot.arm] == rules.ON else "no sessions"
        return (
            f"block {slot.block}, period {slot.slot} of {of}: {first} to {last}, "
            f"{plan.arms[slot.arm]} ({planned})"
        )
    what = (
        f"{plan.arms[slot.arm]} minutes of {plan.therapy}"
        if plan.kind == rules.KIND_LENGTH
        else str(plan.arms[slot.arm])
    )
    return f"block {slot.block}, session {slot.slot} of {of}: {what}"


def created_lines(plan: Plan, power: float) -> list[str]:
    lines = [
        f"Plan {plan.id} made: {question(plan)}",
        f"Design: {design_words(plan)}.",
        f"Outcome: {outcome_words(plan)}; smallest difference that matters: "
        f"{amount(plan, plan.mid)}.",
        f"Seed {plan.seed} ({plan.algorithm}): the whole sequence is drawn and locked; it is "
        "shown when the plan ends.",
    ]
    if plan.blocks_for_80_power is None:
        needed = f"even {rules.MAX_BLOCKS} blocks give less than 80% power"
    else:
        needed = f"{plural(plan.blocks_for_80_power, 'block')} give 80% power"
    lines.append(
        f"Power: {needed} to detect {amount(plan, plan.mid)}, from {plan.power_basis}; "
        f"{plural(plan.n_blocks, 'block')} give {power:.0%}."
    )
    floor = rules.smallest_p(plan.n_blocks, plan.design)
    if floor >= 0.05:
        lines.append(
            f"Note: with {plural(plan.n_blocks, 'block')} ({plan.design}) the exact randomisation "
            f"p can never fall below {floor:.3g}, so the test alone cannot show a difference at "
            "the 5% level, however large; more blocks (6 or more for pairs, 12 for abba) can."
        )
    lines.append(f"Next: {command_line(f'plan next {plan.id}')}")
    return lines


def next_lines(plan: Plan, today: dt.date) -> list[str]:
    """Only the next slot: the rest of the sequence stays hidden."""
    status = plan.status(today)
    if status != rules.STATUS_ACTIVE:
        return [
            f"Plan {plan.id} is {status}: see it with '{command_line(f'plan result {plan.id}')}'"
        ]
    if plan.kind != rules.KIND_PERIODS:
        slot = plan.next_slot()
        assert slot is not None
        return [f"Plan {plan.id}, {slot_words(plan, slot)}"]
    assert plan.start is not None
    running = plan.period_on(today)
    if running is None:
        first = plan.slots[0]
        return [
            f"Plan {plan.id}: the first period starts on {plan.start}.",
            f"Plan {plan.id}, {slot_words(plan, first)}",
        ]
    analysed = plan.analysed(running.block, running.slot)
    stored = next(s for s in plan.slots if (s.block, s.slot) == (running.block, running.slot))
    so_far = max(0, (min(today, analysed[1]) - analysed[0]).days + 1)
    return [
        f"Plan {plan.id}, running now: {slot_words(plan, running)}",
        f"Washout until {analysed[0] - dt.timedelta(days=1)}; counted from {analysed[0]}: "
        f"{stored.recorded_days or 0} of the {so_far} counted days so far are recorded "
        f"(record each day with '{command_line('checkin')}' or '{command_line('attack log')}').",
    ]


def _slot_line(plan: Plan, slot: Slot) -> str:
    text = f"  {slot_words(plan, slot)}"
    if plan.kind == rules.KIND_PERIODS:
        if slot.outcome is not None:
            text += f"; {one_decimal(slot.outcome)} migraine days per 28"
    elif slot.session_id is not None:
        assert slot.when is not None
        text += (
            f"; session {slot.session_id} on {format_local(slot.when)}, {slot.given}, relief "
            f"{signed(slot.outcome)}"
        )
    if slot.deviation:
        text += f"  [deviation: {slot.deviation}]"
    return text


def show_lines(plan: Plan, today: dt.date, *, reveal: bool) -> list[str]:
    lines = [
        f"Plan {plan.id} ({plan.status(today)}): {question(plan)}",
        f"Design: {design_words(plan)}; seed {plan.seed} ({plan.algorithm}); made "
        f"{format_local(plan.created)}.",
    ]
    if plan.abandoned is not None:
        lines.append(f"Abandoned {format_local(plan.abandoned)}: {plan.reason}")
    slots = plan.shown_slots(today, reveal)
    hidden = len(plan.slots) - len(slots)
    lines += [_slot_line(plan, s) for s in slots]
    if hidden:
        lines.append(f"  ({plural(hidden, 'slot')} still hidden: shown when the plan ends)")
    lines += deviation_lines(plan)
    return lines


def deviation_lines(plan: Plan) -> list[str]:
    if not plan.deviations:
        return ["Deviations: none."]
    return [f"Deviations ({len(plan.deviations)}):"] + [
        f"  {format_local(d.at)}: {d.what}" for d in plan.deviations
    ]


def list_lines(plans: Sequence[Plan], today: dt.date) -> list[str]:
    if not plans:
        return [f"No plans yet. Make one with: {command_line('plan new THERAPY --compare 45,30')}"]
    lines = []
    for status in (rules.STATUS_ACTIVE, rules.STATUS_FINISHED, rules.STATUS_ABANDONED):
        group = [p for p in plans if p.status(today) == status]
        if not group:
            continue
        lines.append(f"{status.capitalize()}:")
        for p in group:
            done = sum(1 for s in p.slots if s.session_id is not None)
            progress = (
                f"{done} of {len(p.slots)} sessions"
                if p.kind != rules.KIND_PERIODS
                else f"periods {p.start} to {p.last_day}"
            )
            lines.append(f"  plan {p.id}: {question(p)} ({p.design}, {progress})")
    return lines


def status_lines(plan: Plan, today: dt.date, end: dt.date | None) -> list[str]:
    lines = [f"Plan {plan.id} ({plan.status(today)}): {question(plan)}"]
    if plan.kind == rules.KIND_PERIODS:
        ended = [s for s in plan.slots if plan.period(s.block, s.slot)[1] < today]
        missing = [s for s in ended if s.outcome is None]
        lines.append(
            f"Periods: {len(ended)} of {len(plan.slots)} over; "
            f"{len(missing)} without an outcome (fewer than 75% of their days recorded)."
        )
    else:
        done = sum(1 for s in plan.slots if s.session_id is not None)
        lines.append(f"Slots: {done} done, {len(plan.slots) - done} planned.")
    lines.append(f"Deviations: {len(plan.deviations)}.")
    if end is not None and plan.status(today) == rules.STATUS_ACTIVE:
        lines.append(f"Expected end at the current pace: {end}.")
    return lines


def _difference_text(plan: Plan, diff: Difference) -> str:
    if diff.mean is None:
        return "no complete block to compare yet"
    ci = (
        "no interval (fewer than 2 blocks, or no spread)"
        if diff.ci is None
        else (f"95% t interval {interval_text(*diff.ci)}")
    )
    p = (
        ""
        if diff.p_randomisation is None
        else f", exact randomisation p = {diff.p_randomisation:.3f}"
    )
    return (
        f"mean difference {signed(diff.mean)} {unit(plan)} ({plan.arm_name(0)} minus "
        f"{plan.arm_name(1)}), {ci}{p}, over {plural(diff.n_blocks, 'block')}"
    )


def verdict_text(plan: Plan, outcome: Outcome) -> str:
    if outcome.verdict == "favours":
        assert outcome.favoured_arm is not None
        text = f"favours {plan.arm_name(outcome.favoured_arm)}"
    else:
        text = VERDICT_WORDS[outcome.verdict]
    if outcome.reaches_mid is not None:
        reaches = "reaches" if outcome.reaches_mid else "does not reach"
        text += f"; the mean difference {reaches} the smallest that matters ({plan.mid:g})"
    return text


def cent_items(plan: Plan, outcome: Outcome) -> list[tuple[str, str]]:
    """The CENT 2015 items a reader needs, in words."""
    done = sum(1 for s in plan.slots if s.session_id is not None)
    if plan.kind == rules.KIND_PERIODS:
        planned = (
            f"{plural(plan.n_blocks, 'block')} of two {plan.period_days}-day periods planned, "
            f"{plan.start} to {plan.last_day}"
        )
    else:
        planned = f"{len(plan.slots)} sessions planned, {done} done"
    deviations = (
        "none"
        if not plan.deviations
        else "; ".join(d.what for d in plan.deviations)
        + ". Analysed both as allocated (every block) and as given (without the blocks "
        "holding a deviation)"
    )
    left_out = (
        f"the first {plan.washout_days} days of each period (washout); no run-in"
        if plan.kind == rules.KIND_PERIODS
        else "none (no run-in or washout between sessions)"
    )
    missing = (
        "none"
        if not outcome.missing
        else "blocks " + ", ".join(map(str, outcome.missing)) + " have no outcome for every "
        "slot and are left out"
    )
    limitations = (
        "no blinding: you knew which arm each slot was; expectation can move the outcome; "
        + (
            "carry-over from one period into the next is possible despite the washout"
            if plan.kind == rules.KIND_PERIODS
            else "carry-over between sessions is possible"
        )
        + "; the result holds for you, not for others"
    )
    return [
        ("Question", question(plan)),
        ("Design", design_words(plan)),
        ("Outcome", outcome_words(plan)),
        (
            "Randomisation",
            f"seed {plan.seed}, {plan.algorithm}, drawn when the plan was made "
            f"({format_local(plan.created)})",
        ),
        ("Planned vs actual", planned),
        ("Deviations", deviations),
        ("Left out", left_out),
        ("Missing outcomes", missing),
        ("Limitations", limitations),
    ]


def result_lines(plan: Plan, outcome: Outcome) -> list[str]:
    label = "INTERIM " if outcome.interim else ""
    lines = [f"{label}Result of plan {plan.id}: {question(plan)}"]
    if outcome.verdict == "too_early":
        left = sum(1 for r in outcome.rows if not r.complete)
        return [
            *lines,
            f"Verdict: {VERDICT_WORDS['too_early']} ({plural(left, 'block')} to go). The "
            f"result is withheld until the plan ends; see it early, labelled interim, with "
            f"'{command_line(f'plan result {plan.id} --interim')}'.",
        ]
    head = f"{plan.arm_name(0)} minus {plan.arm_name(1)}"
    lines.append(f"Block differences ({head}, {unit(plan)}):")
    for row in outcome.rows:
        cells = ", ".join(
            f"{plan.arm_name(i)} {one_decimal(v) if v is not None else '-'}"
            for i, v in enumerate(row.outcomes)
        )
        diff = signed(row.difference) if row.difference is not None else "-"
        note = "" if row.complete else " (not complete)"
        if row.deviation:
            note += " (deviation)"
        lines.append(f"  block {row.block}: {cells}: {diff}{note}")
    lines.append(f"As allocated: {_difference_text(plan, outcome.difference)}.")
    lines.append(f"As given: {_difference_text(plan, outcome.as_given)}.")
    lines.append(f"Verdict: {label.lower()}{verdict_text(plan, outcome)}.")
    lines += [
        f"{name}: {text.rstrip('.?')}{'?' if text.endswith('?') else '.'}"
        for name, text in cent_items(plan, outcome)
    ]
    return lines


def summary_lines(plan: Plan, outcome: Outcome) -> list[str]:
    """A finished plan in three lines, for `stats` and the doctor's report."""
    return [
        f"Randomised plan {plan.id} ({plan.design}, seed {plan.seed}): {question(plan)}",
        f"  As allocated: {_difference_text(plan, outcome.difference)}.",
        f"  Verdict: {verdict_text(plan, outcome)}. Full result: "
        + command_line(f"plan result {plan.id}"),
    ]


def report_lines(plan: Plan, outcome: Outcome, status: str) -> list[str]:
    """A plan's section of the doctor's report: the result with its CENT items once it has
    ended; while it runs, only its progress (the result is withheld)."""
    done = sum(1 for s in plan.slots if s.session_id is not None)
    progress = (
        f"{done} of {len(plan.slots)} sessions done"
        if plan.kind != rules.KIND_PERIODS
        else f"periods from {plan.start} to {plan.last_day}"
    )
    lines = [f"Design: {design_words(plan)}; seed {plan.seed}."]
    if status == rules.STATUS_ABANDONED:
        assert plan.abandoned is not None
        return [*lines, f"Abandoned on {format_local(plan.abandoned)} ({progress}): {plan.reason}"]
    if status == rules.STATUS_ACTIVE:
        return [*lines, f"In progress ({progress}); the result is withheld until it ends."]
    return [
        f"As allocated: {_difference_text(plan, outcome.difference)}.",
        f"As given (without blocks holding a deviation): "
        f"{_difference_text(plan, outcome.as_given)}.",
        f"Verdict: {verdict_text(plan, outcome)}.",
        *(f"{name}: {text}" for name, text in cent_items(plan, outcome) if name != "Question"),
    ]
