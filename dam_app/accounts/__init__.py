"""Users, roles, region scopes, login sessions and API tokens."""
