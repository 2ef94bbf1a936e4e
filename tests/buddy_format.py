"""Facts of Migraine Buddy's CSV export, shared by the tests that build such files."""

# The attack table's header, in the order the app writes it (from the export format's facts).
BUDDY_COLUMNS = [
    "#",
    "Started",
    "Lasted",
    "Start UTC Offset (min)",
    "End UTC Offset (min)",
    "Geohash",
    "Attack Types",
    "Attack Location",
    "Pain Level",
    "Affected Activities",
    "Potential Triggers",
    "Symptoms",
    "Most Bothersome Symptom",
    "Premonitory Symptoms",
    "Pain Positions",
    "Helpful Medication",
    "Somewhat Helpful Medication",
    "Unhelpful Medication",
    "Unsure Medication",
    "Helpful Non Drug Relief Methods",
    "Somewhat Helpful Non Drug Relief Methods",
    "Unhelpful Non Drug Relief Methods",
    "Unsure Non Drug Relief Methods",
    "Notes",
]

# Where the person was: in every row, never in the diary.
GEOHASH = "u33dbfcyegvc"


def quoted(cells: list[str]) -> str:
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells)


def row(number: int, started: str, lasted: str, pain: str, offset: int = 60, **cells: str) -> str:
    """An attack row as the app writes it; `cells` by column name, `_` for a space."""
    values = {
        "#": str(number),
        "Started": started,
        "Lasted": lasted,
        "Start UTC Offset (min)": str(offset),
        "End UTC Offset (min)": str(offset),
        "Geohash": GEOHASH,
        "Pain Level": pain,
        **{c: "No medication" for c in BUDDY_COLUMNS if c.endswith(" Medication")},
        **{c: "None" for c in BUDDY_COLUMNS if c.endswith("Relief Methods")},
    }
    values.update({name.replace("_", " "): value for name, value in cells.items()})
    return quoted([values.get(c, "") for c in BUDDY_COLUMNS])
