"""The AbstractQPolicy contract, checked on MLPQPolicy and on a stateful Q policy."""

from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from jaxtyping import Array, Float, Int

from lerax.policy import AbstractPolicyState, AbstractQPolicy, MLPQPolicy
from lerax.space import AbstractSpace, Box, Discrete, MultiBinary, MultiDiscrete

N_ACTIONS = 5
OBS_SIZE = 3


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


class StepCount(AbstractPolicyState):
    count: Int[Array, ""]


@final
class CounterQPolicy(AbstractQPolicy[StepCount, Float[Array, " obs"]]):
    """A stateful Q policy: Q-values favour action `count % n`; each call advances `count`."""

    name: ClassVar[str] = "CounterQPolicy"
    action_space: Discrete
    observation_space: Box
    epsilon: Float[Array, ""]
    weight: Float[Array, "n obs"]

    def __init__(self, env: Any, *, epsilon: float = 0.0, key: Any):
        self.action_space = env.action_space
        self.observation_space = env.observation_space
        self.epsilon = jnp.asarray(epsilon, jnp.float32)
        shape = (env.action_space.n, env.observation_space.flat_size)
        self.weight = 0.1 * jax.random.normal(key, shape)

    def reset(self, *, key: Any) -> StepCount:
        return StepCount(jnp.array(0, jnp.int32))

    def q_values(self, state: StepCount, observation: Any) -> tuple[StepCount, Any]:
        bonus = 10.0 * jax.nn.one_hot(state.count % self.action_space.n, self.action_space.n)
        return StepCount(state.count + 1), self.weight @ observation + bonus


ENV = FakeEnv(Box(-1.0, 1.0, shape=(OBS_SIZE,)), Discrete(N_ACTIONS))
POLICY = MLPQPolicy(ENV, epsilon=0.1, width_size=16, depth=2, key=jax.random.key(0))
OBS = jnp.array([0.3, -0.7, 0.5])


def set_epsilon(policy, epsilon):
    return eqx.tree_at(lambda p: p.epsilon, policy, epsilon)


def masked_argmax(q, mask):
    return int(np.argmax(np.where(mask, np.asarray(q), -np.inf)))


# ---------------------------------------------------------------- construction


@pytest.mark.parametrize(
    "space, name",
    [
        (Box(-1.0, 1.0, shape=(2,)), "Box"),
        (MultiBinary(3), "MultiBinary"),
        (MultiDiscrete([2, 3]), "MultiDiscrete"),
    ],
)
def test_non_discrete_action_space_is_a_value_error_naming_the_space(space, name):
    with pytest.raises(ValueError, match=name):
        MLPQPolicy(FakeEnv(ENV.observation_space, space), key=jax.random.key(0))


def test_bad_hyperparameters_and_env_are_rejected():
    with pytest.raises(ValueError, match="epsilon"):
        MLPQPolicy(ENV, epsilon=1.5, key=jax.random.key(0))
    with pytest.raises(ValueError, match="width_size"):
        MLPQPolicy(ENV, width_size=0, key=jax.random.key(0))
    with pytest.raises(TypeError, match="observation_space"):
        MLPQPolicy(object(), key=jax.random.key(0))


def test_attributes_and_q_values_shape():
    assert POLICY.name == "MLPQPolicy"
    assert POLICY.action_space == Discrete(N_ACTIONS)
    assert POLICY.observation_space == ENV.observation_space
    assert float(POLICY.epsilon) == pytest.approx(0.1)
    assert POLICY.reset(key=jax.random.key(1)) is None
    state, q = POLICY.q_values(None, OBS)
    assert state is None and q.shape == (N_ACTIONS,) and q.dtype == jnp.float32
    assert np.all(np.isfinite(q))
    _, action = POLICY(None, OBS, key=jax.random.key(2))
    assert action.shape == () and action.dtype == jnp.int32
    assert bool(POLICY.action_space.contains(action))


# ---------------------------------------------------------------- epsilon-greedy statistics

NUM_KEYS = 20_000
KEYS = jax.random.split(jax.random.key(1234), NUM_KEYS)


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def counts_unmasked(policy, epsilon, obs, keys):
    policy = set_epsilon(policy, epsilon)
    actions = jax.vmap(lambda k: policy(None, obs, key=k)[1])(keys)
    return jnp.bincount(actions, length=N_ACTIONS)


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def counts_masked(policy, epsilon, obs, mask, keys):
    policy = set_epsilon(policy, epsilon)
    actions = jax.vmap(lambda k: policy(None, obs, action_mask=mask, key=k)[1])(keys)
    return jnp.bincount(actions, length=N_ACTIONS)


def assert_binomial(counts, probs):
    counts = np.asarray(counts)
    assert counts.sum() == NUM_KEYS
    for c, p in zip(counts, probs, strict=True):
        sigma = np.sqrt(NUM_KEYS * p * (1 - p))
        assert abs(c - NUM_KEYS * p) <= 5 * sigma + 1e-9, (counts, probs)


@pytest.mark.parametrize("epsilon", [0.0, 0.3, 1.0])
def test_unmasked_frequencies_are_epsilon_greedy(epsilon):
    greedy = masked_argmax(POLICY.q_values(None, OBS)[1], np.ones(N_ACTIONS, bool))
    counts = counts_unmasked(POLICY, jnp.asarray(epsilon, jnp.float32), OBS, KEYS)
    probs = np.full(N_ACTIONS, epsilon / N_ACTIONS)
    probs[greedy] += 1 - epsilon
    assert_binomial(counts, probs)
    if epsilon == 0.0:
        assert counts[greedy] == NUM_KEYS


@pytest.mark.parametrize("epsilon", [0.0, 0.4, 1.0])
def test_masked_frequencies_are_uniform_over_allowed_actions(epsilon):
    q = POLICY.q_values(None, OBS)[1]
    # Forbid the unmasked best action and one more, so masking changes the greedy choice.
    order = np.argsort(np.asarray(q))
    mask = np.ones(N_ACTIONS, bool)
    mask[order[-1]] = mask[order[0]] = False
    greedy = masked_argmax(q, mask)
    assert greedy == order[-2]
    counts = counts_masked(POLICY, jnp.asarray(epsilon, jnp.float32), OBS, jnp.asarray(mask), KEYS)
    allowed = mask.sum()
    probs = np.where(mask, epsilon / allowed, 0.0)
    probs[greedy] += 1 - epsilon
    assert_binomial(counts, probs)
    assert np.all(np.asarray(counts)[~mask] == 0)


# ---------------------------------------------------------------- masks (property test)

PROPERTY_KEYS = 64


@eqx.filter_jit
@eqx.debug.assert_max_traces(max_traces=1)
def act_many(policy, epsilon, obs, mask, seed):
    policy = set_epsilon(policy, epsilon)
    keys = jax.random.split(jax.random.key(seed), PROPERTY_KEYS)
    actions = jax.vmap(lambda k: policy(None, obs, action_mask=mask, key=k)[1])(keys)
    greedy = policy(None, obs, action_mask=mask)[1]
    return actions, greedy, policy.q_values(None, obs)[1]


masks = st.lists(st.booleans(), min_size=N_ACTIONS, max_size=N_ACTIONS).filter(any)
observations = st.lists(
    st.floats(-1, 1, allow_nan=False, width=32), min_size=OBS_SIZE, max_size=OBS_SIZE
)


@settings(max_examples=60, deadline=None)
@given(masks, st.floats(0, 1, width=32), observations, st.integers(0, 2**31 - 1))
def test_masked_actions_are_never_chosen_and_greedy_is_masked_argmax(mask, epsilon, obs, seed):
    mask = np.array(mask)
    actions, greedy, q = act_many(
        POLICY,
        jnp.float32(epsilon),
        jnp.array(obs, jnp.float32),
        jnp.asarray(mask),
        jnp.int32(seed),
    )
    actions = np.asarray(actions)
    assert np.all(mask[actions]), (mask, actions)
    assert int(greedy) == masked_argmax(q, mask)
    if epsilon == 0.0:
        assert np.all(actions == int(greedy))


def test_greedy_without_key_is_argmax_of_q_values():
    obs = jax.random.uniform(jax.random.key(5), (3, OBS_SIZE), minval=-1, maxval=1)
    for o in obs:
        _, a = POLICY(None, o)
        assert int(a) == int(jnp.argmax(POLICY.q_values(None, o)[1]))


def test_bad_mask_shape_is_a_value_error():
    with pytest.raises(ValueError, match="action_mask"):
        POLICY(None, OBS, action_mask=jnp.ones(N_ACTIONS + 1, bool), key=jax.random.key(0))


# ---------------------------------------------------------------- jax.jit with epsilon traced

PARAMS, STATIC = eqx.partition(POLICY, eqx.is_array)


@jax.jit
@eqx.debug.assert_max_traces(max_traces=1)
def jit_act(params, epsilon, obs, mask, key):
    policy = set_epsilon(eqx.combine(params, STATIC), epsilon)
    return policy(None, obs, action_mask=mask, key=key)[1]


def test_all_false_mask_raises_eagerly():
    none = jnp.zeros(N_ACTIONS, bool)
    with pytest.raises(eqx.EquinoxRuntimeError, match="allows no action"):
        POLICY(None, OBS, action_mask=none, key=jax.random.key(0))
    with pytest.raises(eqx.EquinoxRuntimeError, match="allows no action"):
        POLICY(None, OBS, action_mask=none)


def test_jax_jit_with_traced_epsilon_compiles_once_and_all_false_mask_raises():
    mask = jnp.array([True, False, True, True, False])
    keys = jax.random.split(jax.random.key(7), 4)
    for epsilon in [0.0, 0.25, 0.5, 1.0]:
        for k in keys:
            a = jit_act(PARAMS, jnp.float32(epsilon), OBS, mask, k)
            assert bool(mask[a])
            # The jitted action equals the eager one for the same key.
            assert int(a) == int(
                set_epsilon(POLICY, epsilon)(None, OBS, action_mask=mask, key=k)[1]
            )
    # Under plain jax.jit, JAX re-raises the callback's error as its own runtime error type
    # (which one depends on the dispatch path); the message is Equinox's.
    with pytest.raises(Exception, match="allows no action"):
        jax.block_until_ready(
            jit_act(PARAMS, jnp.float32(0.5), OBS, jnp.zeros(N_ACTIONS, bool), keys[0])
        )


def test_filter_jit_all_false_mask_raises():
    with pytest.raises(eqx.EquinoxRuntimeError, match="allows no action"):
        jax.block_until_ready(
            act_many(POLICY, jnp.float32(0.2), OBS, jnp.zeros(N_ACTIONS, bool), jnp.int32(0))
        )


# ---------------------------------------------------------------- vmap, grad, state

COUNTER_ENV = FakeEnv(Box(-1.0, 1.0, shape=(2,)), Discrete(3))
COUNTER = CounterQPolicy(COUNTER_ENV, epsilon=0.5, key=jax.random.key(3))


@eqx.filter_jit
def call(policy, state, obs, key):
    return policy(state, obs, key=key)


def test_vmap_over_observations_states_and_keys_matches_a_loop():
    batch = 6
    obs = jax.random.uniform(jax.random.key(8), (batch, 2), minval=-1, maxval=1)
    states = StepCount(jnp.arange(batch, dtype=jnp.int32))
    keys = jax.random.split(jax.random.key(9), batch)
    out_states, actions = eqx.filter_jit(eqx.filter_vmap(call, in_axes=(None, 0, 0, 0)))(
        COUNTER, states, obs, keys
    )
    assert len(set(np.asarray(actions).tolist())) > 1
    for i in range(batch):
        s, a = call(COUNTER, StepCount(states.count[i]), obs[i], keys[i])
        assert int(a) == int(actions[i])
        assert int(s.count) == int(out_states.count[i]) == i + 1
    # Stateless MLP policy: state None is broadcast.
    mlp_obs = jax.random.uniform(jax.random.key(10), (batch, OBS_SIZE), minval=-1, maxval=1)
    _, mlp_actions = eqx.filter_jit(eqx.filter_vmap(call, in_axes=(None, None, 0, 0)))(
        POLICY, None, mlp_obs, keys
    )
    for i in range(batch):
        assert int(mlp_actions[i]) == int(call(POLICY, None, mlp_obs[i], keys[i])[1])


def test_stateful_policy_threads_its_state_through_call():
    greedy = set_epsilon(COUNTER, 0.0)
    state = greedy.reset(key=jax.random.key(0))
    assert int(state.count) == 0

    def step(s, k):
        s, a = greedy(s, jnp.array([0.5, -0.5]), key=k)
        return s, a

    final, actions = jax.lax.scan(step, state, jax.random.split(jax.random.key(1), 7))
    assert int(final.count) == 7
    np.testing.assert_array_equal(actions, np.arange(7) % 3)
    # Without a key the state is threaded the same way.
    s, a = greedy(StepCount(jnp.array(4, jnp.int32)), jnp.zeros(2))
    assert int(s.count) == 5 and int(a) == 1


def test_q_values_are_differentiable():
    obs = jax.random.uniform(jax.random.key(11), (16, OBS_SIZE), minval=-1, maxval=1)
    actions = jnp.arange(16) % N_ACTIONS
    targets = jnp.linspace(-1.0, 1.0, 16)

    @eqx.filter_jit
    @eqx.filter_grad
    def grad(policy):
        q = jax.vmap(lambda o: policy.q_values(None, o)[1])(obs)
        chosen = jnp.take_along_axis(q, actions[:, None], axis=1)[:, 0]
        return jnp.mean((chosen - targets) ** 2)

    g = grad(POLICY)
    grads = jax.tree.leaves(eqx.filter(g, eqx.is_inexact_array))
    net_grads = jax.tree.leaves(eqx.filter(g.q_network, eqx.is_inexact_array))
    assert grads and all(bool(jnp.all(jnp.isfinite(g))) for g in grads)
    assert all(float(jnp.linalg.norm(g)) > 0 for g in net_grads)
