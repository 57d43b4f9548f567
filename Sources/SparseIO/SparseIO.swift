// The SparseIO module; see ../shared/docs/architecture.md.
