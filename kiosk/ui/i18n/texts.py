"""Per-language texts: gettext catalogs, Babel formatting, and a pseudo-locale for layout tests."""

from __future__ import annotations

import gettext
import io
import re
from datetime import datetime
from pathlib import Path

from msgspec import Struct

from kiosk.core.session import LANGUAGES
from kiosk.ui.i18n.bidi import isolate, isolate_latin, isolate_ltr

# Each language's own name, in its own script: no flags (a flag is a country, not a language).
LANGUAGE_NAMES = {
    "de": "Deutsch",
    "uk": "Українська",
    "ar": "العربية",
    "tr": "Türkçe",
    "en": "English",
}
PSEUDO = "pseudo"  # not offered to clients: lengthens every string to find clipped layouts
RIGHT_TO_LEFT = frozenset({"ar"})
ARABIC_SCRIPT = frozenset({"ar"})  # also Dari or Pashto, should they come
DOMAIN = "kiosk"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
CATALOG_DIR = Path(__file__).resolve().parents[3] / "i18n"


class Texts(Struct, frozen=True):
    """Everything language-dependent a screen needs, passed explicitly (no global install())."""

    language: str
    translations: gettext.NullTranslations
    babel_locale: str

    @property
    def rtl(self) -> bool:
        return self.language in RIGHT_TO_LEFT

    @property
    def font_scale(self) -> float:
        """Arabic letters are small for their size (Naskh at 26 px reads like Latin at 21 px):
        10 % larger, as much as the 13 concerns and the large-text receipt leave room for."""
        return 1.1 if self.language in ARABIC_SCRIPT else 1.0

    def gettext(self, message: str) -> str:
        return self._directed(self.translations.gettext(message))

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._directed(self.translations.ngettext(singular, plural, count))

    def pgettext(self, context: str, message: str) -> str:
        return self._directed(self.translations.pgettext(context, message))

    def _directed(self, text: str) -> str:
        # In Arabic, German terms ("(Kosten der Unterkunft)"), "BG" and "QR" keep their order
        # however the line wraps. Left-to-right languages need nothing: every value they show
        # reads left to right anyway, so their words (and speech) stay free of control marks.
        return isolate_latin(text) if self.rtl else text

    def fill(self, text: str, **values: object) -> str:
        """A translated text with its placeholders filled: ``t.fill(t.gettext(...), count=3)``.

        In right-to-left text every value is isolated, so a case number or a count cannot
        pull the words around it out of order.
        """
        if self.rtl:
            return text.format(**{name: isolate(value) for name, value in values.items()})
        return text.format(**values)

    def code(self, value: str) -> str:
        """A number or code shown on its own (receipt number, masked case number)."""
        return isolate_ltr(value) if self.rtl else value

    def number(self, value: int) -> str:
        # Western digits in every language, Arabic too: CLDR's default for "ar" since v42,
        # and the digits on the client's letters, receipts and case numbers.
        from babel.numbers import format_decimal  # Babel loads on first use, after the start

        return format_decimal(value, locale=self.babel_locale)

    def date_time(self, moment: datetime) -> str:
        """Long date and short time joined as the language does: "14 مارس 2025، 10:42 ص"."""
        from babel.dates import format_date, format_time, get_datetime_format

        day = format_date(moment, "long", locale=self.babel_locale)
        time = format_time(moment, "short", locale=self.babel_locale)
        pattern = str(get_datetime_format("medium", locale=self.babel_locale)).replace("'", "")
        return pattern.replace("{0}", time).replace("{1}", day)


def load_texts(language: str, locale_dir: Path = LOCALE_DIR) -> Texts:
    """Texts for a UI language; ``PSEUDO`` gives the lengthened English."""
    if language == PSEUDO:
        return Texts(PSEUDO, PseudoTranslations(), "en")
    if language not in LANGUAGES:
        raise ValueError(f"unknown UI language {language!r}")
    return Texts(language, _catalog(language, locale_dir), language)


def _catalog(language: str, locale_dir: Path) -> gettext.NullTranslations:
    mo = locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    po = CATALOG_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as f:
            return gettext.GNUTranslations(f)
    # Not compiled yet (a fresh clone run without dev.sh): compile in memory from the .po.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


_ACCENTED = str.maketrans(
    "abcdeghiklnorstuyzABCDEGHIKLNORSTUYZ", "åƀçđéĝĥîķļñöŕšţûýžÅƁÇĐÉĜĤÎĶĻÑÖŔŠŢÛÝŽ"
)
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")


def pseudo(message: str) -> str:
    """``Scan {count} pages`` -> ``⟦Šçåñ {count} þåĝéš ·····⟧``: 40 % longer, placeholders kept."""
    parts = _PLACEHOLDER.split(message)
    text = "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    padding = "·" * max(2, round(len(message) * 0.4) - 2)
    return f"⟦{text} {padding}⟧"


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)
