"""Personal data out of stored text and logs: phone numbers, e-mail addresses, and health
details (what someone is ill with, injuries, pregnancy, mental health). The details stay on
the record they belong to (a sickness absence, a decline reason), never in the conversation
log or the application log."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# a run of 7+ digits, allowing spaces, dashes, dots, brackets and a leading +
_PHONE = re.compile(r"(?<![\w])\+?\(?\d[\d\s().-]{5,}\d(?![\w])")

_CONDITIONS = (
    r"flu|influenza|covid(-?19)?|corona(virus)?|migraines?|headaches?|cold|chest infection|"
    r"infections?|tonsillitis|norovirus|noro|sickness bug|stomach bug|tummy bug|bug|d ?& ?v|"
    r"diarrh(o)?ea|vomiting|throwing up|being sick|been sick|sick all night|food poisoning|"
    r"fever|temperature|high temp|sore throat|cough|chest pains?|back pain|bad back|"
    r"back injury|injur(y|ies|ed)|broken \w+|sprain(ed)?( \w+)?|fractur(e|ed)|surgery|"
    r"operation|hospital|a&e|appointment|pregnan(t|cy)|morning sickness|miscarriage|"
    r"depression|anxiety|stress|mental health|panic attacks?|burn ?out|period pains?|"
    r"cramps|asthma|diabetes|cancer|chemo|shingles|chicken ?pox|conjunctivitis|"
    r"ear infection|uti|kidney \w+|gastro\w*|vertigo|dizzy|dizziness|rash|sciatica|"
    r"(tooth|ear|stomach|tummy)ache|toothache"
)
_HEALTH = re.compile(rf"\b({_CONDITIONS})\b", re.IGNORECASE)
# "got the flu", "with a migraine", "because of my back": the phrase that names the cause
_CAUSE = re.compile(
    rf"\b(got|have|having|with|from|had|caught)\s+(a |an |the |my |some )?(bad |nasty |awful "
    rf"|terrible |really bad )?({_CONDITIONS})\b",
    re.IGNORECASE,
)


def redact_health(text: str) -> str:
    """Health details replaced by ``[health detail]``."""
    text = _CAUSE.sub(lambda m: f"{m.group(1)} [health detail]", text)
    return _HEALTH.sub("[health detail]", text)


def redact(text: str) -> str:
    text = _EMAIL.sub("[email]", text)

    def _phone(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        return "[phone]" if len(digits) >= 7 else match.group(0)

    return redact_health(_PHONE.sub(_phone, text))


# messages whose free text is a reason: logged without it (the reason stays on its record)
REASON_INTENTS = frozenset({"sickness.report", "ot.decline", "ot.withdraw", "swap.request"})


def redact_message(text: str, intent: str | None) -> str:
    """A logged message: ``redact`` everywhere, and for a message giving a reason (sickness,
    declining or withdrawing from a shift) the words after the request itself."""
    text = redact(text)
    if intent in REASON_INTENTS:
        text = re.sub(
            r"\b(because|cos|cause|as|since|due to|reason)\b.*$",
            r"\1 [reason]",
            text,
            flags=re.IGNORECASE,
        )
    return text
