"""Tags on assets: visual, market and business labels from people or automatic analysis."""
