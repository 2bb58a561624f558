"""Registered unique identifiers whose check digit breaks the rule in `core.identifiers`.

They are real, registered as written, and must be accepted as such; the checker reports them
as registered exceptions rather than as typing mistakes. Add an entry only with its source:
the Biosafety Clearing-House record (Art. 20) that lists the identifier as written, and any
other register that authorises the LMO under it.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RegisteredException:
    bch_record: str  # the BCH record's address: the source every entry must have
    note: Promise  # why it is accepted, in the reader's language

    def __str__(self) -> str:
        return str(self.note)


REGISTERED_EXCEPTIONS: dict[str, RegisteredException] = {
    # Syngenta's herbicide-tolerant maize MZHG0JG: S 19 + Y 25 + N 14 + J 10 + G 7 = 75 → 3,
    # registered with 2. BCH record 110613 lists it as SYN-ØØØJG-2 and notes that it "is also
    # referred to with the UID SYN-ØØØJG-3"; the EU register of GM food and feed authorises
    # the maize under SYN-ØØØJG-2.
    "SYN-ØØØJG-2": RegisteredException(
        bch_record="https://bch.cbd.int/database/record.shtml?documentid=110613",
        note=_(
            "the Biosafety Clearing-House lists it under this identifier (record 110613, which "
            "notes that it is also referred to as SYN-ØØØJG-3), and the European Union "
            "authorises the maize under it."
        ),
    ),
}
