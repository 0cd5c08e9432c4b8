"""fal_assets: placeholder until the facade lands."""
