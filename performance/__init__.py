"""Results-based performance appraisal (SKP) per PermenPANRB 6/2022."""
