"""Merit-based promotion queues: rank promotion and promotion into posts."""
