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
