import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.advantage import GAE
from lerax.buffer import RolloutBuffer

T, N = 6, 4


@pytest.fixture(scope="module")
def buffer():
    rng = np.random.default_rng(5)
    ids = np.arange(T * N, dtype=np.float32).reshape(T, N)  # item id, to track shuffles
    terminals = rng.random((T, N)) < 0.2
    truncations = ~terminals & (rng.random((T, N)) < 0.3)
    # The documented positional order: observations, actions, rewards, dones, log_probs,
    # values, states, action_masks.
    return RolloutBuffer(
        {"x": jnp.asarray(np.stack([ids, 2 * ids], axis=-1))},
        jnp.asarray(ids, jnp.int32),
        jnp.asarray(ids),
        jnp.asarray(terminals | truncations),
        jnp.asarray(-ids),
        jnp.asarray(rng.normal(size=(T, N)), jnp.float32),
        {"h": jnp.asarray(3 * ids)},
        jnp.ones((T, N, 3), bool),
        truncations=jnp.asarray(truncations),
        bootstrap_values=jnp.asarray(rng.normal(size=(T, N)), jnp.float32),
    )


def test_returns_and_advantages_use_gae_with_truncation_bootstrap(buffer):
    last = jnp.linspace(-1.0, 1.0, N)
    out = eqx.filter_jit(lambda b, v: b.compute_returns_and_advantages(v, 0.9, 0.95))(buffer, last)
    # Reference: an explicit per-step loop.
    r, v = np.asarray(buffer.rewards), np.asarray(buffer.values)
    done, trunc, boot = map(np.asarray, (buffer.dones, buffer.truncations, buffer.bootstrap_values))
    term = done & ~trunc
    expected = np.zeros((T, N), np.float32)
    running = np.zeros(N, np.float32)
    for t in reversed(range(T)):
        following = np.asarray(last) if t == T - 1 else v[t + 1]
        following = np.where(trunc[t], boot[t], np.where(term[t], 0.0, following))
        running = r[t] + 0.95 * following - v[t] + 0.95 * 0.9 * ~(term[t] | trunc[t]) * running
        expected[t] = running
    np.testing.assert_allclose(out.advantages, expected, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(out.returns, expected + v, rtol=1e-5, atol=1e-4)
    direct, _ = GAE(0.95, 0.9)(
        buffer.rewards,
        buffer.values,
        buffer.dones,
        last,
        truncations=buffer.truncations,
        bootstrap_values=buffer.bootstrap_values,
    )
    np.testing.assert_allclose(out.advantages, direct, rtol=1e-6)


def test_batches_are_a_shuffled_partition(buffer):
    make_batches = eqx.filter_jit(lambda b, k, size: b.batches(size, key=k))  # size is static
    batches = make_batches(buffer, jax.random.key(0), 8)
    assert batches.rewards.shape == (3, 8)
    assert batches.observations["x"].shape == (3, 8, 2) and batches.action_masks.shape == (3, 8, 3)
    ids = np.asarray(batches.rewards).ravel()
    assert sorted(ids.tolist()) == list(range(T * N))  # every item exactly once
    assert not np.array_equal(ids, np.arange(T * N))  # shuffled
    # Every field of an item stays together.
    np.testing.assert_array_equal(batches.observations["x"][..., 1], 2 * batches.rewards)
    np.testing.assert_array_equal(batches.log_probs, -batches.rewards)
    np.testing.assert_array_equal(batches.actions, batches.rewards.astype(jnp.int32))
    np.testing.assert_array_equal(batches.states["h"], 3 * batches.rewards)
    # A remainder is dropped: 24 items in batches of 5 -> 4 batches.
    assert make_batches(buffer, jax.random.key(1), 5).rewards.shape == (4, 5)


def test_batches_scan_into_minibatches(buffer):
    def update(total, minibatch):
        assert minibatch.rewards.shape == (6,)  # checked while tracing
        return total + minibatch.rewards.sum(), None

    total, _ = jax.lax.scan(update, jnp.array(0.0), buffer.batches(6, key=jax.random.key(2)))
    assert float(total) == sum(range(T * N))


def test_sample_draws_distinct_items(buffer):
    sample = buffer.sample(10, key=jax.random.key(3))
    ids = np.asarray(sample.rewards)
    assert ids.shape == (10,) and len(set(ids.tolist())) == 10
    np.testing.assert_array_equal(sample.observations["x"][:, 0], sample.rewards)


def test_errors(buffer):
    with pytest.raises(ValueError, match="batch_size"):
        buffer.batches(T * N + 1, key=jax.random.key(0))
    with pytest.raises(ValueError, match="batch_size"):
        buffer.sample(0, key=jax.random.key(0))
    z = jnp.zeros((T, N))
    with pytest.raises((ValueError, TypeError), match="values"):  # TypeError: jaxtyping
        RolloutBuffer(z, z, z, z > 0, z, jnp.zeros((T,)), None)
    with pytest.raises(ValueError, match=r"observations\['x'\] must start with the axes"):
        RolloutBuffer({"x": jnp.zeros((T, 2))}, z, z, z > 0, z, z, None)
    with pytest.raises(ValueError, match="together"):
        RolloutBuffer(z, z, z, z > 0, z, z, None, truncations=z > 0)
    with pytest.raises(ValueError, match="batch axis 2 is out of range"):
        buffer.batches(2, key=jax.random.key(0), batch_axes=2)


def test_documented_returns_and_advantages_arguments():
    z = jnp.zeros((3, 2))
    buffer = RolloutBuffer(z, z, z, z > 0, z, z, None, None, z + 1.0, z + 2.0)
    np.testing.assert_array_equal(buffer.returns, 1.0)
    np.testing.assert_array_equal(buffer.advantages, 2.0)


def test_batch_axes_keep_each_environment_sequence_together(buffer):
    batches = buffer.batches(2, key=jax.random.key(4), batch_axes=1)
    # N = 4 environments in batches of 2; every item is a whole (T,) sequence.
    assert batches.rewards.shape == (2, 2, T)
    ids = np.asarray(batches.rewards)
    for sequence in ids.reshape(-1, T):
        env = int(sequence[0]) % N
        np.testing.assert_array_equal(sequence, np.arange(T) * N + env)
    assert sorted(int(s[0]) for s in ids.reshape(-1, T)) == list(range(N))
    one = buffer.sample(3, key=jax.random.key(5), batch_axes=(1,))
    assert one.observations["x"].shape == (3, T, 2)


def test_estimate_uses_any_estimator(buffer):
    from lerax.advantage import BootstrappedReturn

    last = jnp.zeros(N)
    by_gae = buffer.compute_returns_and_advantages(last, 1.0, 0.9)
    by_returns = buffer.estimate(BootstrappedReturn(0.9), last)
    np.testing.assert_allclose(by_gae.returns, by_returns.returns, rtol=1e-5, atol=1e-5)
