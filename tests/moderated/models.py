from django.conf import settings
from django.db import models

from core.moderation import Moderated


class Note(Moderated):
    """A stand-in for forum posts and consultation comments, which use the same base."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    body = models.TextField()

    class Meta:
        app_label = "moderated"
