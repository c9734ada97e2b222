"""What the kiosk says and sounds: speech through espeak-ng, the warning chime."""
