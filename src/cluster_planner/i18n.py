"""The one catalogue of words the user reads, in Chinese and English.

Every CLI message, report label and explanation comes from :data:`CATALOGUE` through
:func:`t`. Modules add their entries with :func:`register` at import time, so each keeps
its words beside the code that uses them while the lookup stays in one place.
"""

from __future__ import annotations

from typing import Any

Lang = str  # "zh" | "en"
LANGS = ("zh", "en")

CATALOGUE: dict[str, dict[Lang, str]] = {}


def register(entries: dict[str, tuple[str, str]]) -> None:
    """Add ``key: (zh, en)`` entries; a key registered twice with other words is a bug."""
    for key, (zh, en) in entries.items():
        known = CATALOGUE.get(key)
        if known is not None and known != {"zh": zh, "en": en}:
            raise KeyError(f"catalogue key {key!r} registered twice with different words")
        CATALOGUE[key] = {"zh": zh, "en": en}


def t(key: str, lang: Lang = "zh", /, **params: Any) -> str:
    """The words for ``key`` in ``lang``, formatted with ``params``."""
    entry = CATALOGUE[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def both(key: str, /, **params: Any) -> str:
    """``中文 / English``: the words in both languages, for what is read before a language is known."""
    return f"{t(key, 'zh', **params)} / {t(key, 'en', **params)}"
