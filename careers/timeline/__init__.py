"""The career timeline: one employee's history and next steps, gathered from every app through the registry."""
