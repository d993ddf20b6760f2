"""Small JAX helpers used across lerax."""

from ._filter_cond import filter_cond as filter_cond
from ._filter_scan import filter_scan as filter_scan
from ._polyak import polyak_average as polyak_average
