"""Translations: gettext catalogs under kiosk/translations/, compiled on first use.

zh_CN is the default and the source of truth; en translates it. The .po files are the only
committed form: a compiled .mo is made from them into the user's cache, keyed by the catalog's
content hash, so a catalog edited in place never runs stale and a read-only install still works.
"""

from __future__ import annotations

import gettext
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.messages import Message

log = logging.getLogger(__name__)

DOMAIN = "kiosk"
TRANSLATIONS_DIR = Path(__file__).with_name("translations")
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


class CatalogMissing(Exception):
    pass


def po_path(language: str) -> Path:
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compiled(language: str, cache_dir: Path | None) -> bytes:
    source = po_path(language)
    try:
        stat = source.stat()
    except FileNotFoundError as error:
        raise CatalogMissing(f"no catalog for {language}: {source}") from error
    # Size and modification time name the catalog's version: an edit in place changes them.
    version = f"{stat.st_size:x}-{stat.st_mtime_ns:x}"
    cached = cache_dir / f"{DOMAIN}-{language}-{version}.mo" if cache_dir else None
    if cached is not None and cached.exists():
        return cached.read_bytes()
    po_bytes = source.read_bytes()
    # Babel is imported only here: on a warm cache the kiosk starts without it.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_bytes(data)
            tmp.replace(cached)
        except OSError:
            log.warning("could not cache compiled catalog for %s", language)
    return data


@dataclass
class Translator:
    """Turns message ids into text for one language."""

    language: str
    _catalog: gettext.GNUTranslations

    def text(self, message: Message | str) -> str:
        if isinstance(message, str):
            message = Message(message)
        template = self._catalog.gettext(message.id)
        if not message.params:
            return template
        try:
            return template.format(**message.params)
        except (KeyError, IndexError, ValueError):
            # A catalog typo must not take the screen down; the test suite catches it first.
            log.error("message %s does not format in %s", message.id, self.language)
            return template

    def text_with(self, message_id: str, **params: object) -> str:
        return self.text(Message(message_id, dict(params)))

    def has(self, message_id: str) -> bool:
        return self._catalog.gettext(message_id) != message_id


class Translations:
    """The kiosk's languages, each compiled once per process."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._loaded: dict[str, Translator] = {}

    def get(self, language: str) -> Translator:
        if language not in self._loaded:
            data = _compiled(language, self._cache_dir)
            catalog = gettext.GNUTranslations(io.BytesIO(data))
            self._loaded[language] = Translator(language, catalog)
        return self._loaded[language]

    def fixed_message_ids(self) -> list[str]:
        """Ids whose text has no placeholder: their speech can be made ahead of time."""
        catalog = self.get(DEFAULT_LANGUAGE)._catalog._catalog  # type: ignore[attr-defined]
        return sorted(
            k
            for k, v in catalog.items()
            # The staff console's texts are read in a browser, never spoken at a kiosk.
            if k and isinstance(k, str) and "{" not in v and not k.startswith("console.")
        )

    def all_texts(self) -> list[str]:
        """Every translated text of every language: what the font must cover."""
        texts: list[str] = []
        for language in LANGUAGES:
            catalog = self.get(language)._catalog
            texts.extend(v for v in catalog._catalog.values() if isinstance(v, str))  # type: ignore[attr-defined]
        return texts
