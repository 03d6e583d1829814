"""Appraisal follow-ups: what each SKP result asks of the employee and their head."""
