"""The `summary` figures: sums per therapy and the averages and costs derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from migraine_diary.domain.models import amount, money_text


@dataclass(frozen=True)
class SummaryRow:
    """One line of `summary`: pain and relief use only sessions that began with pain."""

    therapy: str | None
    sessions: int
    total_minutes: int
    total_cost_cents: int
    excluded_no_pain: int
    sum_before: int
    sum_after: int
    with_relief: int
    relief_cost_cents: int

    @property
    def with_pain(self) -> int:
        return self.sessions - self.excluded_no_pain

    @property
    def avg_minutes(self) -> float:
        return self.total_minutes / self.sessions

    def _per_pain_session(self, value: int) -> float | None:
        return value / self.with_pain if self.with_pain else None

    @property
    def avg_pain_before(self) -> float | None:
        return self._per_pain_session(self.sum_before)

    @property
    def avg_pain_after(self) -> float | None:
        return self._per_pain_session(self.sum_after)

    @property
    def avg_relief(self) -> float | None:
        return self._per_pain_session(self.sum_before - self.sum_after)

    @property
    def relief_share(self) -> float | None:
        return self._per_pain_session(self.with_relief)

    @property
    def total_cost(self) -> Decimal:
        return amount(self.total_cost_cents)

    @property
    def cost_per_relief_point(self) -> float | None:
        """Cost of the sessions that began with pain over their relief points; blank, never
        infinite or negative, when they brought no relief."""
        points = self.sum_before - self.sum_after
        return self.relief_cost_cents / 100 / points if points > 0 else None

    def to_json(self) -> dict[str, Any]:
        return {
            "therapy": self.therapy,
            "sessions": self.sessions,
            "total_minutes": self.total_minutes,
            "avg_minutes": self.avg_minutes,
            "avg_pain_before": self.avg_pain_before,
            "avg_pain_after": self.avg_pain_after,
            "avg_relief": self.avg_relief,
            "relief_share": self.relief_share,
            "total_cost": money_text(self.total_cost_cents),
            "cost_per_relief_point": self.cost_per_relief_point,
            "excluded_no_pain": self.excluded_no_pain,
        }


@dataclass(frozen=True)
class Summary:
    therapies: list[SummaryRow]

    @property
    def total(self) -> SummaryRow | None:
        if not self.therapies:
            return None
        sums = [sum(getattr(r, f) for r in self.therapies) for f in _SUMMED]
        return SummaryRow(None, *sums)

    def to_json(self) -> dict[str, Any]:
        total = self.total
        return {
            "therapies": [r.to_json() for r in self.therapies],
            "total": total.to_json() if total else None,
        }


_SUMMED = (
    "sessions",
    "total_minutes",
    "total_cost_cents",
    "excluded_no_pain",
    "sum_before",
    "sum_after",
    "with_relief",
    "relief_cost_cents",
)
