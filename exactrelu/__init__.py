"""exactrelu: exact analysis of ReLU networks with rational weights."""
