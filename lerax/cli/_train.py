"""`lerax train`: train several seeds in one compiled call and save the policies."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

import equinox as eqx
import jax
from rich.console import Console

from ..callback import ProgressBarCallback
from ._evaluation import greedy_return
from ._files import policy_paths, write_sidecar
from ._overrides import OverrideError, parse_overrides
from ._presets import has_preset, preset
from ._registry import ALGORITHMS


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "train",
        help="train a policy (several seeds at once) and save it",
        description=(
            "Train with lerax's tuned defaults for the environment, all seeds vmapped in one "
            "compiled call; save each seed's policy (.eqx) with a JSON sidecar and print its "
            "greedy mean return."
        ),
    )
    parser.add_argument(
        "--algo", default="dqn", choices=sorted(ALGORITHMS), help="algorithm (default: dqn)"
    )
    parser.add_argument(
        "--env", default="CartPole-v1", help="environment id (default: CartPole-v1)"
    )
    parser.add_argument(
        "--timesteps", type=int, default=None, help="environment steps per seed (default: 50000)"
    )
    parser.add_argument(
        "--seeds", type=int, default=1, help="number of seeds trained together (default: 1)"
    )
    parser.add_argument("--seed", type=int, default=0, help="base random seed (default: 0)")
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a hyperparameter, e.g. --set learning_rate=3e-4 (repeatable)",
    )
    parser.add_argument(
        "--out",
        default=None,
        help="policy file; PATH_seed{i}.eqx for several seeds (default: ALGO-ENV.eqx)",
    )
    parser.add_argument(
        "--eval-episodes", type=int, default=10, help="greedy evaluation episodes (default: 10)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)
    return parser


def run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from ..env import make

    timesteps = 50_000 if args.timesteps is None else args.timesteps
    for name, value in (
        ("--timesteps", timesteps),
        ("--seeds", args.seeds),
        ("--eval-episodes", args.eval_episodes),
    ):
        if value < 1:
            parser.error(f"{name} must be at least 1, got {value}")
    spec = ALGORITHMS[args.algo]
    try:
        env = make(args.env)
        algo_kwargs, policy_kwargs = preset(args.algo, args.env, timesteps)
        algo_overrides, policy_overrides = parse_overrides(args.overrides, spec, args.algo)
        algo_kwargs.update(algo_overrides)
        policy_kwargs.update(policy_overrides)
        algo = spec.algorithm(**algo_kwargs)
        policy = spec.policy(env, **policy_kwargs, key=jax.random.key(0))
        algo.check(env, policy)
        algo.num_iterations(timesteps)
    except (OverrideError, ValueError, TypeError) as e:
        parser.error(str(e))
    if not has_preset(args.algo, args.env):
        print(
            f"note: no tuned preset for {args.algo} on {args.env}; using the algorithm's defaults"
        )

    init_key, train_key, eval_key = jax.random.split(jax.random.key(args.seed), 3)
    callback = None if args.no_progress else ProgressBarCallback(console=Console(stderr=True))

    def train_one(init: Any, key: Any) -> Any:
        policy = spec.policy(env, **policy_kwargs, key=init)
        return algo.learn(env, policy, timesteps, key=key, callback=callback)

    policies = eqx.filter_vmap(train_one)(
        jax.random.split(init_key, args.seeds), jax.random.split(train_key, args.seeds)
    )
    out = args.out if args.out is not None else f"{args.algo}-{args.env}.eqx"
    hyperparameters = {
        f.name: getattr(algo, f.name)
        for f in dataclasses.fields(algo)
        if isinstance(getattr(algo, f.name), bool | int | float | str)
    }
    eval_seeds = jax.random.randint(eval_key, (args.seeds,), 0, 2**31 - 1)
    for i, path in enumerate(policy_paths(out, args.seeds)):
        policy = _select(policies, i)
        path = policy.serialize(path)
        eval_seed = int(eval_seeds[i])
        mean = greedy_return(env, policy, episodes=args.eval_episodes, seed=eval_seed)
        write_sidecar(
            path,
            dict(
                env_id=args.env,
                algorithm=args.algo,
                policy_class=spec.policy.__name__,
                policy_kwargs=policy_kwargs,
                hyperparameters=hyperparameters,
                timesteps=timesteps,
                seed=args.seed,
                seed_index=i,
                greedy_mean_return=mean,
                eval_episodes=args.eval_episodes,
                eval_seed=eval_seed,
            ),
        )
        print(
            f"seed {i}: greedy mean return {mean:.2f} over {args.eval_episodes} episodes -> {path}"
        )
    return 0


def _select(tree: Any, i: int) -> Any:
    """Element `i` of a pytree whose array leaves all have a leading seed axis."""
    arrays, static = eqx.partition(tree, eqx.is_array)
    return eqx.combine(jax.tree.map(lambda x: x[i], arrays), static)
