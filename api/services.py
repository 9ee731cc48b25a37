"""The things a worker builds once at startup and shares across requests.

One embedder (with query batching), one store client, one assistant (whose retriever holds the
lexical index) and one records database per worker process; requests only read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.batching import BatchingEmbedder, limit_torch_threads
from api.db import Records, SQLiteRecords
from api.metrics import Metrics
from api.uploads import Uploads
from assistant.answer import Assistant
from assistant.embedder import make_embedder
from assistant.factory import build_assistant
from assistant.settings import Settings
from assistant.store import Store, open_store


@dataclass
class Services:
    settings: Settings
    metrics: Metrics
    records: Records
    embedder: BatchingEmbedder
    store: Store
    assistant: Assistant
    uploads: Uploads

    def close(self) -> None:
        """Finish accepted upload jobs, then stop the embedding thread."""
        self.uploads.close()
        self.embedder.close()


def build(settings: Settings, metrics: Metrics) -> Services:
    """Load the model, open the store, build the index: slow, so done before serving."""
    limit_torch_threads()
    embedder = BatchingEmbedder(make_embedder(settings))
    store = open_store(settings)
    assistant = build_assistant(settings, store=store, embedder=embedder)
    embedder.embed_query("warm up")  # load the weights now, not on the first question
    assistant.retriever.refresh(force=True)
    records = SQLiteRecords(settings.database_path)
    uploads = Uploads(
        settings, store, records, metrics, on_written=lambda: assistant.retriever.refresh(True)
    )
    metrics.store.chunks = store.count
    metrics.store.documents = lambda: len(store.manifest())
    metrics.store.reloads = lambda: assistant.retriever.reloads
    return Services(settings, metrics, records, embedder, store, assistant, uploads)
