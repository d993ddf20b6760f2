"""Classic-control environments matching Gymnasium's step by step."""

from ._acrobot import Acrobot as Acrobot, AcrobotState as AcrobotState
from ._cartpole import CartPole as CartPole, CartPoleState as CartPoleState
from ._continuous_mountain_car import (
    ContinuousMountainCar as ContinuousMountainCar,
    ContinuousMountainCarState as ContinuousMountainCarState,
)
from ._mountain_car import MountainCar as MountainCar, MountainCarState as MountainCarState
from ._pendulum import Pendulum as Pendulum, PendulumState as PendulumState
from .base import AbstractClassicControlEnv as AbstractClassicControlEnv
