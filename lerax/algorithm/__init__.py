"""Algorithms: compiled training loops."""

from ._a2c import A2C as A2C
from ._collector import (
    AbstractStepState as AbstractStepState,
    Collector as Collector,
    CollectorState as CollectorState,
    StepRecord as StepRecord,
)
from ._ddpg import DDPG as DDPG
from ._ddpg_state import DDPGState as DDPGState, DDPGStats as DDPGStats, TD3State as TD3State
from ._deterministic_actor_critic import (
    AbstractDeterministicActorCritic as AbstractDeterministicActorCritic,
)
from ._discrete_q_network import DiscreteQNetwork as DiscreteQNetwork
from ._dqn import DQN as DQN
from ._dqn_state import DQNState as DQNState, DQNStats as DQNStats
from ._off_policy import (
    AbstractOffPolicyAlgorithm as AbstractOffPolicyAlgorithm,
    AbstractOffPolicyState as AbstractOffPolicyState,
)
from ._on_policy import AbstractOnPolicyAlgorithm as AbstractOnPolicyAlgorithm
from ._on_policy_state import OnPolicyState as OnPolicyState
from ._policy_gradient import PolicyGradientStats as PolicyGradientStats
from ._ppo import PPO as PPO, PPOStats as PPOStats
from ._q_network import AbstractQNetwork as AbstractQNetwork
from ._reinforce import REINFORCE as REINFORCE
from ._sac import SAC as SAC
from ._sac_discrete import SACDiscrete as SACDiscrete
from ._sac_state import (
    SACDiscreteState as SACDiscreteState,
    SACState as SACState,
    SACStats as SACStats,
)
from ._sharding import shard_seeds as shard_seeds
from ._soft_actor_critic import AbstractSoftActorCritic as AbstractSoftActorCritic
from ._soft_q_network import SoftQNetwork as SoftQNetwork
from ._td3 import TD3 as TD3
from .base import (
    AbstractAlgorithm as AbstractAlgorithm,
    AbstractAlgorithmState as AbstractAlgorithmState,
    AbstractTrainState as AbstractTrainState,
    TrainingLoopState as TrainingLoopState,
)
