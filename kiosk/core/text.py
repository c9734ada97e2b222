"""Marker for translatable text: strings are translated where they are shown, not here."""


def N_(message: str) -> str:
    """Mark a string for extraction by pybabel; returns it unchanged."""
    return message
