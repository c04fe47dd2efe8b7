"""The reports' stylesheets: screen, and print (nothing cut on A4 or Letter: tables fit the
page's width, figures scale down and are not split, search boxes and links hidden)."""

BASE = """body{font-family:sans-serif;margin:24px;max-width:1200px;color:#222}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #ccc;padding:3px 6px}
th{background:#f4f4f4;position:sticky;top:0}.warn{background:#fff3cd;border:1px solid #e0c36c;padding:8px}
.grid{display:flex;flex-wrap:wrap;gap:8px}h2{border-bottom:2px solid #ddd;padding-bottom:4px;margin-top:32px}
.note{color:#555;font-size:13px}table.sortable th{cursor:pointer}th[aria-sort=ascending]::after{content:" \\25B2"}
th[aria-sort=descending]::after{content:" \\25BC"}.tools input{width:24em}.count{font-size:13px}
svg{max-width:100%;height:auto}.digest,.path{word-break:break-all;font-family:monospace;font-size:11px}
table.provenance th{text-align:left;position:static;width:9em}footer{margin-top:24px;font-size:12px}
.use,.limits{font-size:12px}.meta{color:#444}"""

PRINT = """@media print{body{margin:0;max-width:none;font-size:10px}.tools,.screen{display:none!important}
th{position:static}table{font-size:8px;max-width:100%}th,td{padding:1px 3px}h1{font-size:17px;margin:0 0 4px}
h2{font-size:13px;margin:10px 0 4px;break-after:avoid}h3{font-size:11px;margin:6px 0 2px;break-after:avoid}
svg,.keep,tr{break-inside:avoid}a{color:inherit;text-decoration:none}.note{font-size:9px}footer{font-size:8px}
.digest,.path{font-size:8px}.use,.limits{font-size:8px}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"""

# The cohort report prints landscape: its call table's columns all fit (wrapping headers
# at underscores), and figures scale to the page.
COHORT = BASE + "\n" + PRINT + """
@page{size:landscape;margin:8mm}
@media print{#calls,#evidence,#qc{width:100%}}"""

# A patient page prints portrait on A4 or Letter, at most two pages.
PATIENT = BASE + "\n" + PRINT + """
@page{margin:9mm}
body{max-width:760px}.verdict{border:2px solid #333;padding:6px 10px;margin:6px 0}
.verdict p{margin:3px 0}.verdict .big{font-size:16px;font-weight:bold}.pos{color:#c0392b}.neg{color:#2e7d32}
.na{color:#7f8c8d}.small-grid{display:flex;flex-wrap:wrap;gap:4px}table.genes td,table.genes th{padding:1px 5px}
.page2{break-before:page}
@media print{body{max-width:none}.verdict{padding:3px 8px}.verdict .big{font-size:13px}}"""
