"""Corpus loading, section-aware ingestion and hybrid (BM25 + dense) retrieval."""
