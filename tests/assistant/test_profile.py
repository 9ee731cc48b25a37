"""The corpus profile: read from the file beside the corpus, empty without one, refused in words
when broken, and used in the messages people see."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import BadInput
from assistant.profile import Profile, load_profile
from assistant.question.understand import clean
from assistant.settings import Settings
from tests.conftest import CORPUS, ROOT


def test_the_shipped_profile_names_the_domain_its_services_and_short_forms() -> None:
    profile = load_profile(CORPUS / "profile.toml")
    assert profile.description == "emergency services collaboration in England and Wales"
    assert set(profile.services) == {
        "police", "fire", "ambulance", "local_authority", "health", "coastguard",
    }  # fmt: skip
    assert "paramedics" in profile.services["ambulance"]
    assert profile.short_forms["ambo"] == "ambulance"
    assert profile.scope == ("England and Wales",)


def test_the_second_corpus_has_its_own_profile() -> None:
    profile = load_profile(ROOT / "evals" / "corpora" / "flood-resilience" / "profile.toml")
    assert profile.name == "flood resilience"
    assert profile.short_forms["llfa"] == "lead local flood authority"


def test_without_a_file_the_profile_is_empty_and_messages_stay_neutral(tmp_path: Path) -> None:
    profile = load_profile(tmp_path / "profile.toml")
    assert profile == Profile.empty()
    with pytest.raises(BadInput, match="ask something about the documents it holds"):
        clean("  ", profile)


def test_the_empty_question_message_names_the_domain() -> None:
    with pytest.raises(BadInput, match="about emergency services collaboration in England"):
        clean("\u200b ", load_profile(CORPUS / "profile.toml"))


@pytest.mark.parametrize(
    ("text", "fault"),
    [
        ('name = "x', "not a readable TOML profile"),
        ("description = 3", "`description` must be a string"),
        ('[services]\npolice = "police"', "`services.police` must be a list of strings"),
        ('colour = "blue"', "unknown keys colour"),
    ],
)
def test_a_broken_profile_is_refused_naming_the_fault(
    tmp_path: Path, text: str, fault: str
) -> None:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BadInput, match=fault):
        load_profile(path)


def test_the_profile_setting_defaults_to_the_corpus_folder(tmp_path: Path) -> None:
    assert Settings(corpus_dir=tmp_path).profile_path == tmp_path.resolve() / "profile.toml"
    other = tmp_path / "elsewhere.toml"
    assert Settings(corpus_dir=tmp_path, profile=other).profile_path == other.resolve()
