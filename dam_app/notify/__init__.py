"""Alerts through Apprise: channels, watches, quiet hours and digests, an outbox drained by the worker."""
