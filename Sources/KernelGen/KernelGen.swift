// The KernelGen module; see ../shared/docs/architecture.md.
