"""Paths every test module uses: the repository, the notebooks, the solutions."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SOURCE_DIR = REPO / "source" / "backprop"
RELEASE_DIR = REPO / "release" / "backprop"
SOLUTIONS_DIR = REPO / "solutions"
HOSTILE_DIR = REPO / "tests" / "hostile"
GOLDEN_DIR = REPO / "tests" / "golden"
#: The Chinese edition: generated from SOURCE_DIR and the catalogue (`backprop edition`).
ZH_SOURCE_DIR = REPO / "source" / "backprop_zh"
ZH_RELEASE_DIR = REPO / "release" / "backprop_zh"
