"""Build the assistant the settings describe: embedder, store, retriever, composers."""

from __future__ import annotations

from assistant.answer import Assistant
from assistant.compose.base import Composer
from assistant.compose.extractive import ExtractiveComposer
from assistant.profile import Profile, load_profile
from assistant.retrieval.embedder import Embedder, make_embedder
from assistant.retrieval.retrieve import Retriever
from assistant.retrieval.store import Store, open_store
from assistant.settings import Settings


def make_composers(settings: Settings, profile: Profile | None = None) -> dict[str, Composer]:
    """The extractive composer always; the llm one when an endpoint is configured."""
    composers: dict[str, Composer] = {"extractive": ExtractiveComposer()}
    if settings.llm_base_url:
        from assistant.compose.llm import LLMComposer

        composers["llm"] = LLMComposer(settings, profile or Profile.empty())
    return composers


def build_assistant(
    settings: Settings,
    store: Store | None = None,
    embedder: Embedder | None = None,
    profile: Profile | None = None,
) -> Assistant:
    store = store or open_store(settings)
    embedder = embedder or make_embedder(settings)
    profile = profile or load_profile(settings.profile_path)
    composers = make_composers(settings, profile)
    retriever = Retriever(store, embedder)
    return Assistant(retriever, composers, settings, profile)
