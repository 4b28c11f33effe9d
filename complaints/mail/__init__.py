"""E-mail the product sends: the SMTP mailer, the retries every queued message follows, and the
outbox of e-mail to complainants.

It sits below the services, which queue e-mail in their own transactions; the alerts to staff
(complaints/alerts/) are sent through the same mailer and retries. E-mail coming in is read in
complaints/intake/.
"""
