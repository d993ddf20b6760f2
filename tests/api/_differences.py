"""Documented names where ours deliberately differs (each explained in docs/differences.md)."""

ABSENT: dict[tuple[str, str], str] = {
    ("lerax.distribution", "AbstractDistreqxWrapper"): (
        "ours is pure JAX: no distreqx dependency, so there is nothing to wrap"
    ),
}
"""Documented names ours does not have."""

_STATE = (
    "training states hold what a checkpoint needs (policy, optimiser states, collector, "
    "buffer, key, global_step); the environment and callback states travel in the loop"
)

DIFFERENCES: dict[tuple[str, str], str] = {
    ("lerax.algorithm", "DQNState"): _STATE,
    ("lerax.algorithm", "SACState"): _STATE,
    ("lerax.algorithm", "SACDiscreteState"): _STATE,
    ("lerax.algorithm", "DDPGState"): _STATE,
    ("lerax.algorithm", "TD3State"): _STATE,
    ("lerax.env.classic_control", "Pendulum"): "g=10.0 is Gymnasium's Pendulum-v1 value",
    ("lerax.env.classic_control", "ContinuousMountainCar"): (
        "goal_position=0.45 is Gymnasium's MountainCarContinuous-v0 value"
    ),
}
"""Documented names whose signature ours does not accept unchanged."""
