"""Files in and out: CSV/JSON export and import, Migraine Buddy."""
