"""Pure numbers: statistics and verdicts over plain data; no I/O, no printing."""
