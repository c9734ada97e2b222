"""Staff PINs stored as Argon2id (argon2-cffi): the encoded hash names its parameters.

argon2-cffi's defaults are RFC 9106's second recommendation (t=3, 64 MiB, p=4): about
0.1 s on a kiosk PC, which is also a floor under every PIN try. A 4-8 digit PIN is no
match for offline guessing whatever the hash: the register's mode 0600 and the login
throttle are what protect it; Argon2id makes a stolen register slow to use.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from argon2 import PasswordHasher


@functools.cache
def _hasher() -> PasswordHasher:
    """Argon2id, RFC 9106 low-memory parameters; argon2 loaded only when a PIN is used
    (12 ms the touch UI's start need not pay)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def hash_pin(pin: str) -> str:
    return _hasher().hash(pin)


def pin_matches(pin_hash: str, pin: str) -> bool:
    """Does ``pin`` match? A damaged hash matches nothing."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(pin_hash: str) -> bool:
    """Was it hashed with weaker parameters than today's? (then store it anew at login)"""
    from argon2.exceptions import InvalidHashError

    try:
        return _hasher().check_needs_rehash(pin_hash)
    except InvalidHashError:
        return False
