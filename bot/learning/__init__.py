"""Learning: enrollment, the journey through a program, progress and settings."""
