// The Runtime module; see ../shared/docs/architecture.md.
