"""The reports: the cohort report (page), its figures (plots) and HTML blocks (html)."""
