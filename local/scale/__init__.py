"""`make seed-scale`: a realistic data set at benchmark scale (see docs/performance.md)."""
