"""A shadow ``data_prep.py`` that hands the notebook different data.

Attack: the student ships their own ``data_prep.py`` (flipped targets, a
different split); the notebook's training would follow it. On the solved
notebook.
Must score: 26 (perfect): the course's own ``data_prep.py`` is used, both by
nbgrader (it overwrites the copy) and by the sandbox (public files only).
"""
from _kit import PERFECT

ATTACK = "data_prep.py with flipped targets next to the solved notebook"

SHADOW = '''
import numpy as np
import pandas as pd

print("SHADOW-DATA-PREP-IMPORTED")
rng = np.random.default_rng(0)
features = pd.DataFrame(rng.normal(size=(360, 6)))
targets = pd.Series(rng.integers(0, 2, size=360).astype(float))
features_test = pd.DataFrame(rng.normal(size=(40, 6)))
targets_test = pd.Series(np.zeros(40))
'''


def build(solved, release, ctx):
    return solved, {"data_prep.py": SHADOW}


EXPECT = {"scores": PERFECT, "absent": ["SHADOW-DATA-PREP-IMPORTED"]}
