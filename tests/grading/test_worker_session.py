"""A worker's own copy of the run's configuration, with this machine's paths."""

from pathlib import Path

from traitlets.config import Config

from autograder.grading.worker_session import local_page_templates
from autograder.pipeline.setup import page_templates


def test_page_templates_missing_here_become_this_machines(tmp_path):
    here = page_templates()
    assert all(Path(folder).is_dir() for folders in here.values() for folder in folders)
    elsewhere = Config()
    elsewhere.HTMLExporter.extra_template_basedirs = ["/opt/coordinator/nbgrader/templates",
                                                      str(tmp_path)]
    local_page_templates(elsewhere)
    assert elsewhere.HTMLExporter.extra_template_basedirs == \
        here["HTMLExporter", "extra_template_basedirs"]
    # a setting the configuration left out gets this machine's
    assert elsewhere.FeedbackExporter.extra_template_paths == \
        here["FeedbackExporter", "extra_template_paths"]


def test_page_templates_that_exist_here_are_kept(tmp_path):
    own = Config()
    own.HTMLExporter.extra_template_basedirs = [str(tmp_path)]
    own.FeedbackExporter.extra_template_paths = [str(tmp_path), str(tmp_path)]
    local_page_templates(own)
    assert own.HTMLExporter.extra_template_basedirs == [str(tmp_path)]
    assert own.FeedbackExporter.extra_template_paths == [str(tmp_path), str(tmp_path)]
