"""HTTP and WebSocket API stages (the `apigatewayv2` service): document, route settings, checks."""
