"""Small JAX helpers used across lerax."""

from ._callback import (
    callback_with_list_wrapper as callback_with_list_wrapper,
    callback_with_numpy_wrapper as callback_with_numpy_wrapper,
    callback_wrapper as callback_wrapper,
)
from ._filter_cond import filter_cond as filter_cond
from ._filter_scan import filter_scan as filter_scan
from ._polyak import polyak_average as polyak_average
from ._serializable import Serializable as Serializable
from ._unstack import unstack_pytree as unstack_pytree
