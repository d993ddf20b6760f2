"""Export policies to other runtimes: `to_onnx` writes a policy's deterministic action as ONNX.

Needs the `onnx` package (``pip install "lerax[onnx]"``), imported only when `to_onnx` runs.

Why a converter of our own rather than jax2onnx (measured with jax 0.10.2, equinox
0.13.8, onnx 1.23.2, onnxruntime 1.32.0, jax2onnx 0.17.1):

- Install size: our converter needs `onnx` alone, 34 MB (onnx 31 MB + protobuf 3 MB; 2
  packages). jax2onnx needs onnx and onnxruntime (78 MB) and pulls in 34 further packages
  (flax, orbax, tensorstore, sympy, huggingface_hub, netron, ...): 263 MB more, about
  372 MB in all.
- Exactness: jax2onnx converted MLPQPolicy, MLPDeterministicPolicy, MLPSACPolicy and
  the Box MLPActorCriticPolicy correctly (within 1e-6 on 256 observations), but the
  Discrete MLPActorCriticPolicy and MLPDiscreteSACPolicy came out wrong: 2 actions for a
  batch of 37 or 256 observations, with values up to 156 (the argmax taken over the batch
  axis). Ours matches JAX on all of them (tests/export/test_onnx.py).
- Equinox: both convert a traced function, so Equinox modules need nothing special. A
  policy's action uses about 20 primitives; our table (`_primitives.py`) translates or
  inlines 86, in about 650 lines of our own, and a primitive outside it raises
  `NotImplementedError` naming it.
"""

from ._onnx import to_onnx as to_onnx
