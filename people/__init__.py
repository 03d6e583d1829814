"""Agencies, organisation units, positions, ranks, employees, roles and data scoping."""
