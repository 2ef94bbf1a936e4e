"""Plain data and rules: input models, ranges and vocabularies, dates, days, medication classes."""
