"""`bluelight ingest|ask|serve|eval`: parse, call the library, print; errors become one line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from assistant.errors import BluelightError
from assistant.settings import Settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bluelight",
        description=__doc__,
        epilog="exit status 2: a BLUELIGHT_ setting is invalid, or the command could not start",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "ingest",
        help="bring the store in step with files and folders",
        epilog="exit status: 0 when every file was stored, unchanged or a duplicate; 1 when any "
        "file failed (the report names each with its reason); 2 when the run could not start",
    )
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: the corpus)")
    p.add_argument("--prune", action="store_true", help="remove documents whose files are gone")
    p.add_argument("--watch", action="store_true", help="keep watching and re-ingest on change")
    p.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    p.add_argument("--password", help="password for encrypted PDFs")
    p.add_argument("--workers", type=int, default=1, help="parallel loader processes")
    p.add_argument("--device", help="embedding device (cpu, cuda); overrides BLUELIGHT_DEVICE")
    p.add_argument("--batch-size", type=int, help="embedding batch size")

    p = sub.add_parser("ask", help="ask a question and print the cited answer")
    p.add_argument("question")
    p.add_argument("--composer", choices=["extractive", "llm"])
    p.add_argument("--top-k", type=int)
    p.add_argument("--json", action="store_true", help="print the Answer as JSON")

    p = sub.add_parser("serve", help="run the API and the chat page")
    p.add_argument("--host")
    p.add_argument("--port", type=int)
    p.add_argument("--workers", type=int)

    from evals.cli import add_arguments

    add_arguments(sub.add_parser("eval", help="run the eval suite"))

    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"error: {invalid_settings(exc)}", file=sys.stderr)
        return 2
    try:
        return _COMMANDS[args.command](args, settings)
    except BluelightError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def invalid_settings(exc: ValidationError) -> str:
    """One line naming each invalid setting by its variable, with what it got and why."""
    prefix = str(Settings.model_config.get("env_prefix", ""))
    parts = []
    for error in exc.errors():
        field = Settings.model_fields.get(str(error["loc"][0]))
        secret = field is not None and "SecretStr" in str(field.annotation)
        name = f"{prefix}{'_'.join(str(p) for p in error['loc'])}".upper()
        shown = "(hidden)" if secret else str(error.get("input"))
        parts.append(f"{name}={shown}: {error['msg']}")
    return "invalid setting " + "; ".join(parts)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.cli import run_ingest

    return run_ingest(args, settings)


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from assistant.factory import build_assistant
    from assistant.types import Ask

    assistant = build_assistant(settings)
    answer = assistant.answer(Ask(question=args.question, composer=args.composer, top_k=args.top_k))
    if args.json:
        print(answer.model_dump_json(indent=2))
        return 0
    print(answer.answer)
    if answer.notice:
        print(f"\n({answer.notice})")
    if answer.citations:
        print("\nSources:")
        for c in answer.citations:
            where = f"record {c.record_id}" if c.record_id else f"p. {c.page}" if c.page else ""
            print(f"  [{c.marker}] {c.title} ({c.source}{', ' + where if where else ''})")
    return 0


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from api.serve import serve

    overrides = {k: v for k, v in vars(args).items() if k in ("host", "port", "workers") and v}
    return serve(settings.model_copy(update=overrides))


def _eval(args: argparse.Namespace, settings: Settings) -> int:
    from evals.cli import run_eval

    return run_eval(args, settings)


_COMMANDS = {"ingest": _ingest, "ask": _ask, "serve": _serve, "eval": _eval}

if __name__ == "__main__":
    raise SystemExit(main())
