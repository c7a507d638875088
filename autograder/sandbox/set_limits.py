"""Set resource limits, then become the given command (where prlimit is missing).

Run as ``python -I set_limits.py LIMITS_JSON COMMAND...``. ``LIMITS_JSON``
maps ``resource`` names (``RLIMIT_CPU``...) to values; a value <= 0 leaves
that limit alone. A hard limit that cannot be lowered keeps its soft limit.
This file is run by its path and imports only the standard library.
"""

import json
import os
import resource
import sys


def set_limits(limits: dict) -> None:
    for name, value in limits.items():
        res = getattr(resource, name, None)
        if res is None or value <= 0:
            continue
        try:
            resource.setrlimit(res, (value, value))
        except (ValueError, OSError):
            try:
                resource.setrlimit(res, (value, resource.getrlimit(res)[1]))
            except (ValueError, OSError):
                pass


if __name__ == "__main__":
    set_limits(json.loads(sys.argv[1]))
    os.execv(sys.argv[2], sys.argv[2:])
