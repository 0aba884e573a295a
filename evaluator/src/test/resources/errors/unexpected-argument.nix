({ alpha, beta }: alpha) { alpha = 1; beta = 2; bet = 3; }
