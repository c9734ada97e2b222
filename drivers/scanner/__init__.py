"""The document scanner: the Scanner protocol and its SANE adapter (a worker process under a
watchdog).
"""
