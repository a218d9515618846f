"""Find golden paths, collect and validate answers, render services atomically."""
