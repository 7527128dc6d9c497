from django.db import transaction

from gonghui.core.models import Notification
from gonghui.core.notifications import notification_mark_read, notify, unread_count
from gonghui.testing.factories import make_user


def test_notify_puts_the_message_in_the_inbox(db):
    user = make_user(name="王建军")
    notify(user=user, title="入会申请已通过", body="欢迎加入预石运输工会", link="/me/")
    assert unread_count(user) == 1
    note = Notification.objects.get(user=user)
    assert (note.title, note.link, note.kind) == ("入会申请已通过", "/me/", "system")


def test_sms_leaves_only_after_commit(db, sms_outbox, django_capture_on_commit_callbacks):
    user = make_user(phone="13912345678")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(user=user, title="您的诉求已受理", sms=True)
        assert sms_outbox == []
    assert len(callbacks) == 1
    assert sms_outbox == [("+8613912345678", "【工会】您的诉求已受理")]


def test_no_sms_when_the_transaction_rolls_back(transactional_db, sms_outbox):
    user = make_user()

    class Boom(Exception):
        pass

    try:
        with transaction.atomic():
            notify(user=user, title="不该发出", sms=True)
            raise Boom
    except Boom:
        pass
    assert sms_outbox == []
    assert not Notification.objects.filter(user=user).exists()


def test_no_sms_unless_asked(db, sms_outbox, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, title="站内消息")
    assert sms_outbox == []


def test_mark_read_touches_only_the_owners_messages(db):
    me, other = make_user(), make_user()
    mine = notify(user=me, title="a")
    notify(user=me, title="b")
    notify(user=other, title="c")
    assert notification_mark_read(user=me, notification_id=mine.pk) == 1
    assert unread_count(me) == 1
    assert notification_mark_read(user=me) == 1
    assert unread_count(me) == 0
    assert unread_count(other) == 1


def test_inbox_api_lists_and_marks_read(db, api):
    me, other = make_user(), make_user()
    note = notify(user=me, title="活动报名成功")
    foreign = notify(user=other, title="别人的通知")
    client = api(me)
    assert [n["title"] for n in client.get("notifications").json()] == ["活动报名成功"]
    assert client.post(f"notifications/{foreign.pk}/read").status_code == 404
    assert client.post(f"notifications/{note.pk}/read").json() == {"ok": True}
    assert client.get("notifications", {"unread": "true"}).json() == []
    foreign.refresh_from_db()
    assert foreign.read_at is None


def test_inbox_page_marks_all_read(db, client):
    me = make_user()
    notify(user=me, title="福利券到账")
    client.force_login(me)
    page = client.get("/inbox/")
    assert "福利券到账" in page.content.decode()
    client.post("/inbox/")
    assert unread_count(me) == 0
