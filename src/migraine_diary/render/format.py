"""The one place that turns numbers, money, durations, shares and counts into words.

Every view (the terminal tables, `stats`, the doctor's report) formats through here, so the
same figure reads the same everywhere. Precision follows the data: means of 0-10 scores to
1 decimal, shares as whole percents, money to the cent, durations to the minute.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

DASH = "-"
ONGOING = "ongoing"

# Characters a terminal acts on instead of showing: the C0 controls but the line end and the
# tab, DEL, the C1 controls (U+009B starts a sequence like ESC [), the bidirectional controls
# (they reorder what is shown around them) and the line and paragraph separators.
_CONTROLS = [
    *(c for c in range(0x20) if chr(c) not in "\n\t"),
    *range(0x7F, 0xA0),
    0x061C,
    0x200E,
    0x200F,
    *range(0x2028, 0x202F),
    *range(0x2066, 0x206A),
]
_VISIBLE = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _CONTROLS}
# JSON already writes C0 controls as escapes; the rest it leaves raw unless told to escape
# every non-ASCII letter too.
_JSON_ESCAPES = {c: f"\\u{c:04x}" for c in _CONTROLS if c >= 0x7F}


def visible(text: str) -> str:
    """Text from a person or a file as it is safe to show: every control written as an escape
    (ESC as ``\\x1b``, a right-to-left override as ``\\u202e``), so that diary text can never
    steer the terminal (write the clipboard, set the title, clear the screen) or reorder a
    line. Line ends and tabs stay; a backslash is left as typed, so showing twice changes
    nothing."""
    return text.translate(_VISIBLE)


def inert_json(text: str) -> str:
    """JSON text with the controls that json.dumps leaves raw written as ``\\u`` escapes: the
    same values when parsed, and nothing a terminal acts on."""
    return text.translate(_JSON_ESCAPES)


def one_decimal(value: float | None) -> str:
    """A mean of 0-10 scores: ``2.4``; never ``-0.0`` (a mean of -0.04 is 0.0, not below)."""
    if value is None:
        return DASH
    text = f"{value:.1f}"
    return "0.0" if text == "-0.0" else text


def signed(value: float | None) -> str:
    """A change in 0-10 scores: ``+1.2``, ``-0.5``; zero as ``0.0``, without a sign."""
    if value is None:
        return DASH
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def signed_whole(value: int) -> str:
    """Relief in whole points: ``+2``, ``0``, ``-1``."""
    return f"+{value}" if value > 0 else str(value)


def percent(value: float | None) -> str:
    """A share from 0 to 1 as a whole percent: ``43%``; one that rounds to 0 but is not 0 as
    ``<1%``, one that rounds to 100 but is not 100 as ``>99%`` (an interval's end of 0.4% is
    not none)."""
    if value is None:
        return DASH
    whole = round(100 * value)
    if whole == 0 and value > 0:
        return "<1%"
    if whole == 100 and value < 1:
        return ">99%"
    return f"{whole}%"


def share(k: int, n: int) -> str:
    """``k`` of ``n`` as a whole percent; a dash when there is nothing to divide by."""
    return f"{round(100 * k / n)}%" if n else DASH


_currency: list[str | None] = [None]


def use_currency(currency: str | None) -> None:
    """The currency every amount is shown with from now on (the settings' `currency`): an
    ISO 4217 code after the amount, a symbol before it; None for bare amounts."""
    _currency[0] = currency


def money(value: Decimal | float | None) -> str:
    """To the cent, with thousands separated, with the currency if one is set: ``1,250.00``,
    ``1,250.00 EUR``, ``€1,250.00``, ``-€5.00``."""
    if value is None:
        return DASH
    amount = f"{value:,.2f}"
    currency = _currency[0]
    if currency is None:
        return amount
    if currency.isascii() and currency.isalpha():
        return f"{amount} {currency}"
    sign = "-" if amount.startswith("-") else ""
    return f"{sign}{currency}{amount.removeprefix('-')}"


def duration_text(duration: timedelta | None) -> str:
    """``45 min``, ``1 h 30 min``, ``4 h``, ``1 d 2 h 15 min``; ``ongoing`` while it lasts.

    Rounded to the nearest minute (89 min 59 s is ``1 h 30 min``), never more precise.
    """
    if duration is None:
        return ONGOING
    minutes = round(duration.total_seconds() / 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [f"{days} d"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if mins or not parts:
        parts.append(f"{mins} min")
    return " ".join(parts)
