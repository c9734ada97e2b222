"""Authenticated encryption (AES-256-GCM) for anything of a client's that waits on disk."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"KSV1"
_NONCE = 12
_TAG = 16

Chunk = bytes | bytearray | memoryview


class TamperedError(Exception):
    """Ciphertext that does not decrypt: corrupt, tampered with, or another key."""


class Vault:
    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self._key = key

    def seal(self, plaintext: Chunk, context: bytes) -> bytes:
        """Encrypt; ``context`` (e.g. the item id) is bound in, so files cannot be swapped."""
        nonce = os.urandom(_NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, plaintext, MAGIC + context)

    def sealing(self, plaintext: Iterable[Chunk], context: bytes) -> Iterator[bytes]:
        """The same sealed item as ``seal`` makes (``open`` reads either), in pieces as the
        plaintext comes: a document is written to disk encrypted without a second copy of
        it, let alone a third, in memory (issue 15: 34 MB for 100 colour pages)."""
        nonce = os.urandom(_NONCE)
        encryptor = Cipher(algorithms.AES(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(MAGIC + context)
        yield MAGIC + nonce
        for chunk in plaintext:
            yield encryptor.update(chunk)
        yield encryptor.finalize() + encryptor.tag

    def open(self, blob: Chunk, context: bytes) -> bytes:
        if bytes(blob[: len(MAGIC)]) != MAGIC or len(blob) < len(MAGIC) + _NONCE + _TAG:
            raise TamperedError("not a sealed item")
        view = memoryview(blob)  # the ciphertext without a copy of it
        nonce = bytes(view[len(MAGIC) : len(MAGIC) + _NONCE])
        # Decrypted as a stream, which takes a view in every cryptography release (the
        # one-shot AESGCM.decrypt refuses a memoryview before 39: Debian 12 ships 38, and a
        # spool item it cannot open is quarantined). Nothing is returned before the tag is
        # checked.
        decryptor = Cipher(
            algorithms.AES(self._key), modes.GCM(nonce, bytes(view[-_TAG:]))
        ).decryptor()
        decryptor.authenticate_additional_data(MAGIC + context)
        try:
            plain = decryptor.update(view[len(MAGIC) + _NONCE : -_TAG])
            return plain + decryptor.finalize()  # b"": the same bytes object, no copy
        except InvalidTag as err:
            raise TamperedError("sealed item fails authentication") from err
