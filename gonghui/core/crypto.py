"""Field encryption for personal data (身份证号, phone, health and income details).

Ciphertext format: ``g1$<cipher>$<key version>$<base64(nonce ‖ ciphertext ‖ tag)>``.
The cipher is SM4-GCM (国密) where this OpenSSL build offers it, AES-256-GCM otherwise; the key
version lets keys rotate: new writes use the current key, old rows stay readable with theirs.
Lookups never decrypt: an HMAC blind index of the normalised value is stored beside the field.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache, lru_cache

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

PREFIX = "g1"
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    pass


@cache
def sm4_available() -> bool:
    try:
        Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(NONCE_BYTES))).encryptor()
    except (UnsupportedAlgorithm, ValueError):
        return False
    return True


def preferred_cipher() -> str:
    forced = getattr(settings, "GONGHUI_FIELD_CIPHER", "auto")
    if forced in {"sm4", "aes"}:
        return forced
    return "sm4" if sm4_available() else "aes"


def _master_key(version: str) -> bytes:
    try:
        raw = settings.FIELD_ENCRYPTION_KEYS["keys"][version]
    except KeyError as exc:
        raise DecryptionError(f"缺少第 {version} 版字段加密密钥") from exc
    return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))


def _derived_key(version: str, cipher: str) -> bytes:
    # One master key per version; each cipher gets its own subkey of the size it needs.
    digest = hmac.new(_master_key(version), f"gonghui-field-{cipher}".encode(), hashlib.sha256).digest()
    return digest[:16] if cipher == "sm4" else digest


def _sm4_gcm(key: bytes, nonce: bytes, data: bytes, *, decrypt: bool) -> bytes:
    if decrypt:
        body, tag = data[:-TAG_BYTES], data[-TAG_BYTES:]
        dec = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        return dec.update(body) + dec.finalize()
    enc = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    return enc.update(data) + enc.finalize() + enc.tag


def encrypt(plaintext: str) -> str:
    cipher = preferred_cipher()
    version = str(settings.FIELD_ENCRYPTION_KEYS["current"])
    key = _derived_key(version, cipher)
    nonce = os.urandom(NONCE_BYTES)
    data = plaintext.encode()
    sealed = (
        _sm4_gcm(key, nonce, data, decrypt=False)
        if cipher == "sm4"
        else AESGCM(key).encrypt(nonce, data, None)
    )
    return f"{PREFIX}${cipher}${version}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str) -> str:
    try:
        prefix, cipher, version, payload = token.split("$", 3)
        blob = base64.b64decode(payload)
    except ValueError as exc:
        raise DecryptionError("密文格式不正确") from exc
    if prefix != PREFIX or cipher not in {"sm4", "aes"}:
        raise DecryptionError("未知的密文格式")
    key = _derived_key(version, cipher)
    nonce, sealed = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    try:
        if cipher == "sm4":
            data = _sm4_gcm(key, nonce, sealed, decrypt=True)
        else:
            data = AESGCM(key).decrypt(nonce, sealed, None)
    except (InvalidTag, ValueError) as exc:
        # ValueError: a truncated blob leaves GCM a nonce or tag of the wrong length.
        raise DecryptionError("密文校验失败（密钥不符或数据被篡改）") from exc
    return data.decode()


def key_version(token: str) -> str:
    return token.split("$", 3)[2]


def needs_rotation(token: str) -> bool:
    return key_version(token) != str(settings.FIELD_ENCRYPTION_KEYS["current"])


@lru_cache(maxsize=4)
def _index_key(raw: str) -> bytes:
    # Decoded once per key: bulk imports compute two indexes per row.
    return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA-256 of the normalised value, separated by purpose so equal values in
    different fields do not share an index. Deterministic: used for lookups and de-duplication."""
    key = _index_key(settings.FIELD_ENCRYPTION_KEYS["index_key"])
    return hmac.new(key, f"{purpose}:{value.strip().upper()}".encode(), hashlib.sha256).hexdigest()


# --- masking --------------------------------------------------------------------------------


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = value[3:] if value.startswith("+86") else value
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "****" + digits[-4:]


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    if len(value) == 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_text(value: str | None, keep: int = 0) -> str:
    if not value:
        return ""
    return value[:keep] + "*" * max(len(value) - keep, 0)
