"""Side-by-side benchmarks against the tools users have today (see docs/benchmarks.md)."""
