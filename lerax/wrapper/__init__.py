"""Wrappers: environments built around other environments."""

from ._clip_action import ClipAction as ClipAction
from ._clip_observation import ClipObservation as ClipObservation
from ._clip_reward import ClipReward as ClipReward
from ._episode_statistics import (
    EpisodeStatistics as EpisodeStatistics,
    EpisodeStatisticsState as EpisodeStatisticsState,
)
from ._flatten_observation import FlattenObservation as FlattenObservation
from ._frame_stack import FrameStack as FrameStack
from ._identity import Identity as Identity
from ._normalize_observation import (
    NormalizeObservation as NormalizeObservation,
    NormalizeObservationState as NormalizeObservationState,
)
from ._normalize_reward import (
    NormalizeReward as NormalizeReward,
    NormalizeRewardState as NormalizeRewardState,
)
from ._rescale_action import RescaleAction as RescaleAction
from ._rescale_observation import RescaleObservation as RescaleObservation
from ._running_mean_std import RunningMeanStd as RunningMeanStd
from ._time_limit import TimeLimit as TimeLimit
from ._transform_action import TransformAction as TransformAction
from ._transform_observation import TransformObservation as TransformObservation
from ._transform_reward import TransformReward as TransformReward
from .base import (
    AbstractActionWrapper as AbstractActionWrapper,
    AbstractObservationWrapper as AbstractObservationWrapper,
    AbstractRewardWrapper as AbstractRewardWrapper,
    AbstractStatefulWrapper as AbstractStatefulWrapper,
    AbstractStatelessWrapper as AbstractStatelessWrapper,
    AbstractWrapper as AbstractWrapper,
    AbstractWrapperState as AbstractWrapperState,
    WrapperState as WrapperState,
)
