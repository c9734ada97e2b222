"""Authenticated encryption (AES-256-GCM) for anything of a client's that waits on disk."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"KSV1"
_NONCE = 12


class TamperedError(Exception):
    """Ciphertext that does not decrypt: corrupt, tampered with, or another key."""


class Vault:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        """Encrypt; ``context`` (e.g. the item id) is bound in, so files cannot be swapped."""
        nonce = os.urandom(_NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, plaintext, MAGIC + context)

    def open(self, blob: bytes, context: bytes) -> bytes:
        if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + _NONCE + 16:
            raise TamperedError("not a sealed item")
        nonce = blob[len(MAGIC) : len(MAGIC) + _NONCE]
        try:
            return self._aead.decrypt(nonce, blob[len(MAGIC) + _NONCE :], MAGIC + context)
        except InvalidTag as err:
            raise TamperedError("sealed item fails authentication") from err
