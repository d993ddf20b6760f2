"""The ONNX graph under construction: node and constant names, shapes with a batch dimension.

Imported only once `onnx` is known to be installed (see `_onnx.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, final

import numpy as np
import onnx
from onnx import helper, numpy_helper

_SMALL = 64
"""Constants with at most this many entries are shared between the nodes that use them."""


def is_static(dim: Any) -> bool:
    """Whether a dimension of a traced shape is a number (not a symbolic size)."""
    return isinstance(dim, int | np.integer)


def onnx_dtype(dtype: Any) -> int:
    """The `onnx.TensorProto` element type of a NumPy / JAX dtype."""
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


@final
class GraphBuilder:
    """Collects the nodes and initializers of one ONNX graph.

    Values are named by strings. The traced function has one symbolic dimension,
    `batch_dim` (the batch size), read at run time from the graph input `batch_source`.

    Args:
        batch_dim: The symbolic batch dimension the function was traced with.
        batch_source: Name of a graph input whose leading dimension is the batch size.
    """

    def __init__(self, batch_dim: Any, batch_source: str):
        self.batch_dim = batch_dim
        self.batch_source = batch_source
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._counter = 0
        self.values: dict[str, np.ndarray] = {}
        """The value of every constant, by name."""
        self._shared: dict[tuple[str, tuple[int, ...], bytes], str] = {}
        self._batch_size: str | None = None

    def fresh(self, prefix: str) -> str:
        """A new, unused value name."""
        self._counter += 1
        return f"{prefix}_{self._counter}"

    def node(self, op: str, inputs: Sequence[str], **attributes: Any) -> str:
        """Add a node with one output and return the output's name."""
        return self.multi_node(op, inputs, outputs=1, **attributes)[0]

    def multi_node(
        self, op: str, inputs: Sequence[str], *, outputs: int, **attributes: Any
    ) -> list[str]:
        """Add a node with `outputs` outputs and return their names."""
        names = [self.fresh(op.lower()) for _ in range(outputs)]
        self.nodes.append(
            helper.make_node(op, list(inputs), names, name=self.fresh(op), **attributes)
        )
        return names

    def named_node(self, op: str, inputs: Sequence[str], output: str, **attributes: Any) -> None:
        """Add a node whose one output has the given name (a graph output)."""
        self.nodes.append(
            helper.make_node(op, list(inputs), [output], name=self.fresh(op), **attributes)
        )

    def constant(self, value: Any) -> str:
        """An initializer holding `value` (a NumPy or JAX array, or a number with a dtype)."""
        array = np.asarray(value)
        key = (array.dtype.str, tuple(array.shape), array.tobytes())
        if array.size <= _SMALL and key in self._shared:
            return self._shared[key]
        name = self.fresh("const")
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        self.values[name] = array
        if array.size <= _SMALL:
            self._shared[key] = name
        return name

    def used_initializers(self) -> list[onnx.TensorProto]:
        """The initializers some node reads (constant folding leaves the others unused)."""
        read = {name for node in self.nodes for name in node.input}
        return [t for t in self.initializers if t.name in read]

    def ints(self, values: Sequence[Any]) -> str:
        """A 1-D `int64` constant (axes, sizes, pads, ...)."""
        return self.constant(np.asarray([int(v) for v in values], dtype=np.int64))

    def is_batch(self, dim: Any) -> bool:
        """Whether `dim` is the symbolic batch dimension."""
        return not is_static(dim) and dim == self.batch_dim

    def batch_size(self) -> str:
        """A 1-D `int64` tensor holding the batch size, read from the batch source."""
        if self._batch_size is None:
            self._batch_size = self.node("Shape", [self.batch_source], start=0, end=1)
        return self._batch_size

    def shape(self, dims: Sequence[Any]) -> str:
        """A 1-D `int64` tensor holding `dims`, computed at run time where one is the batch.

        Raises:
            NotImplementedError: If a dimension is a symbolic expression other than the
                batch size itself (e.g. ``2 * batch``).
        """
        if all(is_static(d) for d in dims):
            return self.ints(dims)
        pieces: list[str] = []
        run: list[Any] = []
        for d in dims:
            if is_static(d):
                run.append(d)
                continue
            if not self.is_batch(d):
                raise NotImplementedError(
                    f"to_onnx: the shape {tuple(dims)} has the symbolic size {d}; only the "
                    "batch size itself may appear in shapes"
                )
            if run:
                pieces.append(self.ints(run))
                run = []
            pieces.append(self.batch_size())
        if run:
            pieces.append(self.ints(run))
        return pieces[0] if len(pieces) == 1 else self.node("Concat", pieces, axis=0)

    def same_dim(self, a: Any, b: Any) -> bool:
        """Whether two dimensions are certainly equal (both numbers, or both the batch)."""
        if is_static(a) and is_static(b):
            return int(a) == int(b)
        return self.is_batch(a) and self.is_batch(b)
