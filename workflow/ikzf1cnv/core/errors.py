"""The one exception worded for the user."""


class InputError(Exception):
    """A problem with the user's input (sheet, config, BED, BAM), worded for the user:
    which sample or file, what is wrong, and the fix."""
