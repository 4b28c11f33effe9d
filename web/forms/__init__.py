"""The forms of the web front end, as WTForms classes, one module per area: cases.py (a case's
pages), steps.py (a workflow step's form, made from its transition), casework.py (costs, lessons,
the Ombudsman), public.py (the public form), accounts.py (signing in and administration),
letters.py and reports.py. fields.py holds the kinds of field and their messages, base.py what
every form shares. The templates render their fields with web/templates/_form_macros.html."""
