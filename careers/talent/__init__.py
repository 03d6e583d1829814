"""Talent management: nine-box reviews, placements, the talent pool and succession for key positions."""
