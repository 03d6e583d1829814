"""Competency standards per position: list, edit, bulk assignment with its job progress, default levels."""
