"""Developer tooling, not started by the kiosk: catalog upkeep, sample sessions, screenshots."""
