"""Cache invalidation only (no business rules): a cached Bearer token must not outlive its revocation,
its user's deactivation or any other change to its user."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import ApiToken, User
from .services import forget_api_tokens


def _forget_after_commit(key_hashes: list[str]) -> None:
    # Drop now and again after commit: a request between the two could re-read the old row and cache it.
    forget_api_tokens(key_hashes)
    transaction.on_commit(lambda: forget_api_tokens(key_hashes))


@receiver(post_delete, sender=ApiToken, dispatch_uid="accounts.forget_deleted_token")
def forget_deleted_token(sender, instance, **kwargs):
    _forget_after_commit([instance.key_hash])


@receiver(post_save, sender=User, dispatch_uid="accounts.forget_user_tokens")
def forget_user_tokens(sender, instance, created, **kwargs):
    if created:
        return
    hashes = list(ApiToken.objects.filter(user_id=instance.pk).values_list("key_hash", flat=True))
    if hashes:
        _forget_after_commit(hashes)
