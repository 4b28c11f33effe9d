"""The public form (web/public.py): a complaint, a compliment or a comment from anyone, with a
box people cannot see but robots fill in (a honeypot), which refuses the form when filled."""

from __future__ import annotations

from typing import Any

from complaints.services.online import Subject
from web.forms.base import PageForm
from web.forms.fields import NAME_LIMIT, ChoiceField, TextField, YesField

TYPES = (("complaint", "Make a complaint"), ("compliment", "Pay a compliment"),
         ("comment", "Make a comment or suggestion"))  # fmt: skip
SUBJECTS = (
    (
        Subject.CHILDREN.value,
        "Children's social care (for example, a social worker or foster care)",
    ),
    (Subject.ADULTS.value, "Adult social care (for example, home care or a care assessment)"),
    (Subject.OTHER.value, "Another council service (for example, bins, roads, housing, schools)"),
)
TEXT_LIMIT = 5_000
SHORT_LIMIT = 1_000
NOT_SENT = "Your form could not be sent. Please try again, or call us."


class PublicFeedbackForm(PageForm):
    website = TextField("Leave this box empty", required=False)  # the honeypot
    feedback_type = ChoiceField("What would you like to do?", "what you would like to do",
                                choices=TYPES)  # fmt: skip
    subject = ChoiceField("What is it about?", "what it is about", choices=SUBJECTS)
    what_happened = TextField(
        "Tell us what happened",
        "what happened",
        limit=TEXT_LIMIT,
        description="Include dates, places and the names of any staff if you know them.",
    )
    outcome_wanted = TextField(
        "What would you like us to do? (optional)",
        "what you would like",
        required=False,
        limit=TEXT_LIMIT,
    )
    name = TextField("Your full name", "your full name", limit=NAME_LIMIT)
    email = TextField(
        "Email address",
        "your e-mail address",
        required=False,
        limit=254,
        description="We will send your reference number here.",
    )
    phone = TextField("Phone number (optional)", "your phone number", required=False, limit=40)
    address = TextField(
        "Postal address (optional)",
        "your address",
        required=False,
        limit=SHORT_LIMIT,
        description=(
            "We need a way to reply to a complaint: an email address, a phone number or an address."
        ),
    )
    on_behalf_of_child = YesField(
        "I am writing on behalf of a child or young person",
        description="For example, as their parent, carer or advocate.",
    )
    child_name = TextField(
        "The child or young person's name (if you are writing for them)",
        "the child's name",
        required=False,
        limit=NAME_LIMIT,
    )
    consent = YesField(
        "The child or young person knows and agrees, or I have the right to act for them",
        description="We may need to check this before we can share information with you.",
    )
    accessibility = TextField(
        "Do you need us to contact you in a particular way, or need any help? (optional)",
        "how we should contact you",
        required=False,
        limit=SHORT_LIMIT,
        description=(
            "For example, large print, an interpreter, a call at a certain time, or an advocate."
        ),
    )

    def validate(self, extra_validators: Any = None) -> bool:
        """A filled honeypot refuses the form, saying nothing of why."""
        if self.website.data:
            self.form_errors.append(NOT_SENT)
            return False
        return super().validate(extra_validators)
