"""Course folders on disk: find one, copy one, run nbgrader in it, read its grades."""
