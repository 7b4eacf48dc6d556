"""Embedded PostgreSQL and Redis, and the `dam up` supervisor that runs every process."""
