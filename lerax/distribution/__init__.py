"""Probability distributions for policies, written in pure JAX and Equinox."""

from ._bernoulli import Bernoulli as Bernoulli
from ._bijector import SquashBijector as SquashBijector
from ._categorical import Categorical as Categorical
from ._multi_categorical import MultiCategorical as MultiCategorical
from ._multivariate_normal_diag import MultivariateNormalDiag as MultivariateNormalDiag
from ._normal import Normal as Normal
from ._squashed_multivariate_normal_diag import (
    SquashedMultivariateNormalDiag as SquashedMultivariateNormalDiag,
)
from ._squashed_normal import SquashedNormal as SquashedNormal
from ._squashed_sde_normal import SquashedSDENormal as SquashedSDENormal
from .base import (
    AbstractBijector as AbstractBijector,
    AbstractDistribution as AbstractDistribution,
    AbstractMaskableDistribution as AbstractMaskableDistribution,
    AbstractTransformedDistribution as AbstractTransformedDistribution,
)
