"""One module per tab; each `build(service)` creates its components inside the current gr.Blocks and
returns a `Page` whose `refresh()` re-reads the knowledge base (after an upload or a removal)."""
