"""Translations: gettext catalogs under kiosk/translations/, compiled on first use.

zh_CN is the default and the source of truth; en translates it. The .po files are the only
committed form: they are compiled, as msgfmt would, into the user's cache, keyed by the catalog's
size and modification time, so a catalog edited in place never runs stale and a read-only
install still works.
"""

from __future__ import annotations

import gettext
import io
import logging
from pathlib import Path

from kiosk.domain.messages import Message

log = logging.getLogger(__name__)

DOMAIN = "kiosk"
TRANSLATIONS_DIR = Path(__file__).with_name("translations")
LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"
SEPARATOR = "\0"


class CatalogMissing(Exception):
    pass


def po_path(language: str) -> Path:
    return TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _compiled(language: str, cache_dir: Path | None) -> dict[str, str]:
    """The catalog's texts by message id, from the cache when this version was compiled before.

    The cache keeps the texts as they come out of the compiled catalog, ids and texts in turns
    between NUL characters (which no catalog text can hold), then their number: reading them
    back is one split, where parsing a .mo on every start cost the first frame some 2 ms.
    """
    source = po_path(language)
    try:
        stat = source.stat()
    except FileNotFoundError as error:
        raise CatalogMissing(f"no catalog for {language}: {source}") from error
    # Size and modification time name the catalog's version: an edit in place changes them.
    version = f"{stat.st_size:x}-{stat.st_mtime_ns:x}"
    cached = cache_dir / f"{DOMAIN}-{language}-{version}.texts" if cache_dir else None
    if cached is not None and cached.exists():
        try:
            *fields, count = cached.read_bytes().decode("utf-8").split(SEPARATOR)
        except (OSError, UnicodeDecodeError):
            fields, count = [], ""
        # The file ends with its number of texts: a file cut short is compiled anew.
        if count.isdigit() and len(fields) == 2 * int(count):
            return dict(zip(fields[::2], fields[1::2], strict=True))
    texts = _compile(language, source.read_bytes())
    if cached is not None:
        _keep(texts, cached, language)
    return texts


def _compile(language: str, po_bytes: bytes) -> dict[str, str]:
    """What gettext reads from the catalog compiled as msgfmt would (fuzzy entries left out)."""
    # Babel is imported only here: on a warm cache the kiosk starts without it.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po_bytes), locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    parsed = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))
    return dict(parsed._catalog)  # type: ignore[attr-defined]


def _keep(texts: dict[str, str], cached: Path, language: str) -> None:
    # Plural forms (keyed by id and count) and texts holding the separator have no place in
    # this file: such a catalog is compiled anew at each start instead.
    if any(
        not isinstance(item, str) or SEPARATOR in item for pair in texts.items() for item in pair
    ):
        return
    data = SEPARATOR.join([*(item for pair in texts.items() for item in pair), str(len(texts))])
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        tmp.write_bytes(data.encode("utf-8"))
        tmp.replace(cached)
    except OSError:
        log.warning("could not cache compiled catalog for %s", language)


class Translator:
    """Turns message ids into text for one language. A plain class: a dataclass costs the
    first frame some 0.5 ms of CPU to make."""

    def __init__(self, language: str, texts: dict[str, str]) -> None:
        self.language = language
        self._texts = texts

    def text(self, message: Message | str) -> str:
        if isinstance(message, str):
            message = Message(message)
        template = self._texts.get(message.id, message.id)
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
        return self._texts.get(message_id, message_id) != message_id


class Translations:
    """The kiosk's languages, each compiled once per process."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache_dir = cache_dir
        self._loaded: dict[str, Translator] = {}

    def get(self, language: str) -> Translator:
        if language not in self._loaded:
            self._loaded[language] = Translator(language, _compiled(language, self._cache_dir))
        return self._loaded[language]

    def fixed_message_ids(self) -> list[str]:
        """Ids whose text has no placeholder: their speech can be made ahead of time."""
        catalog = self.get(DEFAULT_LANGUAGE)._texts
        return sorted(
            k
            for k, v in catalog.items()
            # The staff console's texts are read in a browser, never spoken at a kiosk.
            if k and "{" not in v and not k.startswith("console.")
        )

    def all_texts(self) -> list[str]:
        """Every translated text of every language: what the font must cover."""
        texts: list[str] = []
        for language in LANGUAGES:
            texts.extend(self.get(language)._texts.values())
        return texts
