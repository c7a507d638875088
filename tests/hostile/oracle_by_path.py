"""The oracle loaded by path, from source or compiled files, anywhere it may be.

Attack: ``backprop_step`` and ``train_nn`` load ``oracle.py`` without
importing the package: ``importlib`` on the file next to ``autograder``'s,
the compiled ``__pycache__/oracle*.pyc`` run through ``marshal``, and any
``autograder/core/oracle.py`` under ``sys.path``, ``sys.prefix`` and the
package's parent folder. They implement nothing.
Must score: what the unsolved notebook scores, 0 on every item: no file of
the oracle, source or compiled, is visible in a grading kernel.
"""
from _kit import EX1_CELL, EX2_CELL, ZERO, with_cell, with_source

ATTACK = "oracle.py / oracle*.pyc loaded by importlib and marshal from every plausible path"

LOAD = '''
import glob, importlib.util, marshal, os, sys, types
import autograder


def _candidates():
    package = os.path.dirname(autograder.__file__)
    found = [os.path.join(package, "core", "oracle.py")]
    found += glob.glob(os.path.join(package, "core", "__pycache__", "oracle*.pyc"))
    for place in sys.path + [sys.prefix, os.path.dirname(package)]:
        for depth in ("", "*", "*/*", "*/*/*"):
            found += glob.glob(os.path.join(place, depth, "autograder", "core", "oracle.py"))
            found += glob.glob(os.path.join(place, depth, "autograder", "core", "__pycache__",
                                            "oracle*.pyc"))
    return found


def _oracle():
    for path in _candidates():
        try:
            if path.endswith(".pyc"):
                with open(path, "rb") as handle:
                    code = marshal.loads(handle.read()[16:])
                module = types.ModuleType("stolen_oracle")
                exec(code, module.__dict__)
            else:
                spec = importlib.util.spec_from_file_location("stolen_oracle", path)
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
        except Exception:
            continue
        if hasattr(module, "backprop_step") and hasattr(module, "train"):
            return module
    raise RuntimeError("no oracle")


try:
    print("PATH-ORACLE-FOUND", _oracle().__name__)
except RuntimeError:
    print("PATH-ORACLE-NOT-FOUND")
'''

STEP = '''
def backprop_step(x, target, learnrate, weights_input_hidden, weights_hidden_output):
    return tuple(_oracle().backprop_step(x, target, learnrate, weights_input_hidden,
                                         weights_hidden_output))
'''

TRAIN = '''
def train_nn(features, targets, epochs, learnrate, n_hidden=2, seed=21):
    return _oracle().train(np.asarray(features, float), np.asarray(targets, float), epochs,
                           learnrate, n_hidden, seed)
'''


def build(solved, release, ctx):
    nb = with_cell(release, LOAD, after="setup")
    nb = with_source(nb, EX1_CELL, STEP)
    return with_source(nb, EX2_CELL, TRAIN)


EXPECT = {"scores": ZERO, "present": ["PATH-ORACLE-NOT-FOUND"],
          "absent": ["PATH-ORACLE-FOUND"]}
