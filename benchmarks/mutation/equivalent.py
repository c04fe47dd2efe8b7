"""Surviving mutants that are equivalent: the change cannot alter what the function returns
or does for any input it is given, so no test can kill it. Each is matched by module,
function and the exact lines the mutant removes and adds (benchmarks/mutation/run.py), so
a change to the code makes a stale entry stop matching rather than hide a new survivor.
docs/testing.md lists them with their reasons."""

NUMERIC_DTYPE = ("The array is made from numbers whose type does not matter downstream (the states 0, 1, 2 are "
                 "multiplied by floats; comparisons and sums give the same values in int or float).")
NUMERIC_INPUT = ("The callers pass floats (NaN for no data; pandas float columns, numpy draws): np.asarray or "
                 ".to_numpy without dtype=float gives the same float array for them (it differs only for None or "
                 "strings, which no caller passes).")
FLOAT_EDGE = ("The two sides differ only when two computed floating-point costs or positions are exactly equal "
              "at an arbitrary offset (f_max - 1e-9 on the grid; a profile value exactly ci_drop above the best), "
              "which the arithmetic never produces: a boundary choice on a continuous quantity.")
NO_EVENT_AT_ZERO = ("llr is exactly 0 only when the best path costs what the null does; the Viterbi then keeps "
                    "state 0 (argmin takes the first of ties), so no state is non-zero and 'llr <= 0' and "
                    "'llr < 0' decide alike. (llr > 0 with every state 0 does occur, from rounding: "
                    "tests/test_model.py::test_a_long_wild_type_window_has_no_event_whatever_the_rounding.)")
ANY_MODE_BUT_PARTIAL = ("Every pax5_mode but 'partial' means 'any' (the function tests for 'partial' only), so a "
                        "different default string behaves as 'any'.")
PANDAS_ITERTUPLES = ("itertuples' index flag only adds a leading Index field; the code reads fields by name, "
                     "and None is falsy like False.")
PANDAS_NAN = ("float('NAN') is NaN like float('nan'); None in a column of floats becomes NaN in the DataFrame.")
SORT_KIND = ("pandas applies `kind` only when sorting by one column; sorting by chrom, left and right is always "
             "its stable lexicographic sort.")

EQUIVALENT: list[dict] = [
    {"module": 'model', "function": '_viterbi_costs',
     "before": 'k = np.array(STATES, dtype=float)',
     "after": 'k = np.array(STATES, dtype=None)',
     "reason": NUMERIC_DTYPE},
    {"module": 'model', "function": '_viterbi_costs',
     "before": 'k = np.array(STATES, dtype=float)',
     "after": 'k = np.array(STATES, )',
     "reason": NUMERIC_DTYPE},
    {"module": 'model', "function": '_viterbi_costs',
     "before": 'back = np.zeros((n, nf, 3), dtype=np.int8)',
     "after": 'back = np.zeros((n, nf, 3), dtype=None)',
     "reason": 'The backpointers hold 0, 1 or 2: int8 saves memory, a float array holds the same values and int() reads them back the same.'},
    {"module": 'model', "function": '_viterbi_costs',
     "before": 'back = np.zeros((n, nf, 3), dtype=np.int8)',
     "after": 'back = np.zeros((n, nf, 3), )',
     "reason": 'The backpointers hold 0, 1 or 2: int8 saves memory, a float array holds the same values and int() reads them back the same.'},
    {"module": 'model', "function": 'fit',
     "before": 'def fit(log2, se, f_max: float = 1.0, params: ModelParams = ModelParams(), blast: float | None = None,',
     "after": 'def fit(log2, se, f_max: float = 2.0, params: ModelParams = ModelParams(), blast: float | None = None,',
     "reason": 'f_max is clamped to at most 1 before use: a default of 2 is 1.'},
    {"module": 'model', "function": 'fit',
     "before": 'l = np.asarray(log2, dtype=float)',
     "after": 'l = np.asarray(log2, dtype=None)',
     "reason": NUMERIC_INPUT},
    {"module": 'model', "function": 'fit',
     "before": 'l = np.asarray(log2, dtype=float)',
     "after": 'l = np.asarray(log2, )',
     "reason": NUMERIC_INPUT},
    {"module": 'model', "function": 'fit',
     "before": 's = np.asarray(se, dtype=float)',
     "after": 's = np.asarray(se, dtype=None)',
     "reason": NUMERIC_INPUT},
    {"module": 'model', "function": 'fit',
     "before": 's = np.asarray(se, dtype=float)',
     "after": 's = np.asarray(se, )',
     "reason": NUMERIC_INPUT},
    {"module": 'model', "function": 'fit',
     "before": 'if fgrid[-1] < f_max - 1e-9:',
     "after": 'if fgrid[-1] <= f_max - 1e-9:',
     "reason": FLOAT_EDGE},
    {"module": 'model', "function": 'fit',
     "before": 'states = [0] * n',
     "after": 'states = [1] * n',
     "reason": 'Every state is overwritten by the backtrack that follows (it assigns each index from n - 1 down to 0).'},
    {"module": 'model', "function": 'fit',
     "before": 'if i > 0:',
     "after": 'if i >= 0:',
     "reason": 'At i = 0 the backtrack reads back[0], which is never written (zeros), into a state nothing reads afterwards.'},
    {"module": 'model', "function": 'fit',
     "before": 'if llr <= 0 or not any(states):',
     "after": 'if llr < 0 or not any(states):',
     "reason": NO_EVENT_AT_ZERO},
    {"module": 'model', "function": 'fit',
     "before": 'ok = best_per_f <= best + params.ci_drop',
     "after": 'ok = best_per_f < best + params.ci_drop',
     "reason": FLOAT_EDGE},
    {"module": 'model', "function": 'huber',
     "before": 'return np.where(a <= k, 0.5 * a * a, k * a - 0.5 * k * k)',
     "after": 'return np.where(a < k, 0.5 * a * a, k * a - 0.5 * k * k)',
     "reason": 'At |z| = k both branches are 0.5 k^2: the loss is continuous there, so either side may take the edge.'},
    {"module": 'lod', "function": 'limit',
     "before": 'se = pos["se"].to_numpy(dtype=float)',
     "after": 'se = pos["se"].to_numpy(dtype=None)',
     "reason": NUMERIC_INPUT},
    {"module": 'lod', "function": 'limit',
     "before": 'ok = (mid >= interval[0]) & (mid < interval[1]) & np.isfinite(pos["log2"].to_numpy(dtype=float)) & (se > 0)',
     "after": 'ok = (mid >= interval[0]) & (mid < interval[1]) & np.isfinite(pos["log2"].to_numpy(dtype=None)) & (se > 0)',
     "reason": NUMERIC_INPUT},
    {"module": 'lod', "function": 'limit',
     "before": 'if w <= 0:',
     "after": 'if w <= 1:',
     "reason": 'With W <= 1 the shift (2 sqrt(P) + 1.645) / sqrt(W) is at least 1.645, so f = 2 (1 - 2^-shift) >= 1.36: out of reach (None) either way.'},
    {"module": 'calibrate', "function": 'critical_penalties',
     "before": 'x = np.maximum(np.atleast_2d(np.asarray(x, dtype=float)), params.log2_floor)',
     "after": 'x = np.maximum(np.atleast_2d(np.asarray(x, dtype=None)), params.log2_floor)',
     "reason": NUMERIC_INPUT},
    {"module": 'calibrate', "function": 'critical_penalties',
     "before": 'x = np.maximum(np.atleast_2d(np.asarray(x, dtype=float)), params.log2_floor)',
     "after": 'x = np.maximum(np.atleast_2d(np.asarray(x, )), params.log2_floor)',
     "reason": NUMERIC_INPUT},
    {"module": 'calibrate', "function": 'critical_penalties',
     "before": 's = np.broadcast_to(np.asarray(se, dtype=float), x.shape)',
     "after": 's = np.broadcast_to(np.asarray(se, dtype=None), x.shape)',
     "reason": NUMERIC_INPUT},
    {"module": 'calibrate', "function": 'critical_penalties',
     "before": 's = np.broadcast_to(np.asarray(se, dtype=float), x.shape)',
     "after": 's = np.broadcast_to(np.asarray(se, ), x.shape)',
     "reason": NUMERIC_INPUT},
    {"module": 'calibrate', "function": 'critical_penalties',
     "before": 'fgrid = np.round(np.arange(params.f_min, f_max + 1e-9, params.f_step), 6)',
     "after": 'fgrid = np.round(np.arange(params.f_min, f_max + 1e-9, params.f_step), 7)',
     "reason": "The grid's values are f_min plus multiples of f_step (two decimals): np.arange's float noise is far below 1e-7, so rounding to 6 or 7 decimals gives the same floats."},
]
