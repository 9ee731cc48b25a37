"""The things a worker builds once at startup and shares across requests.

One embedder (with query batching), one store client, one assistant (whose retriever holds the
lexical index) and one records database per worker process; requests only read them.
"""

from __future__ import annotations

from dataclasses import dataclass

from api.batching import BatchingEmbedder, limit_torch_threads
from api.db import open_records
from api.metrics import Metrics
from api.records import Records
from api.uploads import Uploads
from assistant import privacy
from assistant.answer import Assistant
from assistant.factory import build_assistant
from assistant.profile import Profile
from assistant.retrieval.embedder import make_embedder
from assistant.retrieval.store import Store, open_store
from assistant.settings import Settings


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
        """Stop upload jobs (failing those not done), then stop the embedding thread."""
        self.uploads.close()
        self.embedder.close()


def build(settings: Settings, metrics: Metrics, profile: Profile) -> Services:
    """Load the model, open the store, build the index: slow, so done before serving.

    Upload jobs a killed worker left unfinished are failed, and the documents it was writing
    are mended, before the index is built.
    """
    limit_torch_threads(settings.torch_threads)
    embedder = BatchingEmbedder(make_embedder(settings), max_batch=settings.embed_query_batch)
    store = open_store(settings)
    records = open_records(settings)
    assistant = build_assistant(settings, store=store, embedder=embedder, profile=profile)
    uploads = Uploads(
        settings, store, records, metrics, on_written=lambda: assistant.retriever.refresh(True)
    )
    uploads.recover()
    embedder.embed_query("warm up")  # load the weights now, not on the first question
    privacy.warm_up()  # and presidio, which feedback and the log need
    assistant.retriever.refresh(force=True)
    metrics.store.chunks = store.count
    metrics.store.documents = lambda: len(store.manifest())
    metrics.store.reloads = lambda: assistant.retriever.reloads
    return Services(settings, metrics, records, embedder, store, assistant, uploads)
