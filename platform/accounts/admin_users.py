"""The Wagtail admin's user screens, with one change: the groups chosen on a user refuse an id
beyond the database's range as an unknown choice (Wagtail's form answered 500: found by the
URL sweep). Wired in by `accounts.apps.UsersAppConfig`, as Wagtail documents."""

from wagtail.users import forms as wagtail_forms
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from core.forms import ModelChoicesField


class UserCreationForm(wagtail_forms.UserCreationForm):
    class Meta(wagtail_forms.UserCreationForm.Meta):
        field_classes = {"groups": ModelChoicesField}


class UserEditForm(wagtail_forms.UserEditForm):
    class Meta(wagtail_forms.UserEditForm.Meta):
        field_classes = {"groups": ModelChoicesField}


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
