"""Complaints case-management workflow engine for English councils: the domain core.

Nothing in this package imports Flask; the web layer and the CLI call into it.
"""
