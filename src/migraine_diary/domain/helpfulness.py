"""How much an acute medication helped: the one list of words, for input, storage and import.

Standard library only, so the command line's help text can quote it without slowing `--help`.
"""

from __future__ import annotations

from typing import Literal, get_args

Helpfulness = Literal["helpful", "somewhat", "unhelpful", "unsure"]
HELPFUL, SOMEWHAT, UNHELPFUL, UNSURE = get_args(Helpfulness)
HELPFULNESS: tuple[str, ...] = (HELPFUL, SOMEWHAT, UNHELPFUL, UNSURE)
#: The words as a message lists them: ``helpful, somewhat, unhelpful or unsure``.
HELPFULNESS_WORDS = ", ".join(HELPFULNESS[:-1]) + " or " + HELPFULNESS[-1]
