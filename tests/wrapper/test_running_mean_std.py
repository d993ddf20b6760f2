"""RunningMeanStd equals numpy's mean and variance of the samples seen."""

import jax
import numpy as np

from lerax.wrapper import RunningMeanStd


def test_matches_numpy_at_every_step():
    rng = np.random.default_rng(0)
    samples = (rng.normal(size=(200, 3)) * [1.0, 10.0, 0.1] + [5.0, -100.0, 0.0]).astype(np.float32)

    def body(stats, x):
        stats = stats.update(x)
        return stats, (stats.mean, stats.var, stats.count)

    _, (means, variances, counts) = jax.jit(
        lambda xs: jax.lax.scan(body, RunningMeanStd((3,)), xs)
    )(samples)
    assert counts.tolist() == list(range(1, 201))
    for n in (1, 2, 10, 200):
        seen = samples[:n].astype(np.float64)
        np.testing.assert_allclose(means[n - 1], seen.mean(axis=0), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(variances[n - 1], seen.var(axis=0), rtol=1e-4, atol=1e-6)


def test_normalize_and_defaults():
    stats = RunningMeanStd(())
    assert float(stats.mean) == 0.0 and float(stats.var) == 1.0 and int(stats.count) == 0
    stats = stats.update(1.0).update(3.0)
    assert float(stats.mean) == 2.0 and float(stats.var) == 1.0
    np.testing.assert_allclose(stats.normalize(4.0, 0.0), 2.0)
