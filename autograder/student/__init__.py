"""What runs inside the student's kernel: the notebook's self-check and the harvest.

Nothing here may import the grader's side (the plan, the reference
solutions, nbgrader): an import-linter contract in ``pyproject.toml`` checks
it. ``harvest`` imports nothing of the course at all; the grader sends its
source into the kernel.
"""
