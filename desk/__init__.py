"""The review desk: a local web app over the warehouse (`mubiao desk`)."""
