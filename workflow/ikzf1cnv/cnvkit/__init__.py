"""The adapter to CNVkit (cnvlib): target and antitarget bins, the pooled reference, and
its bias correction `fix` (with fix_fast, the same arithmetic on plain tables, kept
byte-identical to cnvlib by tests)."""
