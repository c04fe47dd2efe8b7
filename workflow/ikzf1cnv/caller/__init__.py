"""The caller: every decision about one tumour, from its bins' log2 ratios to its calls.

  params      settings (config, calibration table) and the annotation
  prepare     bins recentred, with variances; gained chromosomes; QC metrics
  window      a gene group's window as positions (exons, intronic, flanking, off-target bins)
  model       the joint exon-level copy-number model (Viterbi over positions, one cell fraction)
  calibrate   the model's evidence threshold against a false-positive rate
  groups      every group's window fitted; the arm a group lies in
  arms        chromosome arm levels and losses
  lod         the limit of detection of each deletion type
  genes       gene levels in the contract's vocabularies; the per-exon IKZF1 table
  labels      exon runs to deletion labels (del4-7, ...)
  purity      the arithmetic of purity
  ikzf1       IKZF1's label, cell fraction, mechanism, evidence
  junctions   junctions placed in the windows and reconciled with the depth calls
  classify    IKZF1plus and UKALL-CNA
  sample      one tumour end to end (call_sample, call, failed)
  record      the per-sample record (calls.json)
"""
