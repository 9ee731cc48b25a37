"""bluelight's retrieval as a LangChain `BaseRetriever`, for use in anyone's own chain: the query
is understood and retrieved exactly as a question to the assistant is."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.answer import Assistant
from assistant.types import Ask, Filters


class BluelightRetriever(BaseRetriever):
    """Dense + BM25 retrieval with filters; each Document carries the passage's metadata."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    assistant: Assistant
    top_k: int = 8
    filters: Filters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        ask = Ask(question=query, filters=self.filters, top_k=self.top_k)
        snapshot = self.assistant.retriever.snapshot()
        found = self.assistant.retrieve(self.assistant.understand(ask, snapshot), ask, snapshot)
        return [
            Document(
                page_content=h.chunk.text, metadata=_metadata(h.chunk, h.score), id=h.chunk.chunk_id
            )
            # The ranked passages only: those read besides them are scored 0, not ranked.
            for h in found.hits[: self.top_k]
        ]


def _metadata(chunk: Any, score: float) -> dict[str, Any]:
    meta = {k: v for k, v in chunk.metadata().items() if not k.startswith("svc_")}
    meta.update({"chunk_id": chunk.chunk_id, "score": score})
    return meta
