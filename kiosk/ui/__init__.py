"""The touch UI (PySide6): a presenter that drives the core session, and screens that render it."""
