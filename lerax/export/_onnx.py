"""`to_onnx`: a policy's deterministic action as an ONNX model."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jax
import jax.numpy as jnp
import numpy as np

from ..policy import AbstractPolicy
from ..serialization import describe
from ..space import Box

if TYPE_CHECKING:
    import onnx

MIN_OPSET = 18
"""The oldest ONNX opset `to_onnx` writes (reduction axes became inputs in opset 18)."""

INPUT_NAME = "observation"
OUTPUT_NAME = "action"
BATCH = "batch"
"""Name of the dynamic leading dimension of the model's input and output."""


def to_onnx(
    policy: AbstractPolicy,
    *,
    output_path: str | os.PathLike | None = None,
    model_name: str = "lerax_policy",
    opset: int = 21,
) -> onnx.ModelProto:
    """Export the deterministic action of a policy as an ONNX model.

    The model computes ``policy(policy.reset(key=...), observation)[1]`` (no key: the
    action the policy takes when it does not explore) for a batch of observations:

    - input ``"observation"``: `float32`, shape ``[batch, *observation_space.shape]``, with
      a dynamic batch size;
    - output ``"action"``: shape ``[batch, *action_shape]``; `int64` for integer actions
      (the greedy action of a Q policy, the argmax of a discrete actor), `float32` for Box
      actions (the clipped mean of an actor-critic, the action of a deterministic policy,
      the squashed mean of a SAC actor).

    The function is traced once with `jax.make_jaxpr` under `jax.vmap` with a symbolic
    batch size; each primitive of the trace becomes ONNX operators computing the same thing
    in the same dtype, and the policy's weights become initializers. Parts of the policy
    the action does not use (a value head) are left out.

    Args:
        policy: A policy over a `Box` observation space whose deterministic action depends
            on the observation alone: a stateless one (`reset` returns `None`), or one whose
            state only drives exploration (a gSDE `MLPSACPolicy`).
        output_path: Where to write the model too (atomically: a temporary file renamed
            into place; parent folders are created). `None` writes nothing.
        model_name: Name of the ONNX graph.
        opset: ONNX opset version, from 18 to the newest the installed `onnx` knows.

    Returns:
        The model, already checked with `onnx.checker.check_model(full_check=True)`.

    Raises:
        ImportError: If `onnx` is not installed (``pip install "lerax[onnx]"``).
        TypeError: If `policy` is not an `AbstractPolicy`.
        ValueError: If the observation space is not a `Box`, the deterministic action reads
            the policy state, the
            action is not one array, or `opset` / `model_name` is out of range.
        NotImplementedError: If the policy uses a JAX primitive with no translation (the
            message names it).

    Example:
        >>> policy = MLPQPolicy(lerax.env.make("CartPole-v1"), key=jax.random.key(0))
        >>> model = to_onnx(policy, output_path="cartpole.onnx")
        >>> session = onnxruntime.InferenceSession("cartpole.onnx")
        >>> session.run(["action"], {"observation": np.zeros((8, 4), np.float32)})[0].shape
        (8,)
    """
    if not isinstance(policy, AbstractPolicy):
        raise TypeError(
            f"to_onnx: expected a lerax policy (an AbstractPolicy), got {type(policy).__name__}"
        )
    if not isinstance(model_name, str) or not model_name:
        raise ValueError(f"to_onnx: model_name must be a non-empty string, got {model_name!r}")
    observation_space = policy.observation_space
    if not isinstance(observation_space, Box):
        raise ValueError(
            f"to_onnx: {policy.name} reads {observation_space!r} observations; only policies "
            "over a single Box observation space can be exported (the model's input is one "
            "float32 array)"
        )
    state = policy.reset(key=jax.random.key(0))
    state_leaves, state_def = jax.tree.flatten(state)
    try:
        import onnx
        from onnx import helper
    except ImportError as e:
        raise ImportError(
            'lerax.export.to_onnx needs the onnx package: pip install "lerax[onnx]"'
        ) from e
    from ._builder import GraphBuilder, is_static, onnx_dtype
    from ._jaxpr import emit_jaxpr, reads_inputs

    newest = onnx.defs.onnx_opset_version()
    if isinstance(opset, bool) or not isinstance(opset, int) or not MIN_OPSET <= opset <= newest:
        raise ValueError(
            f"to_onnx: opset must be an int from {MIN_OPSET} to {newest} (the newest the "
            f"installed onnx {onnx.__version__} knows), got {opset!r}"
        )

    batch = jax.export.symbolic_shape(BATCH)[0]

    def act(observation: Any, leaves: list[Any]) -> Any:
        return policy(jax.tree.unflatten(state_def, leaves), observation)[1]

    spec = jax.ShapeDtypeStruct((batch, *observation_space.shape), jnp.float32)
    traced = jax.make_jaxpr(jax.vmap(act, in_axes=(0, None)))(spec, state_leaves)
    if len(traced.out_avals) != 1:
        raise ValueError(
            f"to_onnx: {policy.name}'s actions in {policy.action_space!r} are "
            f"{len(traced.out_avals)} arrays; only actions that are one array can be exported"
        )
    out_aval: Any = traced.out_avals[0]
    if reads_inputs(traced.jaxpr, range(1, len(traced.jaxpr.invars))):
        raise ValueError(
            f"to_onnx: {policy.name} is stateful (reset returns a {type(state).__name__}) and "
            "its deterministic action reads that state; only policies whose deterministic "
            "action depends on the observation alone can be exported"
        )

    g = GraphBuilder(batch, INPUT_NAME)
    # The state's inputs are never read (checked above), so they need no ONNX names.
    inputs = [INPUT_NAME, *("" for _ in state_leaves)]
    (action,) = emit_jaxpr(g, traced.jaxpr, traced.consts, inputs, [True])
    assert action is not None
    dtype = np.dtype(out_aval.dtype)
    if np.issubdtype(dtype, np.integer):
        dtype = np.dtype(np.int64)
    elif np.issubdtype(dtype, np.floating):
        dtype = np.dtype(np.float32)
    if dtype == np.dtype(out_aval.dtype):
        g.named_node("Identity", [action], OUTPUT_NAME)
    else:
        g.named_node("Cast", [action], OUTPUT_NAME, to=onnx_dtype(dtype))

    def dims(shape: Any) -> list[int | str]:
        return [int(d) if is_static(d) else BATCH if g.is_batch(d) else str(d) for d in shape]

    graph = helper.make_graph(
        g.nodes,
        model_name,
        [helper.make_tensor_value_info(INPUT_NAME, onnx.TensorProto.FLOAT, dims(spec.shape))],
        [helper.make_tensor_value_info(OUTPUT_NAME, onnx_dtype(dtype), dims(out_aval.shape))],
        initializer=g.used_initializers(),
        doc_string=f"Deterministic action of a {policy.name}.",
    )
    opsets = [helper.make_opsetid("", opset)]
    written_by = describe(policy)
    model = helper.make_model(
        graph,
        opset_imports=opsets,
        ir_version=helper.find_min_ir_version_for(opsets),
        producer_name="lerax",
        producer_version=written_by["lerax"],
        doc_string=f"{policy.name}: observation {observation_space!r} -> "
        f"action {policy.action_space!r}",
    )
    helper.set_model_props(
        model,
        {
            "lerax.policy": written_by["class"],
            "lerax.observation_space": repr(observation_space),
            "lerax.action_space": repr(policy.action_space),
            "jax": written_by["jax"],
            "equinox": written_by["equinox"],
        },
    )
    onnx.checker.check_model(model, full_check=True)
    if output_path is not None:
        _write_atomically(model.SerializeToString(), Path(output_path))
    return model


def _write_atomically(data: bytes, path: Path) -> None:
    """Write `data` to a temporary file next to `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    try:
        with open(tmp, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
