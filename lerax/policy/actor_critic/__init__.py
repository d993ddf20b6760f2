"""Actor-critic policies (PPO, A2C, REINFORCE)."""

from ._mlp import MLPActorCriticPolicy as MLPActorCriticPolicy
from .base import (
    AbstractActorCriticPolicy as AbstractActorCriticPolicy,
    AbstractDistributionActorCriticPolicy as AbstractDistributionActorCriticPolicy,
)
