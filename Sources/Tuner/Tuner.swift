// The Tuner module; see ../shared/docs/architecture.md.
//
// Pure: it chooses kernel configs (search spaces with their pruning rules, cost models,
// shortlists) from what KernelGen can write, and knows nothing of CUDA or the tuning database.
// KernelGen says which configs are legal; the Tuner says which are worth timing.
