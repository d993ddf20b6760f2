"""Advantage estimators and discounted returns for on-policy algorithms."""

from ._discounted_returns import discounted_returns as discounted_returns
from ._gae import GAE as GAE
from .base import AbstractAdvantageEstimator as AbstractAdvantageEstimator
