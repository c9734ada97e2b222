"""The card camera: frame sources, reconnects, the live preview."""
