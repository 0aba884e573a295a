derivation { name = "x y/"; builder = "b"; system = "s"; }
