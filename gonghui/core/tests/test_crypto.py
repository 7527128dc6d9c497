import base64

import pytest
from django.db import connection

from gonghui.core import crypto
from gonghui.core.crypto import DecryptionError
from gonghui.testing.factories import make_id, make_member, make_user

KEY_1 = base64.urlsafe_b64encode(b"1" * 32).decode()
KEY_2 = base64.urlsafe_b64encode(b"2" * 32).decode()
INDEX_KEY = base64.urlsafe_b64encode(b"i" * 32).decode()


@pytest.fixture
def keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = {"current": 1, "keys": {"1": KEY_1}, "index_key": INDEX_KEY}
    return settings


def test_sm4_gcm_is_used_when_openssl_offers_it(keys):
    if not crypto.sm4_available():
        pytest.skip("此 OpenSSL 版本不提供 SM4")
    token = crypto.encrypt("11010519491231002X")
    assert token.startswith("g1$sm4$1$")
    assert crypto.decrypt(token) == "11010519491231002X"


def test_aes_gcm_when_forced_by_setting(keys):
    keys.GONGHUI_FIELD_CIPHER = "aes"
    token = crypto.encrypt("13800138000")
    assert token.startswith("g1$aes$1$")
    assert crypto.decrypt(token) == "13800138000"


def test_rows_written_with_either_cipher_stay_readable(keys):
    keys.GONGHUI_FIELD_CIPHER = "aes"
    aes = crypto.encrypt("王建军")
    keys.GONGHUI_FIELD_CIPHER = "auto"
    assert crypto.decrypt(aes) == "王建军"


def test_encryption_is_randomised(keys):
    assert crypto.encrypt("11010519491231002X") != crypto.encrypt("11010519491231002X")


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_tampered_ciphertext_is_refused(keys, cipher):
    if cipher == "sm4" and not crypto.sm4_available():
        pytest.skip("此 OpenSSL 版本不提供 SM4")
    keys.GONGHUI_FIELD_CIPHER = cipher
    token = crypto.encrypt("11010519491231002X")
    head, payload = token.rsplit("$", 1)
    blob = bytearray(base64.b64decode(payload))
    blob[-20] ^= 0x01
    with pytest.raises(DecryptionError, match="密文校验失败"):
        crypto.decrypt(f"{head}${base64.b64encode(bytes(blob)).decode()}")


@pytest.mark.parametrize("cipher", ["sm4", "aes"])
def test_truncated_ciphertext_is_a_decryption_error_not_a_crash(keys, cipher):
    with pytest.raises(DecryptionError):
        crypto.decrypt(f"g1${cipher}$1${base64.b64encode(b'short').decode()}")


@pytest.mark.parametrize("token", ["not-a-token", "g2$aes$1$AAAA", "g1$rot13$1$AAAA"])
def test_foreign_formats_are_refused(keys, token):
    with pytest.raises(DecryptionError):
        crypto.decrypt(token)


def test_wrong_key_cannot_read(keys):
    token = crypto.encrypt("11010519491231002X")
    keys.FIELD_ENCRYPTION_KEYS = {"current": 1, "keys": {"1": KEY_2}, "index_key": INDEX_KEY}
    with pytest.raises(DecryptionError):
        crypto.decrypt(token)


def test_key_rotation_keeps_old_rows_readable_and_writes_with_the_new_key(keys):
    old = crypto.encrypt("11010519491231002X")
    keys.FIELD_ENCRYPTION_KEYS = {"current": 2, "keys": {"1": KEY_1, "2": KEY_2}, "index_key": INDEX_KEY}
    new = crypto.encrypt("11010519491231002X")
    assert crypto.key_version(old) == "1"
    assert crypto.key_version(new) == "2"
    assert crypto.decrypt(old) == crypto.decrypt(new) == "11010519491231002X"
    assert crypto.needs_rotation(old)
    assert not crypto.needs_rotation(new)


def test_dropping_a_key_still_in_use_is_reported(keys):
    old = crypto.encrypt("x")
    keys.FIELD_ENCRYPTION_KEYS = {"current": 2, "keys": {"2": KEY_2}, "index_key": INDEX_KEY}
    with pytest.raises(DecryptionError, match="缺少第 1 版"):
        crypto.decrypt(old)


def test_rotated_model_rows_stay_readable(keys, db):
    member = make_member(make_org_for_crypto(), id_number="11010519491231002X")
    keys.FIELD_ENCRYPTION_KEYS = {"current": 2, "keys": {"1": KEY_1, "2": KEY_2}, "index_key": INDEX_KEY}
    member.refresh_from_db()
    assert member.id_number == "11010519491231002X"
    member.save()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [member.pk])
        assert crypto.key_version(cursor.fetchone()[0]) == "2"


def make_org_for_crypto():
    from gonghui.orgs.models import Org
    from gonghui.testing.factories import make_org

    return make_org(None, Org.Kind.NATIONAL, "中华全国总工会")


def test_blind_index_is_deterministic_and_normalised(keys):
    a = crypto.blind_index("11010519491231002X", purpose="id_number")
    assert a == crypto.blind_index(" 11010519491231002x", purpose="id_number")
    assert len(a) == 64


def test_blind_index_is_separated_by_purpose(keys):
    value = "13800138000"
    assert crypto.blind_index(value, purpose="phone") != crypto.blind_index(value, purpose="id_number")


def test_blind_index_depends_on_the_index_key(keys):
    before = crypto.blind_index("13800138000", purpose="phone")
    keys.FIELD_ENCRYPTION_KEYS = {"current": 1, "keys": {"1": KEY_1}, "index_key": KEY_2}
    assert crypto.blind_index("13800138000", purpose="phone") != before


def test_masks():
    assert crypto.mask_id_number("11010519491231002X") == "1101**********002X"
    assert crypto.mask_phone("+8613800138000") == "138****8000"
    assert crypto.mask_phone("13800138000") == "138****8000"
    assert crypto.mask_name("王建军") == "王*军"
    assert crypto.mask_name("王军") == "王*"
    assert crypto.mask_name("欧阳娜娜") == "欧**娜"
    assert crypto.mask_text("柳林县青龙路88号", keep=3) == "柳林县******"
    assert crypto.mask_id_number("") == crypto.mask_phone(None) == crypto.mask_name("") == ""


def _raw(sql, pk):
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return cursor.fetchone()


def test_raw_database_columns_hold_no_personal_data(db):
    from gonghui.testing.personas import build_tree

    tree = build_tree()
    id_number = make_id()
    user = make_user(phone="13912345678", name="王建军")
    member = make_member(tree.grassroots, user=user, id_number=id_number, name="王建军")

    member_id, member_phone, member_index = _raw(
        "SELECT id_number, phone, id_index FROM members_member WHERE id = %s", member.pk
    )
    (user_phone,) = _raw("SELECT phone FROM accounts_user WHERE id = %s", user.pk)
    for column in (member_id, member_phone, user_phone, member_index):
        # Neither the value nor any long run of its digits (a naive encoding) may show.
        for secret in (id_number, id_number[6:14], id_number[-6:], "13912345678", "12345678"):
            assert secret not in column
    assert member_id.startswith("g1$") and member_phone.startswith("g1$") and user_phone.startswith("g1$")
    member.refresh_from_db()
    assert member.id_number == id_number
    assert member.phone == user.phone == "+8613912345678"


def test_encrypted_fields_refuse_lookups(db):
    from gonghui.members.models import Member

    with pytest.raises(TypeError, match="盲索引"):
        Member.objects.filter(id_number="11010519491231002X").exists()
