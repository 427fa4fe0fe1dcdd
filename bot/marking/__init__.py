"""Marking answers after the fact: the queue of answers for a human, re-scores and what they
withdraw, and the audit trail of every score. Built on learning
(its hooks and turns) and assessment (its scoring)."""
