"""Promotion proposals: create from the queue, documents, verification, batches to BKN, approval and rejection."""
