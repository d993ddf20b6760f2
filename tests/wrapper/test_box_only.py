"""Wrappers that only make sense on Box spaces reject every other space by name."""

import pytest

from lerax.wrapper import (
    ClipAction,
    ClipObservation,
    FrameStack,
    NormalizeObservation,
    RescaleAction,
    RescaleObservation,
)

from ._envs import ChoiceEnv

TUPLE = "Tuple(Discrete(3), Box(0.0, 100.0, (2,)))"


@pytest.mark.parametrize(
    "make, message",
    [
        (ClipAction, "ClipAction needs a Box action space, got Discrete(3)"),
        (RescaleAction, "RescaleAction needs a Box action space, got Discrete(3)"),
        (ClipObservation, f"ClipObservation needs a Box observation space, got {TUPLE}"),
        (RescaleObservation, f"RescaleObservation needs a Box observation space, got {TUPLE}"),
        (NormalizeObservation, f"NormalizeObservation needs a Box observation space, got {TUPLE}"),
        (lambda env: FrameStack(env, 2), f"FrameStack needs a Box observation space, got {TUPLE}"),
    ],
)
def test_non_box_space_is_a_clear_error(make, message):
    with pytest.raises(ValueError) as error:
        make(ChoiceEnv())
    assert str(error.value) == message
