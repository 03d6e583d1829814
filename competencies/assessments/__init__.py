"""Competency assessments: list, record, detail and the CSV/XLSX import of results."""
