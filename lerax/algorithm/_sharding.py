"""Laying a batch of seeds out over the local devices."""

from __future__ import annotations

import jax
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

from .._types import KeyBatch


def shard_seeds(keys: KeyBatch) -> KeyBatch:
    """Shard a batch of PRNG keys over all local devices along its leading (seed) axis.

    With one device the keys are returned unchanged. With several, they are placed on a
    one-dimensional mesh named ``"seed"``; a computation vmapped over them (for example
    ``eqx.filter_vmap(algo.learn)``) is then partitioned by JAX so that each device runs
    its share of the seeds, and its outputs stay sharded the same way.

    Args:
        keys: PRNG keys with a leading seed axis.

    Returns:
        The same keys, laid out over the devices.

    Raises:
        ValueError: If the number of seeds is not a multiple of the number of devices.

    Example:
        >>> keys = shard_seeds(jax.random.split(jax.random.key(0), 8))
        >>> policies = eqx.filter_vmap(lambda k: PPO().learn(env, policy, n, key=k))(keys)
    """
    devices = jax.local_devices()
    if len(devices) == 1:
        return keys
    num_seeds = keys.shape[0] if keys.ndim else 0
    if num_seeds % len(devices):
        raise ValueError(
            f"shard_seeds: {num_seeds} seeds cannot be split evenly over {len(devices)} "
            f"devices; use a multiple of {len(devices)} seeds"
        )
    mesh = Mesh(np.asarray(devices), ("seed",))
    return jax.device_put(keys, NamedSharding(mesh, PartitionSpec("seed")))
