"""The pure core: the course's public facts, the one comparison, the results,
the finite-difference oracle, the checks and the diagnosis of mistakes.

It imports numpy and nothing above it (no nbgrader, no pandas, no solutions),
so the same code judges a notebook in the student's kernel and in the grader.
"""
