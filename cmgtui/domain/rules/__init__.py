"""The rules engine: result types, how a rule is declared, and the rules of each part."""
