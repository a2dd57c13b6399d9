"""What each one-stage command shows of a stage, one module per API family (families.Family's
`present`): the view for json/yaml and the table, so a command is get the stage, derive the
view, render, with no `if` on the family. Contract in rest.py."""
