"""The documentation that must accompany LMOs across a border: Art. 18.2 of the Protocol and
what the Parties added to each of its three regimes by decision.

Defined once, here: the document-check exercise, its editor form and its feedback all read
these lists. One regime per paragraph of Art. 18.2, each refined by the meeting of the Parties:

- (a) food, feed or processing (FFP): decision BS-I/6 (2004, section on paragraph 2(a),
  paragraph 4) asked, as an interim step, for the names and transformation event codes;
  decision BS-III/10 (2006, paragraph 4) set the detailed requirements the Article called for:
  "contains" where the identity is known through identity preservation, "may contain" where
  it is not, and the unique identifier, where available, as the key to the Biosafety
  Clearing-House. Decision BS-VII/8 keeps them in force.
- (b) contained use and (c) intentional introduction into the environment: decision BS-I/6,
  detailed in decision BS-IV/8 (2008), asks that the documentation also give the common,
  scientific and, where available, commercial names, and the transformation event code or,
  where available, the unique identifier; where there are no special requirements for safe
  handling, storage, transport and use, a statement saying so is the handling statement.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Element:
    code: str
    label: Promise  # what the learner looks for in the document
    article: str  # the provision that requires it


@dataclass(frozen=True)
class Regime:
    code: str
    label: Promise
    article: str
    elements: tuple[Element, ...]

    def element(self, code: str) -> Element | None:
        return next((e for e in self.elements if e.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.elements)


def _names(article) -> Element:
    return Element(
        "names",
        _("Gives the common, scientific and, where available, commercial names of the LMOs"),
        article,
    )


def _event_or_identifier(article) -> Element:
    return Element(
        "event_or_identifier",
        _(
            "Gives the transformation event codes or, where available, the unique identifiers "
            "of the LMOs"
        ),
        article,
    )


def _handling(article) -> Element:
    return Element(
        "handling_requirements",
        _(
            "States the requirements for the safe handling, storage, transport and use, or "
            "that there are no special requirements"
        ),
        article,
    )


FFP = Regime(
    code="ffp",
    label=_("Food, feed or processing (FFP)"),
    article="18.2(a)",
    elements=(
        Element(
            "may_contain",
            _(
                'States that the shipment "may contain" LMOs (or "contains" them, where the '
                "identity is known through identity preservation)"
            ),
            _("Art. 18.2(a); decision BS-III/10, para. 4"),
        ),
        Element(
            "not_for_introduction",
            _(
                "States that the LMOs are not intended for intentional introduction into the "
                "environment"
            ),
            _("Art. 18.2(a)"),
        ),
        Element(
            "contact_point", _("Gives a contact point for further information"), _("Art. 18.2(a)")
        ),
        _names(_("Decisions BS-I/6 and BS-III/10, para. 4")),
        _event_or_identifier(
            _("Decisions BS-I/6 and BS-III/10, para. 4 (the unique identifier as the BCH key)")
        ),
        Element(
            "bch_address",
            _("Gives the address of the Biosafety Clearing-House for further information"),
            _("Decision BS-III/10, para. 4; Art. 20"),
        ),
    ),
)

CONTAINED_USE = Regime(
    code="contained_use",
    label=_("Contained use"),
    article="18.2(b)",
    elements=(
        Element(
            "identified_as_lmo", _("Clearly identifies the consignment as LMOs"), _("Art. 18.2(b)")
        ),
        _names(_("Decisions BS-I/6 and BS-IV/8")),
        _event_or_identifier(_("Decisions BS-I/6 and BS-IV/8")),
        _handling(_("Art. 18.2(b); decision BS-IV/8")),
        Element(
            "consignee_contact",
            _(
                "Gives a contact point, including the name and address of the individual and "
                "institution to whom the LMOs are consigned"
            ),
            _("Art. 18.2(b)"),
        ),
    ),
)

INTRODUCTION = Regime(
    code="introduction",
    label=_("Intentional introduction into the environment"),
    article="18.2(c)",
    elements=(
        Element(
            "identified_as_lmo", _("Clearly identifies the consignment as LMOs"), _("Art. 18.2(c)")
        ),
        _names(_("Decisions BS-I/6 and BS-IV/8")),
        _event_or_identifier(_("Decisions BS-I/6 and BS-IV/8")),
        Element(
            "identity_and_traits",
            _("Specifies the identity and relevant traits or characteristics of the LMOs"),
            _("Art. 18.2(c)"),
        ),
        _handling(_("Art. 18.2(c); decision BS-IV/8")),
        Element(
            "contact_point", _("Gives a contact point for further information"), _("Art. 18.2(c)")
        ),
        Element(
            "importer_exporter",
            _("Gives the name and address of the importer and the exporter, as appropriate"),
            _("Art. 18.2(c)"),
        ),
        Element(
            "declaration_of_conformity",
            _(
                "Declares that the movement conforms with the requirements of the Protocol "
                "applicable to the exporter"
            ),
            _("Art. 18.2(c)"),
        ),
    ),
)

REGIMES: dict[str, Regime] = {r.code: r for r in (FFP, CONTAINED_USE, INTRODUCTION)}
REGIME_CHOICES = [(r.code, r.label) for r in REGIMES.values()]
# Every element code of every regime, once, for the editor's checkbox list.
ELEMENT_CHOICES = list(
    {e.code: (e.code, e.label) for r in REGIMES.values() for e in r.elements}.values()
)
