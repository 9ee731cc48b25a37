"""Remove characters a reader cannot see but a model or a search index still reads.

Unicode tag characters can spell out a hidden instruction, bidirectional controls can show a word
reversed from the text that is stored, and zero-width characters split words for search. All are
format characters (category Cf); the few Cf characters that print a visible mark are kept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The tag block, assigned or not: every character in it is invisible.
_TAG_BLOCK = range(0xE0000, 0xE0080)
# Format characters that print a visible mark (Unicode's Prepended_Concatenation_Mark property:
# number signs and end-of-verse marks), so removing them would change what a reader sees.
_VISIBLE_FORMAT = frozenset(
    chr(c) for c in (*range(0x0600, 0x0606), 0x06DD, 0x070F, 0x0890, 0x0891, 0x08E2)
) | frozenset(chr(c) for c in (0x110BD, 0x110CD))
# Only non-ASCII runs are looked at: ASCII holds no format characters.
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def strip_invisible(text: str) -> str:
    """The text without tag characters, bidirectional controls and zero-width characters."""
    return _NON_ASCII.sub(_visible, text)


def _visible(match: re.Match[str]) -> str:
    return "".join(c for c in match.group() if not _hidden(c))


@lru_cache(maxsize=4096)
def _hidden(char: str) -> bool:
    if ord(char) in _TAG_BLOCK:
        return True
    return unicodedata.category(char) == "Cf" and char not in _VISIBLE_FORMAT
