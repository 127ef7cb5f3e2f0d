"""HTTP endpoints, one router per model; each route names its permission level."""
