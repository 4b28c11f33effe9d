"""Checking the contact details people give: an e-mail address and a telephone number, each
read by a library that knows the rules (email-validator; phonenumbers with Ofcom's UK numbering)
and stored in one normal form, so the same address or number is always written the same way
(docs/casework.md, feedback and triage).

Every place that takes contact details (the staff and public forms, the API, the command line,
a spreadsheet import, staff accounts) asks these two functions.
"""

from __future__ import annotations

from complaints.errors import DomainError

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a forward path, and the column's
MAX_PHONE_LENGTH = 40  # the column's
PHONE_REGION = "GB"  # a number written without a country code is a UK one
UK_COUNTRY_CODE = 44
# Ofcom keeps these for drama and examples, so they ring nobody: the demo council's complainants
# have them. phonenumbers counts them as unallocated, which for everyone else they are.
FICTIONAL_UK_RANGES = (range(7700900000, 7700901000), range(1632960000, 1632961000))


def email_address(text: str | None) -> str | None:
    """The e-mail address in `text` in its normal form (the domain in lower case), or None if
    `text` is blank; a DomainError saying what is wrong if it is not an address that could
    receive mail. Nothing is looked up on the network."""
    written = (text or "").strip()
    if not written:
        return None
    # Imported here, not at the top: the command line's commands that never read an address
    # should not pay for loading it.
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(written, check_deliverability=False)
    except EmailNotValidError as error:
        reason = str(error).rstrip(".").replace("email", "e-mail")
        raise DomainError(
            f"'{written}' is not an e-mail address: {reason[:1].lower()}{reason[1:]}"
        ) from None
    return str(checked.normalized)


def phone_number(text: str | None) -> str | None:
    """The telephone number in `text` in its normal form, or None if `text` is blank: a UK
    number as it is written in the UK ('01234 567890'), any other in its international form
    ('+33 1 23 45 67 89'). A DomainError if it is not a number in use anywhere."""
    written = (text or "").strip()
    if not written:
        return None
    import phonenumbers  # here, not at the top, for the same reason as email_validator

    if len(written) > MAX_PHONE_LENGTH:
        raise DomainError(f"a telephone number must be at most {MAX_PHONE_LENGTH} characters long")
    refusal = DomainError(
        f"'{written}' is not a telephone number: give a UK number such as 01234 567890, "
        "or a number abroad starting with + and its country code"
    )
    try:
        number = phonenumbers.parse(written, PHONE_REGION)
    except phonenumbers.NumberParseException:
        raise refusal from None
    fictional = number.country_code == UK_COUNTRY_CODE and any(
        number.national_number in numbers for numbers in FICTIONAL_UK_RANGES
    )
    if not (fictional or phonenumbers.is_valid_number(number)):
        raise refusal
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == UK_COUNTRY_CODE
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    normal = phonenumbers.format_number(number, style)
    if len(normal) > MAX_PHONE_LENGTH:
        raise DomainError(f"a telephone number must be at most {MAX_PHONE_LENGTH} characters long")
    return normal
