"""Alerts: the deadline sweep that turns due dates into alerts, once each, and (to come) their
delivery by e-mail and the scheduler that runs the sweep."""
