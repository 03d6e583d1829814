"""Competency dictionary, position standards, assessments, gaps and job-person match."""
