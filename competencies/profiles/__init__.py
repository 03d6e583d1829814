"""Competency profiles: the employee's own, a visible employee's, and a head's team heatmap."""
