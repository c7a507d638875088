"""An output flood through display updates, past the output cap.

Attack: ten small outputs share one ``display_id``, then one 4 MB update
rewrites all ten. Only new outputs counted against the cap, so this made a
40 MB notebook (with a 20 MB update: a 200 MB autograded notebook, a 200 MB
feedback page and an 810 MiB grader; a message that large is now refused
before it is read, see ``autograder/sandbox/kernel_client.py``).
Must score: 0 on every item (unsolved release); the update counts ten times
its size against the cap and is dropped, so the notebook stays small.
"""
from _kit import ZERO, with_cell

ATTACK = "10 displays with one display_id, then update_display with 4 MB"

FLOOD = '''
from IPython.display import display, update_display
for _ in range(10):
    display({"text/plain": "small"}, raw=True, display_id="flood")
print("UPDATE-FLOOD-SENDING")
update_display({"text/plain": "U" * (4 * 2**20)}, raw=True, display_id="flood")
'''


def build(solved, release, ctx):
    return with_cell(release, FLOOD, after="setup")


EXPECT = {"scores": ZERO, "present": ["UPDATE-FLOOD-SENDING", "output cut"],
          "max_notebook_bytes": 3 * 2**20}
