"""The diary kept in one SQLite file: its place, connections, schema upgrades and care."""
