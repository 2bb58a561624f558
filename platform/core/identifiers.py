"""OECD unique identifiers for transgenic plants, checked once for the whole site.

The courses' exercise, the public "Check a unique identifier" page and the consultations'
LMO field all ask this module (`check_identifier`, and `accepts` for a yes/no). An identifier
is `DDD-EEEEEE-C`: 2–3 letters or digits for the developer and 5–6 for the event (8 in all),
then one verification digit. Every letter A–Z may appear, O included (rice events use "OS",
Oryza sativa: ACS-OSØØ1-4, BCS-OSØØ3-7 for LLRICE601). Registers write zero as `Ø` in the
event part (`MON-ØØ81Ø-6`) so that it cannot be read as O. The digit: value each of the 8
characters (digits at face value, Ø = 0, A = 1 … Z = 26), add them up, take the digital root.

Decision BS-I/6 invites Parties to apply the OECD unique identifiers to living modified
plants and asks for a register of them in the Biosafety Clearing-House (Art. 20); decision
BS-III/10 makes the unique identifier, where available, the key to the BCH in the documents
accompanying LMOs for food, feed or processing (Art. 18.2(a)).
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .identifier_exceptions import REGISTERED_EXCEPTIONS

ZERO = "Ø"
# Whatever people type for the slashed zero: Ø ø ∅ ⌀, and the ASCII digit.
_ZERO_LOOKALIKES = str.maketrans({"ø": ZERO, "∅": ZERO, "⌀": ZERO, "Ø": ZERO})
# Dashes of every kind become the hyphen-minus.
_DASHES = re.compile(r"\s*[\u2010-\u2015\u2212\ufe58\ufe63\uff0d-]\s*")
# Stacked events: "A × B", "A x B", "A×B", "A-6xB-…"; lists: commas, semicolons, new lines.
_STACK_SPLIT = re.compile(r"\s*[×✕✖⨯]\s*|\s+[xX]\s+|(?<=-[0-9])[xX](?=[A-Za-zØ0-9])|[,;\n\r]+")
_ALLOWED = re.compile(rf"^[A-Z0-9{ZERO}-]+$")
MAX_INPUT = 2000  # characters read from one submission
MAX_IDENTIFIERS = 20  # identifiers checked from one submission
SHOWN = 60  # characters of garbage echoed back


class Verdict:
    VALID = "valid"
    INVALID = "invalid"
    REGISTERED_EXCEPTION = "registered_exception"
    UNREADABLE = "unreadable"


@dataclass
class IdentifierResult:
    raw: str
    normalised: str = ""
    developer: str = ""
    event: str = ""
    given_digit: int | None = None
    expected_digit: int | None = None
    verdict: str = Verdict.UNREADABLE
    problems: list[tuple[str, str]] = field(default_factory=list)  # (code, message)
    notes: list[str] = field(default_factory=list)
    working: str = ""  # the sum, written out: "M 13 + O 15 + … = 51 → 6"
    source: str = ""  # for a registered exception: its Biosafety Clearing-House record

    @property
    def is_valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def is_acceptable(self) -> bool:
        """Right by the rule, or registered as it is although the rule disagrees."""
        return self.verdict in (Verdict.VALID, Verdict.REGISTERED_EXCEPTION)

    @property
    def problem_codes(self) -> list[str]:
        return [code for code, _message in self.problems]


def char_value(char: str) -> int:
    """Digits at face value, Ø = 0, A = 1 … Z = 26."""
    if char == ZERO:
        return 0
    if char.isdigit():
        return int(char)
    return ord(char) - ord("A") + 1


def digital_root(total: int) -> int:
    return 0 if total == 0 else 1 + (total - 1) % 9


def check_digit(characters: str) -> int:
    """The verification digit of the 8 developer and event characters."""
    return digital_root(sum(char_value(c) for c in characters))


def _working(characters: str) -> str:
    """The sum written out, as a learner would: "M 13 + O 15 + … + Ø 0 = 51 → 5 + 1 = 6"."""
    terms = " + ".join(f"{c} {char_value(c)}" if not c.isdigit() else c for c in characters)
    total = sum(char_value(c) for c in characters)
    text = f"{terms} = {total}"
    while total > 9:
        digits = [int(d) for d in str(total)]
        total = sum(digits)
        text += " → " + " + ".join(map(str, digits)) + f" = {total}"
    return text


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_ZERO_LOOKALIKES)
    text = _DASHES.sub("-", text.strip()).upper()
    return re.sub(r"\s+", "", text)


def split_identifiers(text: str) -> list[str]:
    """The identifiers in `text`: stacked events (× or x) and lists become one each."""
    parts = [part.strip() for part in _STACK_SPLIT.split(text[:MAX_INPUT])]
    return [part for part in parts if part][:MAX_IDENTIFIERS]


def check_identifiers(text: str) -> list[IdentifierResult]:
    """Check every identifier in `text`. Any input gives results, never an exception."""
    if not isinstance(text, str) or not text.strip():
        return [check_identifier("")]
    parts = split_identifiers(text)
    results = [check_identifier(part) for part in parts] or [check_identifier("")]
    if len(text) > MAX_INPUT:
        results[-1].notes.append(
            _("Only the first %(count)d characters were read.") % {"count": MAX_INPUT}
        )
    elif len([p for p in _STACK_SPLIT.split(text) if p.strip()]) > MAX_IDENTIFIERS:
        results[-1].notes.append(
            _("Only the first %(count)d identifiers were checked.") % {"count": MAX_IDENTIFIERS}
        )
    return results


def check_identifier(text: str) -> IdentifierResult:
    """Check one identifier and explain the verdict in the current language."""
    raw = (text or "")[:SHOWN]
    result = IdentifierResult(raw=raw)
    if not text or not text.strip():
        result.problems.append(("empty", _("Nothing to check: type an identifier.")))
        return result
    value = _normalise(text)
    if not _ALLOWED.match(value):
        result.problems.append(
            (
                "bad_characters",
                _(
                    "A unique identifier holds only the letters A–Z, the digits 0–9 (zero "
                    "may be written Ø) and hyphens; this text contains other characters."
                ),
            )
        )
        return result
    parts = value.split("-")
    if len(parts) != 3 or not all(parts):
        result.problems.append(
            (
                "wrong_parts",
                _(
                    "An identifier has three parts separated by hyphens: the developer code "
                    "(2–3 characters), the event code (5–6 characters) and one check digit, "
                    "as in MON-ØØ81Ø-6. This one has %(count)d."
                )
                % {"count": len([p for p in parts if p])},
            )
        )
        return result

    developer, event, digit = parts
    event = event.replace("0", ZERO)
    result.developer, result.event = developer, event
    result.normalised = f"{developer}-{event}-{digit}"
    problems = result.problems
    if not 2 <= len(developer) <= 3:
        problems.append(
            (
                "wrong_developer_length",
                _("The developer code has %(count)d characters; it should have 2 or 3.")
                % {"count": len(developer)},
            )
        )
    if not 5 <= len(event) <= 6:
        problems.append(
            (
                "wrong_event_length",
                _("The event code has %(count)d characters; it should have 5 or 6.")
                % {"count": len(event)},
            )
        )
    if len(developer) + len(event) != 8 and not problems:
        problems.append(
            (
                "wrong_length",
                _(
                    "The developer and event codes together have %(count)d characters; "
                    "they must have 8 (2 + 6 or 3 + 5)."
                )
                % {"count": len(developer) + len(event)},
            )
        )
    if len(digit) != 1 or not digit.isdigit():
        problems.append(
            (
                "wrong_digit_format",
                _("The last part should be a single check digit (0–9), not “%(part)s”.")
                % {"part": digit[:10]},
            )
        )
    else:
        result.given_digit = int(digit)

    characters = developer + event
    if len(characters) == 8:
        result.expected_digit = check_digit(characters)
        result.working = _working(characters)
    if problems:
        result.verdict = Verdict.INVALID
        return result

    exception = REGISTERED_EXCEPTIONS.get(result.normalised)
    # A letter O in the event part is a letter like any other (O = 15): rice events carry
    # "OS" for Oryza sativa (ACS-OSØØ1-4, BCS-OSØØ3-7). Registers write zero as Ø so that
    # it is never read as O, but a typist may still have put O for Ø; the digit tells which.
    with_zeros = event.replace("O", ZERO)
    zero_digit = check_digit(developer + with_zeros) if "O" in event else None
    zero_reading = f"{developer}-{with_zeros}-{digit}"
    if result.given_digit == result.expected_digit:
        result.verdict = Verdict.VALID
        if zero_digit == result.given_digit:
            result.notes.append(
                _(
                    "The event part contains the letter O, and the check digit is right "
                    "whether it is read as the letter or as zero (%(zeros)s). Both may be "
                    "real identifiers: look the identifier up in the Biosafety Clearing-House "
                    "to see which one is registered."
                )
                % {"zeros": zero_reading}
            )
    elif exception is not None:
        result.verdict = Verdict.REGISTERED_EXCEPTION
        result.source = exception.bch_record
        result.notes.append(
            _(
                "This identifier is registered with the digit %(given)d although the rule "
                "gives %(expected)d: %(source)s Accept it as registered."
            )
            % {
                "given": result.given_digit,
                "expected": result.expected_digit,
                "source": exception,
            }
        )
    elif zero_digit == result.given_digit:
        # Right only if every O is a zero: the likely typing mistake.
        result.verdict = Verdict.INVALID
        problems.append(
            (
                "letter_o_in_event",
                _(
                    "The event part contains the letter O (value 15), and the check digit is "
                    "right only if it is read as zero: this is probably a typing mistake for "
                    "%(fixed)s."
                )
                % {"fixed": zero_reading},
            )
        )
    else:
        result.verdict = Verdict.INVALID
        problems.append(
            (
                "wrong_check_digit",
                _("The check digit is %(given)d, but the rule gives %(expected)d.")
                % {"given": result.given_digit, "expected": result.expected_digit},
            )
        )
    if result.verdict == Verdict.VALID:
        result.notes.append(
            _(
                "The check digit is right. A digit computed from a sum cannot catch two "
                "characters swapped (MON-ØØ18Ø-6 gives the same digit), so look the "
                "identifier up in the Biosafety Clearing-House before relying on it."
            )
        )
    return result


def accepts(text: str) -> bool:
    """True if every identifier in `text` (stacks included) is valid or a registered exception.

    The one answer to "should this identifier be accepted?": the courses' exercise marks
    learners against it, the public checker shows it, and consultation pages store only what
    it accepts.
    """
    results = check_identifiers(text)
    return bool(results) and all(r.is_acceptable for r in results)
