"""Competency analytics for an agency: gaps by unit and category, and its XLSX export."""
