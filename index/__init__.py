"""Chunks, embeddings and the stores that hold them: Chroma for vectors, BM25 for keywords."""
