"""stage: an inspector for Amazon API Gateway REST API stages."""

__version__ = "0.1.0"
