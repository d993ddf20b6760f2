import time

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from lerax.buffer import ReplayBuffer, Transition
from lerax.space import Box, Dict, Discrete

OBS = Box(-1.0, 1.0, shape=(2,))
ACT = Discrete(3)
SIZE = 5


def transition(i, n=None):
    """A transition whose every field encodes the integer id `i` (batched when n is given)."""
    ids = jnp.asarray(i, jnp.float32) if n is None else jnp.arange(i, i + n, dtype=jnp.float32)
    return dict(
        observation=jnp.stack([ids, -ids], axis=-1),
        action=ids.astype(jnp.int32) % 3,
        reward=ids,
        next_observation=jnp.stack([ids + 0.5, ids], axis=-1),
        done=(ids % 2 == 0) & (ids % 3 != 0),  # never both: a cut-off step is not terminal
        timeout=ids % 3 == 0,
    )


@pytest.fixture(scope="module")
def add():
    @eqx.filter_jit
    @eqx.debug.assert_max_traces(max_traces=2)  # single and batch-of-3 adds
    def add(buffer, t):
        return buffer.add(**t)

    return add


def test_preallocated_from_spaces():
    space = Dict({"pos": Box(-1.0, 1.0, shape=(3,)), "id": Discrete(4)})
    buffer = ReplayBuffer(7, space, Box(-1.0, 1.0, shape=(2,)), None, action_mask=jnp.ones(2, bool))
    t = buffer.transitions
    assert t.observation["pos"].shape == (7, 3) and t.observation["pos"].dtype == jnp.float32
    assert t.observation["id"].shape == (7,) and t.observation["id"].dtype == jnp.int32
    assert t.action.shape == (7, 2) and t.reward.shape == (7,) and t.terminal.dtype == jnp.bool_
    assert t.next_action_mask.shape == (7, 2) and t.state is None
    assert int(buffer.current_size) == 0


def test_ring_wraparound_matches_reference(add):
    buffer = ReplayBuffer(SIZE, OBS, ACT, None)
    reference = []
    for i in range(8):
        buffer = add(buffer, transition(i))
        reference = (reference + [i])[-SIZE:]
        assert int(buffer.current_size) == min(i + 1, SIZE)
    # slot k holds the newest transition written there: ids 5, 6, 7, 3, 4
    np.testing.assert_array_equal(buffer.transitions.reward, [5, 6, 7, 3, 4])
    assert sorted(np.asarray(buffer.transitions.reward).tolist()) == reference
    np.testing.assert_array_equal(buffer.transitions.observation[:, 1], -buffer.transitions.reward)
    np.testing.assert_array_equal(buffer.transitions.action, np.array([5, 6, 7, 3, 4]) % 3)
    ids = np.array([5, 6, 7, 3, 4])
    np.testing.assert_array_equal(buffer.transitions.terminal, (ids % 2 == 0) & (ids % 3 != 0))
    assert int(buffer.position) == 8 % SIZE


def test_batch_add_wraps(add):
    buffer = ReplayBuffer(SIZE, OBS, ACT, None)
    buffer = add(buffer, transition(0, n=3))
    assert int(buffer.current_size) == 3
    buffer = add(buffer, transition(3, n=3))  # slots 3, 4, 0
    np.testing.assert_array_equal(buffer.transitions.reward, [5, 1, 2, 3, 4])
    np.testing.assert_array_equal(
        buffer.transitions.next_observation[:, 0], [5.5, 1.5, 2.5, 3.5, 4.5]
    )
    assert int(buffer.current_size) == SIZE and int(buffer.position) == 1


def test_sample_only_filled_slots(add):
    buffer = ReplayBuffer(SIZE, OBS, ACT, None)
    buffer = add(buffer, transition(10))
    buffer = add(buffer, transition(11))
    sample = eqx.filter_jit(lambda b, k: b.sample(4, key=k))
    seen = np.concatenate([np.asarray(sample(buffer, jax.random.key(s)).reward) for s in range(50)])
    assert set(seen.tolist()) == {10.0, 11.0}  # never an empty (zero) slot
    assert 0.35 < np.mean(seen == 10.0) < 0.65  # roughly uniform
    batch = sample(buffer, jax.random.key(0))
    assert isinstance(batch, Transition) and batch.observation.shape == (4, 2)
    np.testing.assert_array_equal(batch.observation[:, 1], -batch.reward)  # fields stay aligned


def test_add_under_vmap():
    buffers = eqx.filter_vmap(lambda _: ReplayBuffer(SIZE, OBS, ACT, None))(jnp.arange(2))
    ts = jax.tree.map(lambda *x: jnp.stack(x), transition(1), transition(2))
    for _ in range(2):  # second round lands in slot 1
        buffers = eqx.filter_vmap(lambda b, t: b.add(**t))(buffers, ts)
    np.testing.assert_array_equal(buffers.transitions.reward[:, :3], [[1, 1, 0], [2, 2, 0]])
    np.testing.assert_array_equal(buffers.count, [2, 2])


def test_state_and_action_masks_are_stored():
    state = {"h": jnp.zeros(3)}
    buffer = ReplayBuffer(4, OBS, ACT, state, action_mask=jnp.ones(3, bool))
    mask = jnp.array([True, False, True])
    add = eqx.filter_jit(
        lambda b, t, s, m: b.add(
            **t, state=s, next_state={"h": s["h"] + 1}, next_action_mask=m, action_mask=~m
        )
    )
    buffer = add(buffer, transition(1), {"h": jnp.full(3, 2.0)}, mask)
    np.testing.assert_array_equal(buffer.transitions.state["h"][0], [2, 2, 2])
    np.testing.assert_array_equal(buffer.transitions.next_state["h"][0], [3, 3, 3])
    np.testing.assert_array_equal(buffer.transitions.next_action_mask[0], mask)
    np.testing.assert_array_equal(buffer.transitions.action_mask[0], ~mask)
    with pytest.raises(ValueError, match="structure"):
        buffer.add(**transition(1))  # state and mask are missing
    with pytest.raises(ValueError, match="next_state"):
        buffer.add(**transition(1), state=state, action_mask=mask, next_action_mask=mask)


def test_errors():
    with pytest.raises(ValueError, match="size must be >= 1"):
        ReplayBuffer(0, OBS, ACT, None)
    with pytest.raises(TypeError, match="size"):
        ReplayBuffer(2.5, OBS, ACT, None)
    buffer = ReplayBuffer(SIZE, OBS, ACT, None)
    with pytest.raises(ValueError, match="batch_size"):
        buffer.sample(SIZE + 1, key=jax.random.key(0))
    with pytest.raises(ValueError, match="batch_size"):
        buffer.sample(0, key=jax.random.key(0))
    bad = transition(0) | {"observation": jnp.zeros(3)}
    with pytest.raises(ValueError, match=r"observation must have shape \(2,\)"):
        buffer.add(**bad)
    with pytest.raises(ValueError, match="between 1 and size"):
        buffer.add(**transition(0, n=SIZE + 1))


def test_add_is_in_place_on_a_large_buffer():
    """5000 adds to a 100k x 4 buffer cost little more than 10: no per-add copy of the buffer."""
    space = Box(-1.0, 1.0, shape=(4,))

    @eqx.filter_jit
    def fill(buffer, num_adds):
        def body(i, b):
            x = jnp.full((4,), i, jnp.float32)
            return b.add(x, x, x, i.astype(jnp.float32), False, False)

        return jax.lax.fori_loop(0, num_adds, body, buffer)  # one compile for any count

    buffer = ReplayBuffer(100_000, space, space, None)
    out = fill(buffer, jnp.array(5000))
    assert float(out.transitions.reward[4999]) == 4999.0 and int(out.current_size) == 5000

    def best_time(num_adds):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            jax.block_until_ready(fill(buffer, jnp.array(num_adds)))
            times.append(time.perf_counter() - start)
        return min(times)

    few, many = best_time(10), best_time(5000)
    # Copying the 1.6 MB arrays on every add would make `many` ~500x `few`; in place it is ~2x.
    assert many < 10 * few + 0.05, (few, many)


def test_batches_of_one_equal_single_adds_around_the_ring():
    single = ReplayBuffer(3, OBS, ACT, None)
    batched = ReplayBuffer(3, OBS, ACT, None)
    for i in range(5):  # wraps around twice
        single = single.add(**transition(i))
        batched = batched.add(**transition(i, n=1))
    for a, b in zip(jax.tree.leaves(single), jax.tree.leaves(batched), strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(batched.transitions.reward, [3, 4, 2])
    assert int(batched.position) == 2 and int(batched.count) == 3


def test_documented_positional_order_round_trips():
    """add(observation, next_observation, action, reward, done, timeout, state, next_state,
    action_mask): sampling a one-transition buffer returns exactly what was added."""
    state = {"h": jnp.zeros(2, jnp.int32)}
    buffer = ReplayBuffer(4, OBS, ACT, state, action_mask=jnp.ones(3, bool))
    obs, next_obs = jnp.array([0.25, -0.5]), jnp.array([0.75, 1.0])
    mask, next_mask = jnp.array([True, False, True]), jnp.array([False, True, True])
    buffer = buffer.add(
        obs,
        next_obs,
        jnp.array(2, jnp.int32),
        jnp.array(1.5),
        jnp.array(True),
        jnp.array(False),
        {"h": jnp.array([1, 2], jnp.int32)},
        {"h": jnp.array([3, 4], jnp.int32)},
        mask,
        next_action_mask=next_mask,
    )
    batch = buffer.sample(3, key=jax.random.key(0))
    assert isinstance(batch, Transition) and int(buffer.current_size) == 1
    np.testing.assert_array_equal(batch.observation, np.tile([0.25, -0.5], (3, 1)))
    np.testing.assert_array_equal(batch.next_observation, np.tile([0.75, 1.0], (3, 1)))
    np.testing.assert_array_equal(batch.action, [2, 2, 2])
    np.testing.assert_array_equal(batch.reward, [1.5, 1.5, 1.5])
    np.testing.assert_array_equal(batch.terminal, [True] * 3)  # `done` is the terminal flag
    np.testing.assert_array_equal(batch.truncation, [False] * 3)  # `timeout` the truncation
    np.testing.assert_array_equal(batch.state["h"], np.tile([1, 2], (3, 1)))
    np.testing.assert_array_equal(batch.next_state["h"], np.tile([3, 4], (3, 1)))
    np.testing.assert_array_equal(batch.action_mask, np.tile(mask, (3, 1)))
    np.testing.assert_array_equal(batch.next_action_mask, np.tile(next_mask, (3, 1)))


def test_documented_keyword_names():
    buffer = ReplayBuffer(SIZE, OBS, ACT, None)
    buffer = buffer.add(
        observation=jnp.array([0.1, 0.2]),
        next_observation=jnp.array([0.3, 0.4]),
        action=jnp.array(1),
        reward=-2.0,
        done=False,
        timeout=True,
        state=None,
        next_state=None,
    )
    t = jax.tree.map(lambda x: x[0], buffer.transitions)
    np.testing.assert_allclose(t.observation, [0.1, 0.2])
    np.testing.assert_allclose(t.next_observation, [0.3, 0.4])
    assert int(t.action) == 1 and float(t.reward) == -2.0
    assert not bool(t.terminal) and bool(t.truncation)
    assert t.state is None and t.next_state is None


def test_helpers_see_every_slot(add):
    buffer = ReplayBuffer(SIZE, OBS, ACT, None)
    for i in range(SIZE):
        buffer = add(buffer, transition(10 + i))
    assert buffer.shape == (SIZE,) and buffer.resolve_axes(-1) == (0,)
    rows = buffer.gather(jnp.array([[4, 0], [2, 2]]))
    assert isinstance(rows, Transition) and rows.observation.shape == (2, 2, 2)
    np.testing.assert_array_equal(rows.reward, [[14, 10], [12, 12]])
    np.testing.assert_array_equal(rows.observation[..., 1], -rows.reward)
    batches = buffer.batches(2, key=jax.random.key(1))  # 5 slots: 2 batches, 1 left out
    assert batches.reward.shape == (2, 2) and len(set(np.asarray(batches.reward).ravel())) == 4
    np.testing.assert_array_equal(buffer.flatten_axes(0).reward, buffer.transitions.reward)


def test_documented_conventions_for_done_and_sample_names():
    """`done` may include truncations (timeout set): only true terminals stop bootstrapping;
    a sample answers to the documented plural names."""
    import jax
    import jax.numpy as jnp

    from lerax.buffer import ReplayBuffer
    from lerax.space import Box, Discrete

    buffer = ReplayBuffer(64, Box(-1.0, 1.0, shape=(1,)), Discrete(2), None)
    obs = jnp.zeros(1)
    buffer = buffer.add(obs, obs + 1, 0, 1.0, True, True, None, None)  # cut off, SB3-style
    buffer = buffer.add(obs, obs + 2, 1, 2.0, True, False, None, None)  # a true terminal
    t = buffer.sample(64, key=jax.random.key(0))
    truncated = t.rewards == 1.0
    assert bool(jnp.any(truncated)) and bool(jnp.any(~truncated))
    assert not bool(jnp.any(t.dones & truncated)) and bool(jnp.all(t.dones[~truncated]))
    assert bool(jnp.all(t.timeouts == truncated))
    assert t.observations.shape == (64, 1) and t.actions.shape == (64,)
    assert bool(jnp.all(t.next_observations[:, 0] == t.rewards))
    assert t.states is None and t.next_states is None
