"""Hybrid search over guide sections and cards: BM25 (bm25s) + dense embeddings (FAISS), fused.

Import the submodules directly (`studyplan.adapters.search.index`, `.query`, `.items`): this package
file stays empty so that importing it costs nothing.
"""
