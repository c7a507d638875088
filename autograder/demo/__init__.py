"""The demo course: sample submissions, a sample class, and ``backprop demo``."""
