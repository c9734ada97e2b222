"""Staff cards with a PIN: the register, the login throttle, the audit log, card printing.

Everything lives in ``<state dir>/staff/`` (0700), each file 0600:

- ``register.json``: the enrolled cards (card id, name, role, expiry, Argon2id PIN hash)
  and the revocation list. Names are staff's personal data: on the kiosk only, never in a
  log, the audit log or the support bundle.
- ``throttle.json``: wrong PINs in a row, per card and for the kiosk, and the lockouts.
- ``audit.jsonl`` and ``audit.head``: the hash-chained audit log (kiosk.services.staff.audit).
- ``.lock``: one writer at a time (the touch UI and a `kiosk staff` command may overlap).
"""
