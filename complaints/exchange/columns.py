"""The exchange file's columns: their names, what each holds, and the separators a cell with
several values uses. The column table of docs/import-export.md is kept true to these by a test."""

from __future__ import annotations

from complaints.models.enums import (
    CostKind,
    EscalationReason,
    LgscoDecision,
    Outcome,
    RemedyKind,
)

NO_FINDING = "-"
MAX_EXTENSION_DAYS = 260
ACTION_SEPARATOR = " | "
STAGES = (1, 2, 3)
CASE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("reference", "the case's reference, unique; required"),
    ("feedback_type", "complaint, compliment, comment or question; required"),
    ("procedure", "statutory_children, corporate, adult_social_care, feedback or redirection"),
    ("state", "a state of the procedure's workflow (`complaints workflow show`); required"),
    ("stage", "0 to 3; default: the stage of the state, or the last stage given for a closed case"),
    ("received_on", "Day 0, the day it was received; required"),
    ("closed_on", "required when the state is closed or withdrawn, empty otherwise"),
    ("contact_method", "one of config.toml's contact methods; default email"),
    ("made_by", "complainant, child, advocate or representative; default complainant"),
    ("complainant_name", "default 'Not recorded'"),
    ("complainant_email", "how to reach them"),
    ("complainant_phone", "how to reach them"),
    ("complainant_address", "their postal address"),
    ("is_child", "yes or no; default no"),
    ("summary", "what the feedback is about; required"),
    ("team", "the service area's team name, as set up in the product"),
    ("officer", "the username of the officer who has the case"),
    ("categories", "category names, one per line or separated by semicolons"),
    ("in_time", "yes or no: made within the time limit; empty if not known"),
    ("late_reason", "why a late complaint was accepted"),
    ("acknowledged_on", "the day the complaint was acknowledged"),
    ("points", "the complaint points, one per line"),
)
STAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("requested_on", "stages 2 and 3: the day the complainant asked for this stage"),
    ("reason", f"stages 2 and 3: why, one of {', '.join(EscalationReason)}; default other"),
    ("started_on", "Day 0 of the stage's response deadline; default received_on or requested_on"),
    ("due_on", "the response's due date; default computed from config.toml's timescale"),
    ("responded_on", "the day the stage's response was sent"),
    (
        "outcomes",
        f"a finding per point, one per line in point order ({', '.join(Outcome)}); "
        f"{NO_FINDING} for none",
    ),
    ("findings_on", "the day the findings were recorded; default responded_on"),
    ("remedies", f"any of {', '.join(RemedyKind)}, one per line or separated by semicolons"),
    ("financial_remedy", "the amount of a financial remedy in pounds"),
    ("remedies_on", "the day the remedies were recorded; default findings_on"),
    (
        "costs",
        "stages 2 and 3: what investigating it cost, one per line: kind | pounds | date "
        f"(kinds: {', '.join(CostKind)})",
    ),
    (
        "extensions",
        "extensions agreed, one per line: working days | complainant agreed yes or no | why",
    ),
)
ADJUDICATION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("adjudication_started_on", "statutory stage 2: the day the investigation's report came in"),
    ("adjudication_due_on", "statutory stage 2: the adjudication's due date; default computed"),
    ("adjudicated_on", "statutory stage 2: the day the adjudication letter was sent"),
)
OMBUDSMAN_COLUMNS: tuple[tuple[str, str], ...] = (
    ("lgsco_reference", "the Ombudsman's reference; required with any other lgsco_ column"),
    ("lgsco_received_on", "the day the Ombudsman's enquiry arrived"),
    ("lgsco_decision", f"the Ombudsman's decision, one of {', '.join(LgscoDecision)}"),
    ("lgsco_decision_on", "the day of the decision"),
    ("lgsco_compliance_due_on", "when the agreed remedy must be done by"),
    ("lgsco_complied_on", "when it was done"),
    ("lgsco_response_due_on", "when the council's reply to the enquiry was due"),
    ("lgsco_responded_on", "when the council replied"),
    ("lgsco_remedy", "the remedy the Ombudsman asked for"),
    ("lgsco_closed_on", "when the Ombudsman closed the enquiry"),
)
FOLLOW_UP_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "actions",
        "one per line: due date | completed date or - | action or recommendation | what "
        "(the kind may be left out: an action)",
    ),
    ("lessons", "lessons learned, one per line: date recorded | lesson (the date may be left out)"),
)


def stage_column(stage: int, name: str) -> str:
    return f"stage{stage}_{name}"


def all_columns() -> tuple[tuple[str, str], ...]:
    """Every column of the exchange file, in the order the exporter writes them."""
    stage_columns = tuple(
        (stage_column(stage, name), meaning)
        for stage in STAGES
        for name, meaning in (*STAGE_COLUMNS, *(ADJUDICATION_COLUMNS if stage == 2 else ()))
        if stage > 1 or name not in ("requested_on", "reason", "costs")
    )
    return CASE_COLUMNS + stage_columns + OMBUDSMAN_COLUMNS + FOLLOW_UP_COLUMNS


COLUMN_NAMES = tuple(name for name, _ in all_columns())
REQUIRED_COLUMNS = ("reference", "feedback_type", "procedure", "state", "received_on", "summary")
