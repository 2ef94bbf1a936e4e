"""Intervals in words: printed ends that never hide their side of zero or print alike."""

from __future__ import annotations

__all__ = ["interval_text"]


def _end(value: float | None, digits: int, *, sign: bool) -> str:
    if value is None:
        return "no limit"
    text = f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
    return text.lstrip("+-") if float(text) == 0 else text


def _keeps_side(value: float | None, text: str) -> bool:
    """The printed end is on the same side of zero as the value (an end at 0 prints 0)."""
    if value is None:
        return True
    shown = float(text)
    return (shown > 0) == (value > 0) and (shown < 0) == (value < 0)


def interval_text(low: float | None, high: float | None, *, sign: bool = True) -> str:
    """'low to high' at one decimal, with more on an end whose rounding would hide its side of
    zero ('+0.02 to +1.6') and on both when they would print alike ('-0.14 to -0.08');
    never '-0.0'. None prints as 'no limit'."""
    digits = [1, 1]
    for _ in range(4):
        texts = [_end(v, d, sign=sign) for v, d in zip((low, high), digits, strict=True)]
        hidden = [not _keeps_side(v, t) for v, t in zip((low, high), texts, strict=True)]
        alike = texts[0] == texts[1] and low != high
        if not any(hidden) and not alike:
            return f"{texts[0]} to {texts[1]}"
        digits = [d + 1 if h or alike else d for d, h in zip(digits, hidden, strict=True)]
    return f"{_end(low, 5, sign=sign)} to {_end(high, 5, sign=sign)}"
