"""Position vacancies: open, rank candidates by merit, decide and appoint."""
