"""The promotion queue: who is due for a rank promotion in each period, built per agency."""
