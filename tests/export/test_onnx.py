"""`lerax.export.to_onnx` and `lerax export`: onnxruntime gives the actions JAX gives."""

import os
import sys
from collections.abc import Callable
from typing import Any, ClassVar, final

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from lerax.cli import main
from lerax.cli._files import write_sidecar
from lerax.env import make
from lerax.export import to_onnx
from lerax.policy import (
    AbstractPolicy,
    MLPActorCriticPolicy,
    MLPDeterministicPolicy,
    MLPDiscreteSACPolicy,
    MLPQPolicy,
    MLPSACPolicy,
)
from lerax.space import AbstractSpace, Box, Discrete

SMALL = {
    MLPQPolicy: dict(width_size=32, depth=2),
    MLPActorCriticPolicy: dict(
        feature_size=8, feature_width=32, value_width=16, action_width=32, log_std_init=-0.5
    ),
    MLPDeterministicPolicy: dict(width_size=32, depth=2),
    MLPSACPolicy: dict(feature_size=16, width_size=32, depth=2),
    MLPDiscreteSACPolicy: dict(width_size=32, depth=2),
}
FAMILIES = [
    (MLPQPolicy, "CartPole-v1"),
    (MLPActorCriticPolicy, "CartPole-v1"),
    (MLPActorCriticPolicy, "Pendulum-v1"),
    (MLPDeterministicPolicy, "Pendulum-v1"),
    (MLPSACPolicy, "Pendulum-v1"),
    (MLPDiscreteSACPolicy, "CartPole-v1"),
]
IDS = [f"{cls.__name__}-{env_id}" for cls, env_id in FAMILIES]


class FakeEnv(eqx.Module):
    observation_space: AbstractSpace
    action_space: AbstractSpace


def build(cls: Any, env: Any, seed: int = 0, **kwargs: Any) -> Any:
    return cls(env, **{**SMALL[cls], **kwargs}, key=jax.random.key(seed))


def jax_actions(policy: Any, observations: np.ndarray) -> np.ndarray:
    return np.asarray(
        eqx.filter_jit(
            jax.vmap(lambda p, o: p(p.reset(key=jax.random.key(5)), o)[1], in_axes=(None, 0))
        )(policy, jnp.asarray(observations))
    )


def onnx_actions(model: onnx.ModelProto | str, observations: np.ndarray) -> np.ndarray:
    source = model if isinstance(model, str) else model.SerializeToString()
    session = ort.InferenceSession(source, providers=["CPUExecutionProvider"])
    return np.asarray(session.run(["action"], {"observation": observations})[0])


def observations(space: Any, seed: int) -> np.ndarray:
    """256 samples of the space, then 64 far outside any bounds (entries up to about 1e3)."""
    keys = jax.random.split(jax.random.key(seed), 256)
    inside = np.asarray(jax.vmap(lambda k: space.sample(key=k))(keys))
    rng = np.random.default_rng(seed)
    scale = 10.0 ** rng.integers(1, 4, size=(64, *[1] * len(space.shape)))
    far = rng.standard_normal((64, *space.shape)) * scale
    return np.concatenate([inside, far]).astype(np.float32)


def assert_same_actions(ours: np.ndarray, expected: np.ndarray, obs: np.ndarray) -> None:
    """Integer actions equal; Box actions within 1e-5 (absolute plus relative), loosened in
    proportion to the largest observation entry beyond 10: both sides round float32
    pre-activations of that size, summed in different orders by XLA's and onnxruntime's
    kernels."""
    assert ours.shape == expected.shape
    if np.issubdtype(expected.dtype, np.integer):
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours, expected)
        return
    assert ours.dtype == np.float32
    magnitude = np.abs(obs).reshape(len(obs), -1).max(axis=1)
    tolerance = 1e-5 * np.maximum(1.0, magnitude / 10.0)
    error = np.abs(ours - expected).reshape(len(obs), -1).max(axis=1)
    scale = np.abs(expected).reshape(len(obs), -1).max(axis=1)
    bad = error > tolerance * (1.0 + scale)
    assert not bad.any(), (
        f"{bad.sum()} rows differ: worst {error[bad].max():.3g} at |obs| {magnitude[bad]}"
    )


@pytest.fixture(scope="module", params=FAMILIES, ids=IDS)
def exported(request):
    cls, env_id = request.param
    env = make(env_id)
    policy = build(cls, env)
    return env, policy, to_onnx(policy)


def test_onnxruntime_matches_jax(exported):
    env, policy, model = exported
    obs = observations(env.observation_space, seed=1)
    assert_same_actions(onnx_actions(model, obs), jax_actions(policy, obs), obs)


@pytest.mark.parametrize("batch", [1, 37])
def test_any_batch_size(exported, batch):
    env, policy, model = exported
    obs = observations(env.observation_space, seed=batch)[:: 320 // batch][:batch]
    ours = onnx_actions(model, obs)
    assert ours.shape[0] == batch
    assert_same_actions(ours, jax_actions(policy, obs), obs)


def test_model_interface(exported):
    env, policy, model = exported
    (graph_input,), (graph_output,) = model.graph.input, model.graph.output
    assert graph_input.name == "observation"
    assert graph_input.type.tensor_type.elem_type == onnx.TensorProto.FLOAT
    dims = graph_input.type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch"
    assert [d.dim_value for d in dims[1:]] == list(env.observation_space.shape)
    assert graph_output.name == "action"
    assert graph_output.type.tensor_type.shape.dim[0].dim_param == "batch"
    assert model.opset_import[0].version == 21
    assert model.graph.name == "lerax_policy"
    props = {p.key: p.value for p in model.metadata_props}
    assert props["lerax.policy"].endswith(type(policy).__name__)
    # Only what the action needs is exported: never the value head of an actor-critic.
    exported_size = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    policy_size = sum(x.size for x in jax.tree.leaves(eqx.filter(policy, eqx.is_inexact_array)))
    if isinstance(policy, MLPActorCriticPolicy):
        assert exported_size < policy_size


def test_box_action_shapes_and_bounds():
    env = FakeEnv(Box(-1.0, 1.0, (2, 3)), Box(np.full((2, 2), -2.0), np.full((2, 2), 3.0)))
    obs = observations(env.observation_space, seed=3)
    for cls in (MLPActorCriticPolicy, MLPDeterministicPolicy, MLPSACPolicy):
        policy = (
            build(cls, env, log_std_init=0.0) if cls is MLPActorCriticPolicy else build(cls, env)
        )
        ours = onnx_actions(to_onnx(policy, opset=18), obs)
        assert ours.shape == (len(obs), 2, 2)
        assert_same_actions(ours, jax_actions(policy, obs), obs)
        assert (ours >= -2.0).all() and (ours <= 3.0).all()


def test_a_gsde_actor_exports_its_deterministic_action():
    """gSDE keeps its exploration in the policy state, which the greedy action never reads."""
    env = make("Pendulum-v1")
    policy = build(MLPSACPolicy, env, use_sde=True, log_std_init=-1.0, sde_sample_freq=4)
    assert policy.reset(key=jax.random.key(0)) is not None
    obs = observations(env.observation_space, seed=6)
    model = to_onnx(policy)
    assert_same_actions(onnx_actions(model, obs), jax_actions(policy, obs), obs)
    ops = {node.op_type for node in model.graph.node}
    assert not ops & {"RandomNormal", "RandomNormalLike", "RandomUniform"}


@pytest.mark.parametrize(
    "activation",
    [jnp.tanh, jax.nn.gelu, jax.nn.silu, jax.nn.softplus, jax.nn.elu, jax.nn.leaky_relu],
    ids=["tanh", "gelu", "silu", "softplus", "elu", "leaky_relu"],
)
def test_activations(activation):
    env = make("Pendulum-v1")
    policy = build(MLPDeterministicPolicy, env, activation=activation)
    obs = observations(env.observation_space, seed=4)
    assert_same_actions(onnx_actions(to_onnx(policy), obs), jax_actions(policy, obs), obs)


def test_output_path_writes_a_loadable_file(tmp_path):
    env = make("CartPole-v1")
    policy = build(MLPQPolicy, env)
    path = tmp_path / "nested" / "cartpole.onnx"
    model = to_onnx(policy, output_path=path, model_name="cartpole")
    assert os.listdir(path.parent) == ["cartpole.onnx"]  # no temporary file left behind
    loaded = onnx.load(str(path))
    onnx.checker.check_model(loaded, full_check=True)
    assert loaded.graph.name == "cartpole"
    assert loaded.SerializeToString() == model.SerializeToString()
    obs = observations(env.observation_space, seed=5)
    assert_same_actions(onnx_actions(str(path), obs), jax_actions(policy, obs), obs)


@final
class FunctionPolicy(AbstractPolicy[None, Any, Any, None]):
    """Acts with `function(observation)`: a probe for the primitive translations."""

    name: ClassVar[str] = "FunctionPolicy"
    action_space: Box
    observation_space: Box
    function: Callable[[Any], Any] = eqx.field(static=True)

    def reset(self, *, key: Any) -> None:
        return None

    def __call__(self, state, observation, *, action_mask=None, key=None):
        return state, self.function(observation)


PROBES = {
    "rev-slice-pad-concatenate": lambda x: jnp.concatenate(
        [x[::-1], x[1:], jnp.pad(x, (1, 2), constant_values=0.5)]
    ),
    "split-stack-sum": lambda x: jnp.stack(jnp.split(jnp.concatenate([x, 2 * x]), 2)).sum(0),
    "powers-roots": lambda x: (
        x**3 - x**-2 + jnp.sqrt(jnp.abs(x)) + jax.lax.rsqrt(1 + x * x) + jnp.sign(x) + x**0
    ),
    "where-rounding-rem": lambda x: (
        jnp.where(x > 0, jnp.floor(x), jnp.ceil(x)) + jnp.round(x) + jnp.fmod(x, 0.7)
    ),
    "iota-reductions": lambda x: (
        jnp.arange(3.0) * x + jnp.argmin(x) + jnp.max(x) * jnp.min(x) + jnp.prod(x)
    ),
    "batched-dot-general": lambda x: jnp.outer(x, x) @ x + jnp.einsum("i,i->", x, x),
    "transcendental": lambda x: (
        jnp.exp2(x)
        + jnp.log1p(jnp.abs(x))
        + jnp.expm1(-jnp.abs(x))
        + jnp.sin(x) * jnp.cos(x)
        + jnp.arctan(x)
        + jax.nn.sigmoid(x)
        + jax.scipy.special.erf(x)
        + jax.nn.gelu(x, approximate=False)
    ),
    "select-n-integer": lambda x: jax.lax.select_n(
        jnp.argmax(x).astype(jnp.int32), x, 2 * x, 3 * x
    ),
    "integer-action": lambda x: (x > 0).astype(jnp.int32).sum(),
    "reshape-transpose": lambda x: jnp.tile(x, 2).reshape(2, 3).T.ravel(),
    "logical": lambda x: (((x > 0) & (x < 1)) | (~(x > 1.5) ^ (x < -1))).astype(jnp.float32),
    "clamp-finite": lambda x: jnp.where(jnp.isfinite(1 / x), jax.lax.clamp(-0.5, x, 0.5), 0.0),
}


@pytest.mark.parametrize("function", PROBES.values(), ids=PROBES.keys())
def test_primitive_translations(function):
    box = Box(-2.0, 2.0, (3,))
    policy = FunctionPolicy(box, box, function)
    keys = jax.random.split(jax.random.key(8), 256)
    obs = np.asarray(jax.vmap(lambda k: box.sample(key=k))(keys))
    ours, expected = onnx_actions(to_onnx(policy), obs), jax_actions(policy, obs)
    assert ours.shape == expected.shape
    if np.issubdtype(expected.dtype, np.integer):
        assert ours.dtype == np.int64
        np.testing.assert_array_equal(ours, expected)
    else:
        np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-5)


@final
class CumsumPolicy(AbstractPolicy[None, Any, Any, None]):
    name: ClassVar[str] = "CumsumPolicy"
    action_space: Box
    observation_space: Box

    def reset(self, *, key: Any) -> None:
        return None

    def __call__(self, state, observation, *, action_mask=None, key=None):
        return state, jnp.cumsum(observation)


@final
class CountingPolicy(AbstractPolicy[Any, Any, Any, None]):
    name: ClassVar[str] = "CountingPolicy"
    action_space: Box
    observation_space: Box

    def reset(self, *, key: Any) -> Any:
        return jnp.zeros((), jnp.int32)

    def __call__(self, state, observation, *, action_mask=None, key=None):
        return state + 1, observation + state  # the action reads the state


def test_errors(monkeypatch):
    box = Box(-1.0, 1.0, (3,))
    with pytest.raises(TypeError, match="AbstractPolicy"):
        to_onnx(object())  # type: ignore[arg-type]
    with pytest.raises(NotImplementedError, match="'cumsum'"):
        to_onnx(CumsumPolicy(box, box))
    with pytest.raises(ValueError, match="stateful .* its deterministic action reads"):
        to_onnx(CountingPolicy(box, box))
    discrete_obs = build(MLPQPolicy, FakeEnv(Discrete(5), Discrete(2)))
    with pytest.raises(ValueError, match="Box observation space"):
        to_onnx(discrete_obs)
    policy = build(MLPQPolicy, make("CartPole-v1"))
    with pytest.raises(ValueError, match="opset must be an int from 18"):
        to_onnx(policy, opset=17)
    with pytest.raises(ValueError, match="model_name"):
        to_onnx(policy, model_name="")
    monkeypatch.setitem(sys.modules, "onnx", None)  # as if onnx were not installed
    with pytest.raises(ImportError, match=r'pip install "lerax\[onnx\]"'):
        to_onnx(policy)


@pytest.mark.parametrize(
    ("cls", "env_id", "kwargs"),
    [
        (MLPQPolicy, "CartPole-v1", dict(width_size=16, depth=1)),
        (MLPSACPolicy, "Pendulum-v1", dict(feature_size=8, width_size=16, depth=1)),
    ],
    ids=["dqn-cartpole", "sac-pendulum"],
)
def test_cli_export(tmp_path, capsys, cls, env_id, kwargs):
    policy = cls(make(env_id), **kwargs, key=jax.random.key(7))
    path = policy.serialize(tmp_path / "policy.eqx")
    write_sidecar(path, dict(env_id=env_id, policy_class=cls.__name__, policy_kwargs=kwargs))
    out = tmp_path / "policy.onnx"
    assert main(["export", str(path), "--onnx", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    obs = observations(make(env_id).observation_space, seed=6)
    assert_same_actions(onnx_actions(str(out), obs), jax_actions(policy, obs), obs)


def test_cli_export_errors(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(tmp_path / "nowhere.eqx"), "--onnx", str(tmp_path / "x.onnx")])
    assert exit_info.value.code == 2
    assert "no policy file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["export", str(tmp_path / "nowhere.eqx")])
    assert exit_info.value.code == 2
    assert "--onnx" in capsys.readouterr().err
