"""Cache invalidation only (no business rules): a cached grab target must not outlive a change to its
campaign or offer."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import gate
from .models import Campaign, Offer


@receiver(post_save, sender=Campaign, dispatch_uid="campaigns.forget_campaign_targets")
@receiver(post_delete, sender=Campaign, dispatch_uid="campaigns.forget_deleted_campaign_targets")
def forget_campaign_targets(sender, instance, created=False, **kwargs):
    if not created:
        gate.forget_targets_after_commit(instance.pk)


@receiver(post_save, sender=Offer, dispatch_uid="campaigns.forget_offer_target")
@receiver(post_delete, sender=Offer, dispatch_uid="campaigns.forget_deleted_offer_target")
def forget_offer_target(sender, instance, created=False, **kwargs):
    if not created:
        gate.forget_targets_after_commit(instance.campaign_id, [instance.pk])
