"""Evaluation: datasets, relevance judgments and metrics for benchmarks and `assistant eval`."""
