"""bluelight's hybrid retriever as a LangChain `BaseRetriever`, for use in anyone's own chain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieval.retrieve import Retriever
from assistant.types import Filters


class BluelightRetriever(BaseRetriever):
    """Dense + BM25 retrieval with filters; each Document carries the passage's metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Retriever
    top_k: int = 8
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        found = self.retriever.retrieve(query, self.filters, self.top_k)
        return [
            Document(
                page_content=h.chunk.text, metadata=_metadata(h.chunk, h.score), id=h.chunk.chunk_id
            )
            for h in found.hits
        ]


def _metadata(chunk: Any, score: float) -> dict[str, Any]:
    meta = {k: v for k, v in chunk.metadata().items() if not k.startswith("svc_")}
    meta.update({"chunk_id": chunk.chunk_id, "score": score})
    return meta
