// The CUDA module; see ../shared/docs/architecture.md.
