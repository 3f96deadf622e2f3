"""Answer-quality evaluation: known-answer sets, metrics, reports and benchmarks."""
