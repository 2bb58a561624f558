"""Registered unique identifiers whose check digit breaks the rule in `core.identifiers`.

They are real, registered as written, and must be accepted as such; the checker reports them
as registered exceptions rather than as typing mistakes. Add an entry only with its source.
"""

from django.utils.translation import gettext_lazy as _

REGISTERED_EXCEPTIONS = {
    # Syngenta's MZHG0JG maize: S 19 + Y 25 + N 14 + J 10 + G 7 = 75 → 3, registered with 2.
    "SYN-ØØØJG-2": _("authorised in the European Union under this identifier."),
}
