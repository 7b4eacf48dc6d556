"""Review: who approved (or rejected) which version of an asset, for which market and stage."""
