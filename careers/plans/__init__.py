"""Career plans (IDP): the plan, its development actions, drafting from gaps, submission and the head's review."""
