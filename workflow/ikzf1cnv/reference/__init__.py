"""The reference a sample's log2 ratios are taken against: CNVkit's pooled reference made
trustworthy with few normals or none (pool, refine), and the normals' shared bias patterns
removed from each tumour (denoise)."""
