"""Use cases in the user's words; they call storage and never write SQL."""
