"""Query embedding for a busy server: one thread owns the model, and may batch waiting questions.

Each answer embeds one short question, and on a CPU one pass over a batch of 8 questions costs
about as much as two or three single passes (measured with bench/load.py on the 2-core dev
machine). But a batch pads its questions to the longest and multiplies larger matrices, and the
vectors then differ from a lone question's in the last bits, enough to swap near-tied passages:
the answer over HTTP would not be the one given in process. So by default (max_batch 1,
settings.embed_query_batch) each question gets a pass of its own, bit-identical to
Embedder.embed_query at the same thread count; a larger max_batch trades that for throughput.
A lone query goes straight through either way. One thread owns the model's forward pass, which
also keeps the tokenizer away from concurrent use.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import Future

from assistant.retrieval.embedder import Embedder

# Larger batches stop paying: padding to the longest question grows the pass.
MAX_BATCH = 16


class BatchingEmbedder(Embedder):
    """An Embedder whose embed_query batches concurrent callers; everything else is unchanged."""

    def __init__(self, inner: Embedder, max_batch: int = MAX_BATCH) -> None:
        super().__init__(inner.folder, inner.device, inner.batch_size, inner.queries)
        if "model" in inner.__dict__:  # share weights already in memory, not load a second copy
            self.__dict__["model"] = inner.model
        self.max_batch = max_batch
        self._pending: queue.SimpleQueue[tuple[str, Future[list[float]]] | None] = (
            queue.SimpleQueue()
        )
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def embed_query(self, text: str) -> list[float]:
        future: Future[list[float]] = Future()
        self._ensure_running()
        self._pending.put((text, future))
        return future.result()

    def close(self) -> None:
        """Stop the batching thread once the queries already waiting are done."""
        if self._thread is not None:
            self._pending.put(None)
            self._thread.join()
            self._thread = None

    def _ensure_running(self) -> None:
        if self._thread is not None:
            return
        with self._start_lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="bluelight-embed", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            first = self._pending.get()
            if first is None:
                return
            batch = [first]
            stop = False
            while len(batch) < self.max_batch:
                try:
                    item = self._pending.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                    break
                batch.append(item)
            self._embed_batch(batch)
            if stop:
                return

    def _embed_batch(self, batch: list[tuple[str, Future[list[float]]]]) -> None:
        if len(batch) == 1:  # exactly what Embedder.embed_query computes
            text, future = batch[0]
            try:
                future.set_result(super().embed_query(text))
            except BaseException as exc:
                future.set_exception(exc)
            return
        try:
            vectors = self.embed_queries([text for text, _ in batch])
        except BaseException as exc:  # every waiter must hear about the failure
            for _, future in batch:
                future.set_exception(exc)
            return
        for (_, future), vector in zip(batch, vectors, strict=True):
            future.set_result(vector)


def limit_torch_threads(threads: int = 1) -> None:
    """Intra-op threads per worker process (settings.torch_threads, 1 by default): scale out with
    workers, not threads.

    A query batch is a few dozen word pieces, too small for intra-op parallelism to pay, and
    extra threads spin against the request threads and the other workers: on the 2-core dev
    machine one worker served 14 answers/s with torch's default of 2 threads and 57 to 76 with
    1 (bench/load.py, 400 to 1,000 requests at concurrency 32).
    """
    import torch

    torch.set_num_threads(threads)
