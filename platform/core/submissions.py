"""One-use form tokens: the same form sent twice stores one item.

A double click, a browser resending after a rolling restart, five tabs racing: each form shown
carries a fresh UUID (`OneUseForm`); the item is stored with it beside its author, under a
unique constraint (author, submission_token); the service first looks for the item that token
already stored and, when a concurrent twin wins the race, returns the twin's item
(`create_once`). Forum threads and posts and consultation comments share this mechanism.
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .page_cache import mark_personal

T = TypeVar("T")


class OneUseForm(forms.Form):
    """A form whose every rendering carries a new token (a hidden field named `token`)."""

    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4())
            # A token is one visitor's: a page carrying it is never shared from the cache.
            mark_personal()

    @property
    def token_refused(self) -> bool:
        """Sent without a token, or with one that is not a UUID (an old or tampered form)."""
        return self.is_bound and "token" in self.errors

    @classmethod
    def renewed(cls, data, *args, **kwargs):
        """The same form with what was typed kept and a fresh token, saying why it came back."""
        data = data.copy()
        data["token"] = str(uuid.uuid4())
        form = cls(data, *args, **kwargs)
        form.is_valid()
        form.add_error(
            None, gettext("This form was out of date. Please check it and send it again.")
        )
        return form


def submission_token_field() -> models.UUIDField:
    """The model field that stores a form's token (empty for items made by other means)."""
    return models.UUIDField(_("submission token"), null=True, blank=True, editable=False)


def create_once(
    *,
    find: Callable[[], T | None],
    create: Callable[[], T],
    before_create: Callable[[], None] | None = None,
) -> tuple[T, bool]:
    """(item, created): the item this submission already stored, or a new one from `create`.

    `before_create` runs only when nothing was stored yet: a check that a form sent again must
    not meet, such as the posting rate (the resent form gets its item, not a refusal).
    `create` runs in its own savepoint: if a concurrent request with the same token stored its
    item first, the unique constraint refuses ours and theirs is returned instead.
    """
    existing = find()
    if existing is not None:
        return existing, False
    if before_create is not None:
        before_create()
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = find()
        if existing is None:
            raise
        return existing, False
