"""Building blocks the screens draw with: buttons, keypad, header, pictograms, pictures, theme."""
