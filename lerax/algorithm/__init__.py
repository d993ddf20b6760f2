"""Algorithms: compiled training loops."""

from ._a2c import A2C as A2C
from ._collector import (
    Collector as Collector,
    CollectorState as CollectorState,
    StepRecord as StepRecord,
)
from ._dqn import DQN as DQN
from ._dqn_state import DQNState as DQNState, DQNStats as DQNStats
from ._on_policy import AbstractOnPolicyAlgorithm as AbstractOnPolicyAlgorithm
from ._on_policy_state import OnPolicyState as OnPolicyState
from ._policy_gradient import PolicyGradientStats as PolicyGradientStats
from ._ppo import PPO as PPO, PPOStats as PPOStats
from ._reinforce import REINFORCE as REINFORCE
from ._sharding import shard_seeds as shard_seeds
from .base import AbstractAlgorithm as AbstractAlgorithm, AbstractTrainState as AbstractTrainState
