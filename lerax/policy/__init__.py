"""Policies: mappings from observations to actions, serialisable."""

from .actor_critic import (
    AbstractActorCriticPolicy as AbstractActorCriticPolicy,
    AbstractDistributionActorCriticPolicy as AbstractDistributionActorCriticPolicy,
    MLPActorCriticPolicy as MLPActorCriticPolicy,
)
from .base import AbstractPolicy as AbstractPolicy, AbstractPolicyState as AbstractPolicyState
from .deterministic import (
    AbstractDeterministicPolicy as AbstractDeterministicPolicy,
    AbstractNoisyDeterministicPolicy as AbstractNoisyDeterministicPolicy,
    MLPDeterministicPolicy as MLPDeterministicPolicy,
)
from .q import AbstractQPolicy as AbstractQPolicy, MLPQPolicy as MLPQPolicy
from .sac import (
    AbstractDiscreteSACPolicy as AbstractDiscreteSACPolicy,
    AbstractSACPolicy as AbstractSACPolicy,
    MLPDiscreteSACPolicy as MLPDiscreteSACPolicy,
    MLPSACPolicy as MLPSACPolicy,
    SDEState as SDEState,
)
