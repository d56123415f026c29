"""The 指标口径 catalogue: every figure the product shows or exports, defined once."""
