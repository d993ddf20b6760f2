"""Vmapped seeds shard over all local devices (four CPU devices in a subprocess)."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import equinox as eqx
    import jax
    import numpy as np

    assert jax.local_device_count() == 4, jax.devices()
    from lerax.algorithm import A2C, shard_seeds
    from lerax.env.classic_control import CartPole
    from lerax.policy import MLPActorCriticPolicy

    env = CartPole()
    policy = MLPActorCriticPolicy(env, feature_size=8, feature_width=8, feature_depth=1,
                                  value_width=8, value_depth=1, action_width=8,
                                  action_depth=1, key=jax.random.key(0))
    algo = A2C(num_envs=2, num_steps=8)
    keys = jax.random.split(jax.random.key(1), 8)
    sharded = algo.learn_many(env, policy, 256, keys=keys)
    leaf = jax.tree.leaves(eqx.filter(sharded, eqx.is_array))[-1]
    assert len(leaf.sharding.device_set) == 4, leaf.sharding
    assert leaf.addressable_shards[0].data.shape[0] == 2  # 8 seeds / 4 devices
    plain = eqx.filter_vmap(lambda k: algo.learn(env, policy, 256, key=k))(
        jax.device_put(keys, jax.devices()[0])
    )
    for a, b in zip(jax.tree.leaves(eqx.filter(sharded, eqx.is_array)),
                    jax.tree.leaves(eqx.filter(plain, eqx.is_array))):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-4, atol=1e-5)
    try:
        shard_seeds(keys[:6])
    except ValueError as error:
        assert "multiple of 4" in str(error)
    else:
        raise AssertionError("6 seeds over 4 devices must raise")
    print("OK")
    """
)


def test_learn_many_shards_seeds_over_four_cpu_devices():
    env = dict(os.environ)
    env["XLA_FLAGS"] = "--xla_force_host_platform_device_count=4"
    env["JAX_PLATFORMS"] = "cpu"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith("OK")
