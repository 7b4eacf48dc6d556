"""Outcomes of background jobs, kept in the database where the UI and `dam status` read them."""
