"""Formats for pipelines: SARIF 2.1.0 (GitHub code scanning) and JUnit XML, over the result of
checks.run for one stage or many. Pure: text in, text out."""
