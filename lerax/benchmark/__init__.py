"""Evaluate policies: episode returns and compiled rollouts."""

from ._average_reward import average_reward as average_reward
from ._rollout_scan import Trajectory as Trajectory, rollout_scan as rollout_scan
from ._rollout_while import rollout_while as rollout_while
