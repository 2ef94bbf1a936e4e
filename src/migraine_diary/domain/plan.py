"""Randomised N-of-1 plans as plain data: kinds, designs, the allocation rule and period dates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from migraine_diary.domain.hints import command_line

KIND_LENGTH = "length"
KIND_THERAPIES = "therapies"
KIND_PERIODS = "periods"
KINDS = (KIND_LENGTH, KIND_THERAPIES, KIND_PERIODS)
DESIGNS = ("pairs", "abba")

#: Stored with every plan, so that the sequence can be rebuilt from its seed years later.
ALGORITHM = "python-random-shuffle-v1"

MIN_BLOCKS = 2
MAX_BLOCKS = 40
#: A session whose minutes differ from its slot by more than this is a deviation.
MINUTES_TOLERANCE = 5
DEFAULT_WASHOUT = 7
MIN_ANALYSED_DAYS = 7
MIN_PERIOD_DAYS = 7
MAX_PERIOD_DAYS = 180
#: The smallest difference that matters, by default: points of relief, migraine days per 28.
DEFAULT_MID = {KIND_LENGTH: 1.0, KIND_THERAPIES: 1.0, KIND_PERIODS: 2.0}
ON, OFF = "on", "off"

STATUS_ACTIVE = "active"
STATUS_FINISHED = "finished"
STATUS_ABANDONED = "abandoned"

Arm = int | str


@dataclass(frozen=True)
class Slot:
    """One planned slot: a session (or a period) of arm `arm` (an index into the plan's arms),
    with what happened in it as the diary holds it now."""

    block: int
    slot: int
    arm: int
    session_id: int | None = None
    when: dt.datetime | None = None
    given: str | None = None  # what the session was, in words ("30 minutes", a therapy)
    outcome: float | None = None  # relief, or migraine days per 28 for a period
    deviation: str | None = None
    recorded_days: int | None = None  # periods: analysed days recorded so far
    analysed_days: int | None = None  # periods: days after the washout


@dataclass(frozen=True)
class Deviation:
    """Something that did not go as planned; `block` and `slot` when it concerns one."""

    at: dt.datetime
    what: str
    block: int | None = None
    slot: int | None = None
    session_id: int | None = None


@dataclass(frozen=True)
class Plan:
    """A plan as made: nothing here changes after creation, except how it ended."""

    id: int
    therapy: str
    kind: str
    arms: tuple[Arm, ...]
    design: str
    seed: int
    algorithm: str
    n_blocks: int
    mid: float
    created: dt.datetime
    start: dt.date | None  # periods: the first period's first day
    period_days: int | None
    washout_days: int | None
    blocks_for_80_power: int | None
    power_basis: str
    slots: tuple[Slot, ...]
    deviations: tuple[Deviation, ...]
    abandoned: dt.datetime | None = None
    reason: str | None = None
    revealed: bool = False

    @property
    def slots_per_block(self) -> int:
        return len(self.arms)

    def arm_name(self, index: int) -> str:
        """An arm in words: '45 minutes', a therapy name, 'on' or 'off'."""
        arm = self.arms[index]
        return f"{arm} minutes" if self.kind == KIND_LENGTH else str(arm)

    def period(self, block: int, slot: int) -> tuple[dt.date, dt.date]:
        """The first and last day (inclusive) of a period; periods follow each other."""
        assert self.start is not None
        assert self.period_days is not None
        index = (block - 1) * self.slots_per_block + (slot - 1)
        first = self.start + dt.timedelta(days=index * self.period_days)
        return first, first + dt.timedelta(days=self.period_days - 1)

    def analysed(self, block: int, slot: int) -> tuple[dt.date, dt.date]:
        """A period's days after its washout: the days its outcome is counted over."""
        first, last = self.period(block, slot)
        return first + dt.timedelta(days=self.washout_days or 0), last

    @property
    def last_day(self) -> dt.date | None:
        if self.kind != KIND_PERIODS:
            return None
        return self.period(self.n_blocks, self.slots_per_block)[1]

    def status(self, today: dt.date) -> str:
        if self.abandoned is not None:
            return STATUS_ABANDONED
        if self.kind == KIND_PERIODS:
            last = self.last_day
            return STATUS_FINISHED if last is not None and today > last else STATUS_ACTIVE
        if all(s.session_id is not None for s in self.slots):
            return STATUS_FINISHED
        return STATUS_ACTIVE

    def next_slot(self) -> Slot | None:
        """The first slot without a session (session plans)."""
        return next((s for s in self.slots if s.session_id is None), None)

    def period_on(self, day: dt.date) -> Slot | None:
        """The period (slot) that holds `day`, if any."""
        for slot in self.slots:
            first, last = self.period(slot.block, slot.slot)
            if first <= day <= last:
                return slot
        return None

    def shown_slots(self, today: dt.date, reveal: bool = False) -> list[Slot]:
        """The slots that may be shown (allocation concealment): all once the plan has ended
        or was revealed; else the filled ones (and for periods, those begun)."""
        if reveal or self.revealed or self.status(today) != STATUS_ACTIVE:
            return list(self.slots)
        if self.kind == KIND_PERIODS:
            return [s for s in self.slots if self.period(s.block, s.slot)[0] <= today]
        return [s for s in self.slots if s.session_id is not None]

    def deviation_blocks(self) -> frozenset[int]:
        return frozenset(d.block for d in self.deviations if d.block is not None)


def allocate(n_arms: int, n_blocks: int, design: str, seed: int) -> list[list[int]]:
    """The whole sequence, as arm indices per block, from the seed.

    One `random.Random(seed)` serves the whole plan and nothing else draws from it.
    pairs: for each block in turn, a fresh list of the arms in the order given is shuffled
    with `rng.shuffle`. abba: blocks go in pairs (1-2, 3-4, ...); for each pair in turn a
    fresh list of the arms in the order given is shuffled with `rng.shuffle`, the first block
    of the pair takes that order and the second block the reverse.
    """
    if design not in DESIGNS:
        raise ValueError(f"unknown design {design!r}")
    if design == "abba" and n_blocks % 2:
        raise ValueError("abba needs an even number of blocks")
    rng = random.Random(seed)
    blocks: list[list[int]] = []
    while len(blocks) < n_blocks:
        order = list(range(n_arms))
        rng.shuffle(order)
        blocks.append(order)
        if design == "abba":
            blocks.append(order[::-1])
    return blocks


def flip_groups(blocks: Sequence[int], design: str) -> list[list[int]]:
    """Which blocks the design allocates together: each alone for pairs, the two blocks of a
    pair for abba (swapping one pair's order reverses both of its blocks)."""
    if design == "abba":
        groups: dict[int, list[int]] = {}
        for block in blocks:
            groups.setdefault((block - 1) // 2, []).append(block)
        return list(groups.values())
    return [[block] for block in blocks]


def smallest_p(n_blocks: int, design: str) -> float:
    """The smallest two-sided randomisation p the design can give: the observed allocation and
    its mirror out of every one it could have drawn (4 blocks of pairs: 2 of 16, 0.125)."""
    groups = len(flip_groups(range(1, n_blocks + 1), design))
    return min(1.0, 2.0 / float(2**groups))


# ----------------------------------------------------------------- what a person types

DEFAULT_BLOCKS = 4
MAX_SEED = 2**63 - 1
MAX_REASON = 500
RULES = {
    "blocks": f"a whole number from {MIN_BLOCKS} to {MAX_BLOCKS}",
    "blocks_abba": f"an even whole number from {MIN_BLOCKS} to {MAX_BLOCKS} for --design abba",
    "compare": "two different session lengths in minutes from 1 to 600, such as 45,30",
    "periods": f"a whole number of days from {MIN_PERIOD_DAYS} to {MAX_PERIOD_DAYS}",
    "design": "pairs or abba",
    "seed": f"a whole number from 0 to {MAX_SEED}",
    "reason": f"text of 1 to {MAX_REASON} characters",
}


@dataclass(frozen=True)
class PlanSpec:
    """A plan request, checked: everything but the diary's part (therapies, past sessions)."""

    therapy: str
    kind: str
    arms: tuple[Arm, ...]
    design: str
    n_blocks: int
    seed: int | None
    mid: float
    period_days: int | None = None
    washout_days: int | None = None


def _whole(text: str, field: str, low: int, high: int, rule: str) -> int:
    from migraine_diary.errors import field_error

    value = text.strip()
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise field_error(field, rule, text)
    return int(value)


def plan_spec(
    therapy: str,
    *,
    compare: str | None,
    versus: str | None,
    periods: str | None,
    washout: str | None,
    blocks: str | None,
    design: str,
    seed: str | None,
    mid: str | None,
) -> PlanSpec:
    """Check what `plan new` was given, before the diary is opened."""
    from migraine_diary.errors import InputError, field_error

    given = [
        name
        for name, v in (("--compare", compare), ("--versus", versus), ("--periods", periods))
        if v is not None
    ]
    if len(given) != 1:
        raise InputError(
            "give exactly one of --compare 45,30, --versus OTHER or --periods DAYS"
            + (f" (got {' and '.join(given)})" if given else "")
        )
    if design not in DESIGNS:
        raise field_error("design", RULES["design"], design)
    if washout is not None and periods is None:
        raise InputError("--washout is for a --periods plan only")
    arms: tuple[Arm, ...]
    period_days = washout_days = None
    if compare is not None:
        kind = KIND_LENGTH
        parts = compare.split(",")
        if len(parts) != 2:
            raise field_error("compare", RULES["compare"], compare)
        first, second = (_whole(p, "compare", 1, 600, RULES["compare"]) for p in parts)
        if first == second:
            raise field_error("compare", RULES["compare"], compare)
        arms = (first, second)
    elif versus is not None:
        kind = KIND_THERAPIES
        other = " ".join(versus.split())
        if not other or other.casefold() == " ".join(therapy.split()).casefold():
            raise InputError(f"versus must name another therapy than {therapy!r}")
        arms = (" ".join(therapy.split()), other)
    else:
        assert periods is not None
        kind = KIND_PERIODS
        period_days = _whole(periods, "periods", MIN_PERIOD_DAYS, MAX_PERIOD_DAYS, RULES["periods"])
        most = period_days - MIN_ANALYSED_DAYS
        washout_rule = (
            f"a whole number of days from 0 to {most} (at least {MIN_ANALYSED_DAYS} days of "
            f"each {period_days}-day period are analysed)"
        )
        if washout is None:
            if most < DEFAULT_WASHOUT:
                raise InputError(
                    f"periods of {period_days} days leave fewer than {MIN_ANALYSED_DAYS} days "
                    f"after the default washout of {DEFAULT_WASHOUT} days: give --washout "
                    f"from 0 to {max(most, 0)}, or longer periods"
                )
            washout_days = DEFAULT_WASHOUT
        else:
            washout_days = _whole(washout, "washout", 0, max(most, 0), washout_rule)
        arms = (ON, OFF)
    if blocks is None:
        n_blocks = DEFAULT_BLOCKS
    elif design == "abba":
        n_blocks = _whole(blocks, "blocks", MIN_BLOCKS, MAX_BLOCKS, RULES["blocks_abba"])
        if n_blocks % 2:
            raise field_error("blocks", RULES["blocks_abba"], blocks)
    else:
        n_blocks = _whole(blocks, "blocks", MIN_BLOCKS, MAX_BLOCKS, RULES["blocks"])
    seed_value = None if seed is None else _whole(seed, "seed", 0, MAX_SEED, RULES["seed"])
    top = 28.0 if kind == KIND_PERIODS else 10.0
    unit = "migraine days per 28" if kind == KIND_PERIODS else "points of relief"
    mid_value = DEFAULT_MID[kind]
    if mid is not None:
        mid_rule = f"a number above 0 and at most {top:g} ({unit})"
        try:
            mid_value = float(mid.strip())
        except ValueError:
            raise field_error("mid", mid_rule, mid) from None
        if not 0 < mid_value <= top:
            raise field_error("mid", mid_rule, mid)
    return PlanSpec(
        therapy=" ".join(therapy.split()),
        kind=kind,
        arms=arms,
        design=design,
        n_blocks=n_blocks,
        seed=seed_value,
        mid=mid_value,
        period_days=period_days,
        washout_days=washout_days,
    )


def plan_command(therapy: str, arms: Sequence[int]) -> str:
    """The `plan new` command that settles whether session length matters, quoted for a
    shell."""
    import shlex

    return command_line(f"plan new {shlex.quote(therapy)} --compare {arms[0]},{arms[1]}")
