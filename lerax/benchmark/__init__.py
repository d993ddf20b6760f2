"""Evaluate policies: episode returns and compiled rollouts."""

from ._average_reward import average_reward as average_reward
from ._rollout_episode import rollout_episode as rollout_episode
from ._rollout_scan import rollout_scan as rollout_scan
from ._rollout_trajectory import Trajectory as Trajectory, rollout_trajectory as rollout_trajectory
from ._rollout_while import SAFETY_CAP as SAFETY_CAP, rollout_while as rollout_while
