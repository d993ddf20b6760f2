"""ProgressBarCallback: one bar, updated every few iterations, also when vmapped over seeds."""

import io
import re

import equinox as eqx
import jax
import numpy as np
import pytest
from rich.console import Console

from lerax.callback import CallbackList, ConsoleBackend, LoggingCallback, ProgressBarCallback

from .conftest import NUM_ITERATIONS, UPDATE_INTERVAL

BAR = re.compile(r"training .*? (\d+)/(\d+) steps .*?steps/s(?: return (\S+))?")


def _bars(text):
    return [m.groups() for m in BAR.finditer(text)]


def test_single_run_bar(setup, single):
    total = NUM_ITERATIONS * setup.algo.num_envs * setup.algo.num_steps
    bars = _bars(single.bar)
    # A file console (not a terminal) gets the final state of the bar once.
    assert len(bars) == 1
    done, length, ret = bars[0]
    assert int(done) == int(length) == total
    last = single.iterations[-1]["metrics"]["episode_return"]
    assert float(ret) == pytest.approx(last, abs=1e-3)
    assert single.callback.callbacks[1].host.progress is None  # closed at the end


@pytest.fixture(scope="module")
def vmapped(setup):
    bar_file, log_file = io.StringIO(), io.StringIO()
    bar = ProgressBarCallback(
        update_interval=UPDATE_INTERVAL, console=Console(file=bar_file, width=150)
    )
    updates = []
    host = bar.host
    original = host.update
    host.update = lambda *args: (updates.append(args), original(*args))[1]
    callback = CallbackList(
        [bar, LoggingCallback(ConsoleBackend(file=log_file), log_interval=NUM_ITERATIONS)]
    )
    total = NUM_ITERATIONS * setup.algo.num_envs * setup.algo.num_steps

    def learn(key):
        return setup.algo.learn(setup.env, setup.policy, total, key=key, callback=callback)

    policies = eqx.filter_vmap(learn)(jax.random.split(jax.random.key(7), 2))
    jax.block_until_ready(policies)
    jax.effects_barrier()
    return bar_file.getvalue(), log_file.getvalue(), updates, total, host


def test_one_bar_for_many_seeds(vmapped):
    bar_text, log_text, updates, total, host = vmapped
    bars = _bars(bar_text)
    assert len(bars) == 1, bar_text
    done, length, ret = bars[0]
    assert int(done) == int(length) == total  # not 2 * total: the seeds did not double-count
    # Every update arrived once per seed, both seeds at the same step.
    steps = [int(np.asarray(args[0])) for args in updates]
    num_updates = NUM_ITERATIONS // UPDATE_INTERVAL
    per_update = total // num_updates
    assert steps == [k * per_update for k in range(1, num_updates + 1) for _ in range(2)]
    # ... and the two seeds reported different returns (they are distinct runs).
    assert len({float(np.asarray(args[1])) for args in updates}) > 1
    # The bar shows the mean return over the seeds, as logged per seed at the last step.
    lines = [line.split(" | ") for line in log_text.strip().splitlines()]
    assert [line[:2] for line in lines] == [
        [f"step {total}", "seed 0"],
        [f"step {total}", "seed 1"],
    ]
    returns = [
        float(next(p for p in line if p.startswith("episode_return")).split()[1]) for line in lines
    ]
    assert float(ret) == pytest.approx(np.mean(returns), abs=1e-3)
    assert host.progress is None


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="update_interval"):
        ProgressBarCallback(update_interval=0)
    with pytest.raises(ValueError, match="total_timesteps"):
        ProgressBarCallback(total_timesteps=-5)
    assert ProgressBarCallback().interval(10_000) == 100
    assert ProgressBarCallback(update_interval=7).interval(10_000) == 7
