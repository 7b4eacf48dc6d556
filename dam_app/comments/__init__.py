"""Comment threads pinned to a spot, a time or a phrase, that follow the asset into later versions."""
