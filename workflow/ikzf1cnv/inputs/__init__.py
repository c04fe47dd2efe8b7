"""Checking what the user gives (sample sheet, config, target BED, BAM headers) before
anything is computed; every error names the sample or file, the line, and the fix."""
