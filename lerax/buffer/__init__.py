"""Storage for experience: replay buffers (off-policy) and rollout buffers (on-policy)."""

from ._replay_buffer import ReplayBuffer as ReplayBuffer
from ._rollout_buffer import RolloutBuffer as RolloutBuffer
from ._transition import Transition as Transition
from .base import AbstractBuffer as AbstractBuffer
