"""Hardware adapters behind small protocols: scanner, camera, code reader."""
