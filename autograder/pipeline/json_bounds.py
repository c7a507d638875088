"""Bounds on an untrusted notebook's JSON, before anything large is built from it.

``json.loads`` makes a Python object per JSON value (an empty ``{}`` costs
about 90 bytes), and reading a notebook multiplies that (nbformat's
conversion and validation, nbgrader's copies): a 60 MB file of empty objects
took the grader to about 8 GB. Honest notebooks hold about a thousand values
once their outputs, which grading clears anyway, are set aside.

* :func:`value_bound`: an upper bound on the number of values, at the speed
  of ``bytes.count`` (every bracket and comma counts, in strings too);
* :func:`drop_outputs` and :func:`count_values`: the outputs set aside, the
  rest counted, without recursion;
* run as a program (``python -I -S json_bounds.py MAX_VALUES MAX_MEMORY``), it
  reads a notebook's bytes on stdin within a memory limit of its own and
  writes the notebook without its outputs on stdout: the way to read a file
  whose bound is too high to parse in the grader's process. Exit status 0, or
  :data:`TOO_MANY`, :data:`NOT_JSON` (the reason on stderr), :data:`TOO_DEEP`.

Standard library only: the program runs by its path, without the package.
"""

import json
import resource
import sys

TOO_MANY, NOT_JSON, TOO_DEEP = 3, 4, 5


def value_bound(data: bytes) -> int:
    """At least the number of JSON values (keys included) in ``data``: a container
    and its first member (a key and its value) are at most three, and every comma
    brings at most two more."""
    return 3 * (data.count(b"{") + data.count(b"[")) + 2 * data.count(b",") + 1


def _cells(raw):
    """Every cell of a v4 notebook, and of each worksheet of a v3 one."""
    if not isinstance(raw, dict):
        return
    groups = [raw.get("cells")]
    worksheets = raw.get("worksheets")
    if isinstance(worksheets, list):
        groups += [sheet.get("cells") for sheet in worksheets if isinstance(sheet, dict)]
    for cells in groups:
        if isinstance(cells, list):
            yield from (cell for cell in cells if isinstance(cell, dict))


def drop_outputs(raw) -> None:
    """Empty the outputs of every cell of the decoded notebook ``raw``, in place."""
    for cell in _cells(raw):
        if "outputs" in cell:
            cell["outputs"] = []


def count_values(raw, limit: int) -> int:
    """The number of JSON values in ``raw`` (each key counts too), or more than
    ``limit`` as soon as it is passed."""
    count, stack = 0, [raw]
    while stack and count <= limit:
        value = stack.pop()
        count += 1
        if isinstance(value, dict):
            count += len(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return count


def main(max_values: int, max_memory: int) -> int:
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    try:
        raw = json.loads(sys.stdin.buffer.read().decode("utf-8-sig"))
        drop_outputs(raw)
        if count_values(raw, max_values) > max_values:
            return TOO_MANY
        sys.stdout.write(json.dumps(raw))
    except MemoryError:
        return TOO_MANY
    except RecursionError:
        return TOO_DEEP
    except ValueError as exc:  # JSONDecodeError, or a decoding error
        sys.stderr.write(str(exc)[:200])
        return NOT_JSON
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]), int(sys.argv[2])))
