"""Career plans, mentoring, talent management, appraisal follow-up and the career timeline."""
