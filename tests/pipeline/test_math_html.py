"""Maths as MathML in the course's pages, with everything else the student wrote cleaned."""

from autograder.pipeline.math_html import MathMLRenderer, render_markdown, tex_to_mathml
from autograder.pipeline.student_html import clean_html


def test_tex_becomes_mathml_inline_and_displayed():
    page = render_markdown("The error $y - \\hat y$ and\n\n$$E = \\frac{1}{2}(y - \\hat y)^2$$")
    assert page.count("<math ") == 2 and 'display="block"' in page and "<mfrac>" in page
    assert "$" not in page


def test_tex_that_cannot_be_converted_is_shown_as_its_source():
    assert tex_to_mathml("\\frac{1}{", display=False).startswith('<code class="tex">$')


def test_a_students_markup_does_not_survive_as_maths():
    hostile = ('$x$ <math><mi href="javascript:alert(1)">a</mi></math> '
               '<img src=x onerror="alert(2)"> $\\text{</math><script>alert(3)</script>}$')
    page = render_markdown(hostile, clean=clean_html)
    assert "javascript:" not in page and "onerror" not in page and "<script" not in page
    assert page.count("<math ") == 2  # only the two formulas, made from their TeX


def test_placeholders_cannot_be_forged():
    renderer = MathMLRenderer(escape=False)
    renderer.inline_math("x")
    guess = "bpmath0000000000000000n0x"
    assert renderer.put_back(guess) == guess
    assert renderer.put_back(f"bpmath{renderer.key}n0x").startswith("<math ")
