"""Training catalogue, enrolment, learning hours (JP) and questionnaires."""
