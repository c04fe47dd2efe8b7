"""The cohort: the call table from the per-sample records, frequencies against the
literature, the HTML report, MultiQC's sections and the methods text."""
