"""Renderers: Rich tables/trees for people, json/yaml for machines."""
