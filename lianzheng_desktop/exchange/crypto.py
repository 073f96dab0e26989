"""The cryptography of packages, receipts and settings files, in one place, named by suite.

One suite today (PyCA ``cryptography``): Ed25519 signatures; sealing to the committee with
X25519, HKDF-SHA256 and ChaCha20-Poly1305 (an ECIES-style envelope: a fresh key pair per
package, its public half in the envelope). Every file names its suite, so another (for
example SM2/SM3/SM4) can be added beside this one and old files still read.

Keys are raw bytes: a unit's key is an Ed25519 pair (32-byte halves); the committee's key
is an Ed25519 pair for signing receipts and settings followed by an X25519 pair for
opening packages (64-byte halves). A fingerprint is read over the telephone: 20 hex
digits of the SHA-256 of the public half, in groups of four.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass

# cryptography itself is imported by the functions that use it: 30–40 ms off the desktop
# program's start, which needs no key until the first export or import.

SUITE = "ed25519+x25519-hkdf-sha256-chacha20poly1305"
SUITES = (SUITE,)
KEY_HALF = 32
NONCE = 12
_SEAL_INFO = b"lianzheng-desktop sealed package v2"
_UNIT_PREFIX = b"lianzheng unit key\x00"
_COMMITTEE_PREFIX = b"lianzheng committee key\x00"


class CryptoRefused(Exception):
    """A signature that does not verify, a seal that does not open, a key that is no key."""


@dataclass(frozen=True)
class KeyPair:
    """Raw private and public halves; ``role`` is "unit" or "committee"."""

    role: str
    private: bytes
    public: bytes
    suite: str = SUITE

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.role, self.public)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, length: int | None = None) -> bytes:
    """Base64 text to bytes, of exactly ``length`` bytes when given; CryptoRefused otherwise."""
    if not isinstance(text, str) or len(text) > 1_000_000:
        raise CryptoRefused("不是 Base64 文字")
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise CryptoRefused("不是有效的 Base64 文字") from None
    if length is not None and len(data) != length:
        raise CryptoRefused(f"长度应为 {length} 字节，实际 {len(data)} 字节")
    return data


def fingerprint(role: str, public: bytes) -> str:
    prefix = _UNIT_PREFIX if role == "unit" else _COMMITTEE_PREFIX
    digest = hashlib.sha256(prefix + public).hexdigest()[:20].upper()
    return " ".join(digest[i:i + 4] for i in range(0, 20, 4))


def _raw_private(key) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def _raw_public(key) -> bytes:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def new_unit_key() -> KeyPair:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    signing = Ed25519PrivateKey.generate()
    return KeyPair("unit", _raw_private(signing), _raw_public(signing.public_key()))


def new_committee_key() -> KeyPair:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    signing, sealing = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    return KeyPair("committee", _raw_private(signing) + _raw_private(sealing),
                   _raw_public(signing.public_key()) + _raw_public(sealing.public_key()))


def key_from_private(role: str, private: bytes) -> KeyPair:
    """The pair whose private half is given (the public half is derived from it)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    try:
        if role == "unit" and len(private) == KEY_HALF:
            return KeyPair(role, private, _raw_public(Ed25519PrivateKey.from_private_bytes(private).public_key()))
        if role == "committee" and len(private) == 2 * KEY_HALF:
            signing = Ed25519PrivateKey.from_private_bytes(private[:KEY_HALF])
            sealing = X25519PrivateKey.from_private_bytes(private[KEY_HALF:])
            return KeyPair(role, private, _raw_public(signing.public_key()) + _raw_public(sealing.public_key()))
    except ValueError:
        pass
    raise CryptoRefused("密钥内容无效")


def signing_half(key: KeyPair) -> bytes:
    """The Ed25519 private key of a unit's or the committee's pair."""
    return key.private[:KEY_HALF]


def committee_signing_public(public: bytes) -> bytes:
    return public[:KEY_HALF]


def committee_sealing_public(public: bytes) -> bytes:
    return public[KEY_HALF:]


# -- signatures ----------------------------------------------------------------------


def sign(private: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return Ed25519PrivateKey.from_private_bytes(private[:KEY_HALF]).sign(data)


def verify(public: bytes, signature: bytes, data: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public[:KEY_HALF]).verify(signature, data)
    except (InvalidSignature, ValueError):
        return False
    return True


# -- sealing -------------------------------------------------------------------------


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + recipient, info=_SEAL_INFO).derive(shared)


def seal(recipient_public: bytes, plaintext: bytes,
         header: Callable[[bytes, bytes], bytes]) -> tuple[bytes, bytes]:
    """Encrypt to the committee's X25519 public key with a one-time key pair; returns
    (header, ciphertext). ``header(ephemeral public key, nonce)`` makes the envelope's
    header, which is authenticated with the ciphertext."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    recipient = committee_sealing_public(recipient_public)
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = _raw_public(ephemeral.public_key())
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(recipient))
    nonce = os.urandom(NONCE)
    key = _seal_key(shared, ephemeral_public, recipient)
    aad = header(ephemeral_public, nonce)
    return aad, ChaCha20Poly1305(key).encrypt(nonce, plaintext, aad)


def unseal(committee: KeyPair, ephemeral_public: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Open a sealed package with the committee's key; CryptoRefused when it does not open
    (altered, damaged, or sealed to another key)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    sealing = X25519PrivateKey.from_private_bytes(committee.private[KEY_HALF:])
    recipient = committee_sealing_public(committee.public)
    try:
        shared = sealing.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _seal_key(shared, ephemeral_public, recipient)
        return ChaCha20Poly1305(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError):
        raise CryptoRefused("无法解密") from None


# -- a private key under a passphrase ------------------------------------------------

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 17, 8, 1  # 128 MB, about half a second on an office PC
MAX_SCRYPT_N = 2 ** 20


def _passphrase_key(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def protect(private: bytes, passphrase: str, aad: bytes) -> dict:
    """The private key encrypted under a passphrase (scrypt, then ChaCha20-Poly1305)."""
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    salt, nonce = os.urandom(16), os.urandom(NONCE)
    key = _passphrase_key(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return {"kdf": {"name": "scrypt", "n": SCRYPT_N, "r": SCRYPT_R, "p": SCRYPT_P, "salt": b64(salt)},
            "cipher": "chacha20poly1305", "nonce": b64(nonce),
            "ciphertext": b64(ChaCha20Poly1305(key).encrypt(nonce, private, aad))}


def unprotect(sealed: dict, passphrase: str, aad: bytes) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

    kdf = sealed.get("kdf")
    if not isinstance(kdf, dict) or kdf.get("name") != "scrypt" or sealed.get("cipher") != "chacha20poly1305":
        raise CryptoRefused("文件使用了本程序不认识的加密方式")
    n, r, p = kdf.get("n"), kdf.get("r"), kdf.get("p")
    if not (isinstance(n, int) and isinstance(r, int) and isinstance(p, int)) or any(
            isinstance(v, bool) for v in (n, r, p)) or not (
            2 <= n <= MAX_SCRYPT_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16):
        raise CryptoRefused("文件的加密参数超出范围")
    key = _passphrase_key(passphrase, unb64(kdf.get("salt")), n, r, p)
    try:
        return ChaCha20Poly1305(key).decrypt(unb64(sealed.get("nonce"), NONCE), unb64(sealed.get("ciphertext")), aad)
    except InvalidTag:
        raise CryptoRefused("口令不对，或文件被改动过") from None
