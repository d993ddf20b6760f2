import jax
import numpy as np
import pytest

from lerax.advantage import discounted_returns


def reference(rewards, dones, final_value, gamma):
    out = np.zeros_like(rewards)
    future = final_value
    for t in reversed(range(len(rewards))):
        future = rewards[t] + gamma * (1.0 - dones[t]) * future
        out[t] = future
    return out


def test_matches_loop_with_episode_boundaries():
    rng = np.random.default_rng(1)
    rewards = rng.normal(size=(20, 2)).astype(np.float32)
    dones = rng.random((20, 2)) < 0.25
    final = np.array([1.5, -2.0], np.float32)
    out = jax.jit(discounted_returns)(rewards, dones, final, 0.95)
    for e in range(2):
        np.testing.assert_allclose(
            out[:, e], reference(rewards[:, e], dones[:, e], final[e], 0.95), rtol=1e-5, atol=1e-6
        )


def test_simple_values():
    # Episode ends after step 1; step 2 bootstraps from final_value.
    out = discounted_returns(
        np.array([1.0, 2.0, 3.0]), np.array([False, True, False]), np.array(10.0), 0.5
    )
    np.testing.assert_allclose(out, [1.0 + 0.5 * 2.0, 2.0, 3.0 + 0.5 * 10.0])


def test_final_value_shape_error():
    with pytest.raises((ValueError, TypeError), match="final_value"):  # TypeError: jaxtyping
        discounted_returns(np.zeros((4, 2)), np.zeros((4, 2), bool), np.zeros(3), 0.9)
