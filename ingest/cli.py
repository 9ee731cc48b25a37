"""The ingest command: progress bar, the run, the report; --watch keeps a folder in step.

Exit status: 0 when every file was stored, unchanged or a duplicate; 1 when any file failed
(each is named in the report with its reason); 2 when the run could not start.
"""

from __future__ import annotations

import argparse
import sys

from assistant.retrieval.embedder import make_embedder
from assistant.retrieval.store import open_store
from assistant.settings import Settings
from ingest.files import walk
from ingest.run import ingest


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    updates = {"device": args.device, "embed_batch_size": args.batch_size}
    settings = settings.model_copy(update={k: v for k, v in updates.items() if v})
    paths = args.paths or [settings.corpus_dir]
    store = open_store(settings)
    embedder = make_embedder(settings)

    def once() -> int:
        from tqdm import tqdm

        files = walk(paths, settings.corpus_dir).files
        bar = tqdm(total=len(files), desc="ingest", unit="file", file=sys.stderr, leave=False)
        report = ingest(
            paths,
            store,
            embedder,
            settings,
            prune=args.prune or args.watch,
            dry_run=args.dry_run,
            password=args.password,
            progress=lambda _name: bar.update(1),
            workers=args.workers,
        )
        bar.close()
        print(report.summary())
        return 1 if report.failed else 0

    code = once()
    if not args.watch:
        return code
    from watchfiles import watch

    print(f"watching {', '.join(str(p) for p in paths)} (Ctrl+C to stop)", file=sys.stderr)
    caught_up = False
    for changes in watch(*paths, debounce=800, raise_interrupt=False, yield_on_timeout=True):
        # The first pass ran before the watcher started: its first quiet spell (or first change)
        # passes once more, so a file added in between is not missed.
        if changes or not caught_up:
            once()
            caught_up = True
    return 0
