"""The fleet scope: every REST API stage of several accounts (profiles) and regions, read in
parallel within the control plane's request limit. A scan yields stages or failures, never a
silent skip (DESIGN.md, "A failure is a result")."""
