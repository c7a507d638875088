"""Active HTML in the pages the instructor opens.

Attack: a cell displays HTML with a ``<script>`` and an ``onerror=``
handler, JavaScript, a PNG whose width and another whose base64 break out of
the ``<img>`` attribute, Markdown output holding a script, and HTML marked
"isolated" (nbconvert puts it in an iframe); a Markdown cell holds a
``<script>`` and an ``onerror=`` of its own. nbconvert copied all of it into
the feedback HTML (and the formgrader's view), where it runs with the
instructor's session.
Must score: full marks (the notebook is solved); the autograded notebook and
the feedback page hold none of the active parts, the inert ones are kept.
"""
from _kit import PERFECT, with_cell

ATTACK = ("<script>, onerror=, JavaScript, attribute break-outs, isolated HTML, "
          "raw HTML in Markdown")

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJ"
       "RU5ErkJggg==")

CODE = f'''
from IPython.display import HTML, Javascript, Markdown, display


def mark(letter):  # built at run time, so that the code shown in the page holds no mark
    return "XSS" + "-MARK-" + letter


display(HTML("<scr" + "ipt>/*" + mark("A") + "*/</scr" + "ipt>"
             "<img src=x on" + "error='/*" + mark("B") + "*/'><b>inert-bold</b>"))
display(Javascript("/*" + mark("C") + "*/"))
display({{"image/png": "{PNG}"}}, raw=True,
        metadata={{"image/png": {{"width": "1 on" + "error=" + mark("D")}}}})
display({{"image/png": 'x" on' + 'error="' + mark("E")}}, raw=True)
display(Markdown("<scr" + "ipt>" + mark("F") + "</scr" + "ipt>"))
display(HTML("<b>isolated</b>"), metadata={{"isolated": True}})
print("ACTIVE-SHOWN")
'''

MARKDOWN = ('Notes: <script>/*XSS-MARK-H*/</script>'
            '<img src=x onerror="/*XSS-MARK-I*/"> and a [link](javascript:void(0)).')


def build(solved, release, ctx):
    nb = with_cell(solved, CODE, after="setup")
    index = next(i for i, c in enumerate(nb.cells) if c.source == CODE)
    markdown = nb.cells[0].copy()
    markdown.source = MARKDOWN
    markdown["id"] = "active-notes"
    nb.cells.insert(index, markdown)
    return nb


MARKS = [f"XSS-MARK-{letter}" for letter in "ABCDE"]
EXPECT = {"scores": PERFECT, "present": ["ACTIVE-SHOWN", "inert-bold"], "absent": MARKS,
          "feedback": True,
          "feedback_absent": MARKS + ["XSS-MARK-F", "XSS-MARK-H", "XSS-MARK-I", "isolated-iframe",
                                      "javascript:void"]}
