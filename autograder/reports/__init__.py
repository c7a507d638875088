"""Reports for the instructor: the class report (``backprop report``)."""
