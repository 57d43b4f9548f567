// The CPUKernels module; see ../shared/docs/architecture.md.
