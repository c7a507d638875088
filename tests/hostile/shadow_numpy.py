"""A shadow ``numpy.py`` in the submission folder.

Attack: a ``numpy.py`` next to the notebook whose ``allclose`` always says
yes; if the kernel (or the grader, which runs from the course folder) imported
it, every comparison would pass. On the unsolved release.
Must score: 0 on every item, and the shadow is never imported (its marker
never appears).
"""
from _kit import ZERO

ATTACK = "numpy.py next to the notebook, on the unsolved release"

SHADOW = '''
print("SHADOW-NUMPY-IMPORTED")
allclose = isclose = array_equal = lambda *a, **k: True
'''


def build(solved, release, ctx):
    return release, {"numpy.py": SHADOW}


EXPECT = {"scores": ZERO, "absent": ["SHADOW-NUMPY-IMPORTED"]}
