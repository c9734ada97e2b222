"""The kiosk's screens: each renders a View and emits intents, and decides nothing."""
