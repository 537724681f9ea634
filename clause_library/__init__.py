"""Built-in clause libraries (YAML data), installed as `checker.clause_library`."""
