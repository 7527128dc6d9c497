from decimal import Decimal

import pytest

from gonghui.core.errors import DomainError
from gonghui.core.models import Notification
from gonghui.proposals import selectors, services
from gonghui.proposals.models import Reward
from gonghui.proposals.views.bench import ledger_xlsx

pytestmark = pytest.mark.django_db


def grant(world, proposal=None, **kw):
    args = {"kind": "quarter", "year": 2026, "quarter": 2, "amount": "5000", **kw}
    return services.reward_grant(actor=world.admin, programme=world.programme, proposal=proposal, **args)


def test_quarter_award_lands_in_the_ledger_and_the_worker_sees_it(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    proposal = world.adopted()
    with django_capture_on_commit_callbacks(execute=True):
        reward = grant(world, proposal)
    assert reward.amount == Decimal("5000.00") and reward.recipient == world.worker
    assert list(selectors.reward_ledger(actor=world.admin, year=2026, quarter=2)) == [reward]
    assert list(selectors.worker_rewards(actor=world.worker)) == [reward]
    assert Notification.objects.filter(user=world.worker, title__contains="5,000.00 元").exists()
    assert len(sms_outbox) == 1


@pytest.mark.parametrize("amount", ["999.99", "20000.01", "0", "abc"])
def test_quarter_amount_outside_the_programme_range_is_refused(world, amount):
    proposal = world.adopted()
    with pytest.raises(DomainError) as exc:
        grant(world, proposal, amount=amount)
    assert exc.value.field == "amount"
    assert not Reward.objects.exists()


def test_range_follows_the_programme_rules(world):
    services.programme_update_rules(actor=world.admin, programme=world.programme, quarter_max="8000")
    proposal = world.adopted()
    with pytest.raises(DomainError) as exc:
        grant(world, proposal, amount="10000")
    assert "1,000.00 至 8,000.00 元" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.programme_update_rules(actor=world.admin, programme=world.programme, hall_min="20000")
    assert exc.value.code == "range_order"


def test_no_member_paid_twice_for_the_same_proposal(world):
    proposal = world.adopted()
    grant(world, proposal)
    with pytest.raises(DomainError) as exc:
        grant(world, proposal, quarter=3, amount="3000")
    assert exc.value.code == "already_rewarded" and exc.value.status == 409
    # Not by the yearly 名人堂 either.
    with pytest.raises(DomainError):
        grant(world, proposal, kind="hall", quarter=None, amount="8000")
    assert Reward.objects.count() == 1


def test_a_team_member_may_be_rewarded_once_too(world):
    from gonghui.testing.factories import make_member, make_user

    mate = make_user(name="张伟")
    make_member(world.workshop, user=mate, name="张伟")
    proposal = world.adopted(team=[services.TeamInput(name="张伟", phone=mate.phone)])
    grant(world, proposal)
    grant(world, proposal, recipient=mate, amount="2000")
    with pytest.raises(DomainError):
        grant(world, proposal, recipient=mate, amount="2000")
    outsider = make_user(name="路人")
    with pytest.raises(DomainError) as exc:
        grant(world, proposal, recipient=outsider)
    assert exc.value.code == "not_on_team"
    assert Reward.objects.count() == 2


def test_only_adopted_proposals_are_rewarded(world):
    proposal = world.submitted()
    with pytest.raises(DomainError) as exc:
        grant(world, proposal)
    assert exc.value.code == "not_adopted"


def test_exemplar_is_the_fixed_amount_once_a_quarter(world):
    reward = grant(world, kind="exemplar", amount=None, recipient=world.worker)
    assert reward.amount == Decimal("3000.00") and reward.proposal is None
    with pytest.raises(DomainError) as exc:
        grant(world, kind="exemplar", amount="3000", recipient=world.worker)
    assert exc.value.code == "already_rewarded"
    with pytest.raises(DomainError) as exc:
        grant(world, kind="exemplar", amount="5000", recipient=world.worker, quarter=3)
    assert exc.value.field == "amount"
    assert grant(world, kind="exemplar", recipient=world.worker, quarter=3, amount=None)


def test_hall_of_fame_is_yearly_within_its_range(world):
    proposal = world.adopted()
    with pytest.raises(DomainError):
        grant(world, proposal, kind="hall", amount="12000")
    reward = grant(world, proposal, kind="hall", quarter=None, amount="10000")
    assert reward.quarter is None and reward.period_label == "2026年度"


def test_bad_period_is_refused(world):
    proposal = world.adopted()
    for quarter in (0, 5, "x"):
        with pytest.raises(DomainError) as exc:
            grant(world, proposal, quarter=quarter)
        assert exc.value.field == "quarter"


def test_handover_at_the_workplace_is_recorded_once(world):
    reward = grant(world, world.adopted())
    services.reward_handover(actor=world.admin, reward=reward, note="奖杯一座")
    reward.refresh_from_db()
    assert reward.handed_over_at is not None and reward.handover_note == "奖杯一座"
    with pytest.raises(DomainError) as exc:
        services.reward_handover(actor=world.admin, reward=reward)
    assert exc.value.code == "already_handed_over"


def test_ledger_export_totals_and_writes_titles_as_text(world):
    from io import BytesIO

    from openpyxl import load_workbook

    proposal = world.adopted(title='=HYPERLINK("http://x")')
    grant(world, proposal, amount="5000")
    grant(world, kind="exemplar", amount=None, recipient=world.worker)
    data = ledger_xlsx(
        list(selectors.reward_ledger(actor=world.admin, year=2026, quarter=2)), "2026年第2季度"
    )
    ws = load_workbook(BytesIO(data)).active
    rows = list(ws.iter_rows())
    assert [c.value for c in rows[0]][6] == "金额(元)"
    assert rows[-1][0].value == "合计" and Decimal(str(rows[-1][6].value)) == Decimal("8000")
    title = next(r[4] for r in rows[1:-1] if r[4].value)
    assert title.value.startswith("=") and title.data_type == "s"
