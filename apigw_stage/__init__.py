"""stage: an inspector for Amazon API Gateway stages: REST, HTTP and WebSocket APIs."""

__version__ = "0.1.0"
