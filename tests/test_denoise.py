import numpy as np

from ikzf1cnv.reference import denoise


def test_planted_bias_pattern_is_removed_and_deletion_kept():
    rng = np.random.default_rng(0)
    nb = 400
    pattern = rng.uniform(-1, 1, nb)
    normals = np.column_stack([s * pattern + rng.normal(0, 0.05, nb) for s in (0.3, -0.2, 0.25, -0.1, 0.15)])
    comps = denoise.components(normals, 1)
    assert abs(np.corrcoef(comps[:, 0], pattern)[0, 1]) > 0.98
    tumour = 0.4 * pattern + rng.normal(0, 0.05, nb)
    tumour[100:110] += -0.6                        # a deletion over 10 bins
    clean, coef = denoise.remove(tumour, comps, np.ones(nb, bool))
    rest = np.r_[0:100, 110:nb]
    assert np.std(clean[rest]) < 0.07 < np.std(tumour[rest])
    assert np.mean(clean[100:110]) - np.mean(clean[rest]) < -0.5


def test_no_components_is_identity():
    x = np.arange(5.0)
    assert np.array_equal(denoise.remove(x, np.zeros((5, 0)), np.ones(5, bool))[0], x)
    assert denoise.components(np.ones((10, 1)), 3).shape == (10, 0)  # one normal: no pattern
