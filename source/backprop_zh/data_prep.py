"""Prepare the UCLA graduate-admissions data for Example 2.

The table in ``binary.csv`` has the columns ``admit, gre, gpa, rank``. This
module turns it into model-ready arrays and splits it the way the course
always has, so that every student trains on exactly the same 360 records:

1. ``rank`` (1 to 4) becomes four one-hot float columns ``rank_1`` .. ``rank_4``;
2. ``gre`` and ``gpa`` are standardised with pandas' mean and sample standard
   deviation (ddof=1);
3. the legacy global NumPy generator is seeded with 21 and 90 % of the row
   labels are drawn without replacement for training; the remaining 10 % are
   the test set;
4. ``admit`` is the target; the six other columns are the features.

Everything is float64, so the arrays work with ``np.exp`` on NumPy 2, and no
column is modified in place, so pandas 3 raises no warning.

Importing the module gives ``features, targets, features_test, targets_test``.
"""

from pathlib import Path

import numpy as np
import pandas as pd

DATA_FILE = Path(__file__).with_name("binary.csv")
SPLIT_SEED = 21
TRAIN_FRACTION = 0.9


def load_admissions(path=DATA_FILE):
    """Read ``binary.csv`` and return it as a DataFrame with a clear error."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"the admissions data file is missing: {path}")
    data = pd.read_csv(path)
    expected = ["admit", "gre", "gpa", "rank"]
    if list(data.columns) != expected:
        raise ValueError(f"{path} has columns {list(data.columns)}, expected {expected}")
    return data


def encode(data):
    """One-hot encode ``rank`` and standardise ``gre`` and ``gpa``."""
    ranks = pd.get_dummies(data["rank"], prefix="rank", dtype=float)
    encoded = pd.concat([data.drop(columns="rank"), ranks], axis=1).astype(float)
    for column in ("gre", "gpa"):
        values = encoded[column]
        encoded[column] = (values - values.mean()) / values.std()
    return encoded


def split(encoded, seed=SPLIT_SEED, train_fraction=TRAIN_FRACTION):
    """Split rows into training and test sets with the course's fixed seed."""
    np.random.seed(seed)
    n_train = int(encoded.shape[0] * train_fraction)
    sample = np.random.choice(encoded.index, size=n_train, replace=False)
    train, test = encoded.loc[sample], encoded.drop(sample)
    return (
        train.drop(columns="admit"),
        train["admit"],
        test.drop(columns="admit"),
        test["admit"],
    )


def prepare(path=DATA_FILE):
    """Return ``features, targets, features_test, targets_test``."""
    return split(encode(load_admissions(path)))


features, targets, features_test, targets_test = prepare()
