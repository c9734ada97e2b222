"""The kiosk's rules as pure Python: no I/O, no Qt."""
