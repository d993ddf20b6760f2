"""Advantage estimators and discounted returns for on-policy algorithms."""

from ._bootstrapped_return import BootstrappedReturn as BootstrappedReturn
from ._discounted_returns import discounted_returns as discounted_returns
from ._gae import GAE as GAE
from ._n_step_return import NStepReturn as NStepReturn
from .base import AbstractAdvantageEstimator as AbstractAdvantageEstimator
