"""Characters as code: the manifest and its lock, plan and apply, pull, and the plan's rendering."""
