"""Algorithms: compiled training loops."""

from ._dqn import DQN as DQN
from ._dqn_state import DQNState as DQNState
from .base import AbstractAlgorithm as AbstractAlgorithm, AbstractTrainState as AbstractTrainState
