"""One transition (or a batch of them), as stored in a replay buffer."""

from __future__ import annotations

from typing import Any, final

import equinox as eqx

from .._types import Action, Array, Bool, Float, Mask, Observation


@final
class Transition(eqx.Module):
    """``(s, a, r, s', terminal, truncation)`` plus optional policy states and masks.

    Every leaf may carry leading batch axes (e.g. a sampled minibatch).

    Attributes:
        observation: Observation the action was taken on.
        action: The action.
        reward: The reward received.
        next_observation: The observation after the step (for a step that ended the
            episode: its final observation, not the reset one).
        terminal: Whether `next_observation` is a true terminal (do not bootstrap).
        truncation: Whether the episode was cut off after the step (still bootstrap).
        state: Policy state in which the action was chosen on `observation`, or `None`.
        next_state: Policy state after acting (before any reset at an episode end): the
            state that goes with `next_observation`, or `None`.
        next_action_mask: Action mask of the next state, or `None` for unmasked envs.
        action_mask: Action mask of the state the action was taken in, or `None`.
    """

    observation: Observation
    action: Action
    reward: Float[Array, "*batch"]
    next_observation: Observation
    terminal: Bool[Array, "*batch"]
    truncation: Bool[Array, "*batch"]
    state: Any = None
    next_state: Any = None
    next_action_mask: Mask = None
    action_mask: Mask = None

    # The documented names of a sampled batch's fields.

    @property
    def observations(self) -> Observation:
        """`observation` (the documented plural name)."""
        return self.observation

    @property
    def actions(self) -> Action:
        """`action` (the documented plural name)."""
        return self.action

    @property
    def rewards(self) -> Float[Array, "*batch"]:
        """`reward` (the documented plural name)."""
        return self.reward

    @property
    def next_observations(self) -> Observation:
        """`next_observation` (the documented plural name)."""
        return self.next_observation

    @property
    def dones(self) -> Bool[Array, "*batch"]:
        """`terminal` (the documented name)."""
        return self.terminal

    @property
    def timeouts(self) -> Bool[Array, "*batch"]:
        """`truncation` (the documented name)."""
        return self.truncation

    @property
    def states(self) -> Any:
        """`state` (the documented plural name)."""
        return self.state

    @property
    def next_states(self) -> Any:
        """`next_state` (the documented plural name)."""
        return self.next_state
