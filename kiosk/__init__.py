"""Self-service document-scanning kiosk for job centres."""

__version__ = "0.1.0"
