"""Texts per language: gettext catalogs, Babel formatting, the pseudo-locale, bidi isolates."""
