"""A generated demo library, so a newcomer has something real to click through."""
