"""Reference data that classifies assets: markets, content types, campaigns, phases, channels."""
