"""Feedback arriving by e-mail: reading mailboxes and messages."""
