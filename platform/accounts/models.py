from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.by_pk import by_pk
from core.stakeholders import StakeholderCategory

from .names import ANONYMOUS_LABEL, own_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get(self, *args, **kwargs):
        # Every signed-in request reads its account by primary key (auth's ModelBackend.
        # get_user, from the session): its SQL is compiled once per process (core.by_pk), not
        # by the ORM on each request (0.6 → 0.2 ms of CPU on PostgreSQL).
        if args or list(kwargs) != ["pk"] or self._db is not None:
            return super().get(*args, **kwargs)
        user = by_pk(self.model, kwargs["pk"])  # a key that is not an int takes the ORM there
        if user is None:
            raise self.model.DoesNotExist(
                f"{self.model._meta.object_name} matching query does not exist."
            )
        return user

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """People sign in with their e-mail address; there is no separate username."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.email

    def get_full_name(self):
        # Never the e-mail address (accounts/names.py); the admin shows the address beside it.
        return own_name(self) or super().get_full_name()

    def get_short_name(self):
        return self.get_full_name()


class Profile(models.Model):
    """What a participant tells the community about themselves.

    Name, organisation, country and stakeholder category travel with every forum post and
    consultation comment; the name is shown publicly only with consent (officers see it).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How your name appears next to what you write, e.g. “Amina Diallo”."),
    )
    country = CountryField(_("country"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    stakeholder_category = models.CharField(
        _("stakeholder category"), max_length=16, choices=StakeholderCategory.choices, blank=True
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The site switches to this language when you sign in; e-mails use it too."),
    )
    show_name_publicly = models.BooleanField(
        _("show my name publicly"),
        default=False,
        help_text=_(
            "If unticked, the public sees your organisation type and country instead of your name. "
            "Moderators and consultation officers always see your name."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self):
        # Not str(self.user), which is the e-mail address.
        return self.display_name or gettext("Participant %(number)s") % {"number": self.pk}

    @property
    def is_complete(self) -> bool:
        return bool(self.display_name and self.country and self.stakeholder_category)

    def public_label(self) -> str:
        """How the public sees this person: the name with consent, else category and country."""
        if self.show_name_publicly and self.display_name:
            return self.display_name
        parts = [
            str(label)
            for label in (self.get_stakeholder_category_display(), self.country.name)
            if label
        ]
        return " · ".join(parts) or str(ANONYMOUS_LABEL)
