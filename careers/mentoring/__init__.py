"""Mentoring: sessions, their participants, links, confirmations, feedback, action items and cadence."""
