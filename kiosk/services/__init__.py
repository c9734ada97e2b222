"""Work with I/O behind small functions and classes; no Qt."""
